package app.statustracker.service;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.ingest.DomainEvent;
import app.statustracker.ingest.Interpretation;
import app.statustracker.ingest.MediaFacts;
import app.statustracker.ingest.MediaKeys;
import app.statustracker.ingest.Payloads;
import app.statustracker.ingest.Target;
import app.statustracker.ingest.WebhookAdapter;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Test-only adapter ({@code /hooks/test-broken}) whose events cannot be applied: it asks to create a request in no
 * state at all (the schema refuses a request without a state). Used to prove that one failing event does not take
 * its batch down.
 */
@ApplicationScoped
public class BrokenTestAdapter implements WebhookAdapter {

    @Override
    public String source() {
        return "test-broken";
    }

    @Override
    public String displayName() {
        return "Broken (tests only)";
    }

    @Override
    public List<String> statesProvided() {
        return List.of();
    }

    @Override
    public List<String> correlationFields() {
        return List.of();
    }

    @Override
    public Interpretation interpret(ObjectNode body) {
        String key = "test-broken:" + Payloads.sha256(body.toString());
        MediaKeys keys = new MediaKeys(null, 424242L, null, null, null, null, false);
        return new Interpretation.Track(new DomainEvent(source(), "Boom", key, keys,
                new Target(Target.Kind.PROGRESS, null, true, null, Target.Reach.OPEN), MediaFacts.none(), "Boom", "cannot be stored"));
    }
}
