package app.statustracker.ingest;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Turns one upstream's webhook body into an {@link Interpretation}. One implementation per upstream. */
public interface WebhookAdapter {

    /** The path segment under {@code /hooks/}. */
    String source();

    /** Human name shown by {@code GET /hooks}. */
    String displayName();

    /** The request states this upstream's events can prove. */
    List<String> statesProvided();

    /** The payload fields used to find the request. */
    List<String> correlationFields();

    /** Reads a JSON object. Must not throw for any JSON object: unknown shapes are ignored with a reason. */
    Interpretation interpret(ObjectNode body);
}
