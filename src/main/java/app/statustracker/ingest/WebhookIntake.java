package app.statustracker.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.config.TrackerConfig;
import app.statustracker.service.EventPipeline;
import app.statustracker.service.PipelineResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * Reads a webhook delivery: checks size and shape, lets the upstream's adapter interpret it, and hands it to the
 * pipeline. Unreadable deliveries are stored too (outcome {@code rejected}) and answered with a 4xx.
 */
@ApplicationScoped
public class WebhookIntake {

    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);

    /** Unreadable bodies are kept up to this size, for the admin to see what was sent. */
    private static final int STORED_REJECTED_BODY = 64 * 1024;

    /** Why a delivery could not be read, as an HTTP status and a message for the sender. */
    public record Refusal(int status, String message) {
    }

    /** The answer to a delivery: either what the pipeline did, or a refusal. */
    public record Answer(PipelineResult result, Refusal refusal) {
    }

    /** One endpoint as {@code GET /hooks} lists it. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Endpoint(String url, String service, List<String> statesProvided,
            List<String> correlationFields) {
    }

    private final Map<String, WebhookAdapter> adapters;
    private final EventPipeline pipeline;
    private final ObjectMapper json;
    private final int maxBodyBytes;

    public WebhookIntake(Instance<WebhookAdapter> adapters, EventPipeline pipeline, ObjectMapper json,
            TrackerConfig config) {
        this.adapters = adapters.stream().collect(Collectors.toMap(WebhookAdapter::source, a -> a));
        this.pipeline = pipeline;
        this.json = json;
        this.maxBodyBytes = config.webhook().maxBodyKb() * 1024;
    }

    public boolean knows(String service) {
        return adapters.containsKey(service);
    }

    public List<String> services() {
        return endpoints().stream().map(e -> e.url().substring("/hooks/".length())).toList();
    }

    public List<Endpoint> endpoints() {
        TreeMap<String, Endpoint> all = new TreeMap<>();
        adapters.values().forEach(a -> all.put(a.source(), new Endpoint("/hooks/" + a.source(), a.displayName(),
                a.statesProvided(), a.correlationFields())));
        return List.copyOf(all.values());
    }

    public Uni<Answer> receive(String service, String contentType, byte[] body) {
        if (body.length > maxBodyBytes) {
            // Too big to keep: only the fact that it came is stored.
            return reject(service, contentType, null, new Refusal(413, "body is " + body.length
                    + " bytes; webhooks may be at most " + maxBodyBytes + " bytes (WEBHOOK_MAX_BODY_KB)"));
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return reject(service, contentType, text, new Refusal(400, "body is empty; expected a JSON object"));
        }
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            Refusal refusal = isForm(contentType)
                    ? new Refusal(415, "expected a JSON body, got " + contentType
                            + "; send the payload as JSON (any content type is accepted if the body is JSON)")
                    : new Refusal(400, "body is not valid JSON: " + withoutTokens(e.getOriginalMessage())
                            + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
                                    + e.getLocation().getColumnNr() + ")" : ""));
            return reject(service, contentType, truncate(text), refusal);
        }
        if (!(node instanceof ObjectNode object)) {
            return reject(service, contentType, truncate(text), new Refusal(400,
                    "body must be a JSON object, got " + (node == null ? "nothing" : node.getNodeType().name()
                            .toLowerCase(Locale.ROOT))));
        }
        Interpretation interpretation = adapters.get(service).interpret(object);
        return pipeline.submit(Submission.read(service, contentType, text, interpretation))
                .map(result -> new Answer(result, null));
    }

    /**
     * What a scheduled check read from an upstream, in the shape of that upstream's webhook, read by the same
     * adapter as a webhook would be; not yet submitted (the check submits only what the event log does not hold).
     *
     * @param origin stored as the content type's {@code origin} parameter ({@code reconciled}, {@code verification}),
     *               so the event log tells these apart from webhooks
     */
    public Submission interpret(String service, String origin, ObjectNode body) {
        WebhookAdapter adapter = adapters.get(service);
        if (adapter == null) {
            throw new IllegalArgumentException("no adapter for " + service);
        }
        return Submission.read(service, originContentType(origin), body.toString(), adapter.interpret(body));
    }

    /** The content type stored with an input the tracker made itself, e.g. {@code origin=status-tracker reconciled}. */
    public static String originContentType(String origin) {
        return "application/json; origin=status-tracker " + origin;
    }

    private Uni<Answer> reject(String service, String contentType, String storedBody, Refusal refusal) {
        LOG.infof("rejected a %s webhook: %d %s", service, refusal.status(), refusal.message());
        return pipeline.submit(Submission.rejected(service, contentType, storedBody, refusal.message()))
                .map(result -> new Answer(result, refusal));
    }

    /** Jackson quotes the offending token ('hunter2'); it could be a secret, so it is not repeated. */
    private static String withoutTokens(String message) {
        return message == null ? "unreadable" : message.replaceAll("'[^']*'", "'…'").replaceAll("\\R.*", "");
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        String ct = contentType.toLowerCase(Locale.ROOT);
        return ct.startsWith("multipart/") || ct.startsWith("application/x-www-form-urlencoded");
    }

    private static String truncate(String text) {
        return text.length() > STORED_REJECTED_BODY ? text.substring(0, STORED_REJECTED_BODY) : text;
    }
}
