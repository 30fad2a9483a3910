package app.statustracker.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import app.statustracker.client.CircuitBreaker;
import app.statustracker.client.ShokoHub;
import app.statustracker.client.UpstreamBreakers;
import app.statustracker.client.UpstreamProbe;
import app.statustracker.client.UpstreamProbe.Reachability;
import app.statustracker.health.DatabaseReadiness;
import app.statustracker.health.UpstreamSettings;
import app.statustracker.stream.SseHub;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/health}: the database, each upstream (not configured / reachable / unauthorized / down since T
 * with the last error / unavailable since T, when its circuit breaker is open, with the next try), the Shoko hub and
 * the SSE clients. "degraded" when the database or a configured upstream is not answering, or when the Shoko hub
 * connection is lost (reconnecting) or its key is refused.
 */
@Path("/api/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    private final DatabaseReadiness database;
    private final UpstreamSettings upstreams;
    private final SseHub sse;
    private final UpstreamProbe probe;
    private final UpstreamBreakers breakers;
    private final ShokoHub shokoHub;
    private final WebhookSecrets webhookSecrets;
    private final String version;

    public HealthResource(@Readiness DatabaseReadiness database, UpstreamSettings upstreams, SseHub sse,
            UpstreamProbe probe, UpstreamBreakers breakers, ShokoHub shokoHub, WebhookSecrets webhookSecrets,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.database = database;
        this.upstreams = upstreams;
        this.probe = probe;
        this.breakers = breakers;
        this.shokoHub = shokoHub;
        this.webhookSecrets = webhookSecrets;
        this.sse = sse;
        this.version = version;
    }

    @GET
    public Uni<Map<String, Object>> health() {
        return database.call()
                .map(check -> check.getStatus() == HealthCheckResponse.Status.UP ? "connected"
                        : "error: " + check.getData().map(d -> d.get("error")).orElse("unreachable"))
                .map(database -> {
                    boolean healthy = "connected".equals(database);
                    Map<String, Object> services = new LinkedHashMap<>();
                    for (var entry : upstreams.all().entrySet()) {
                        var u = entry.getValue();
                        Map<String, Object> s = u.configured()
                                ? upstream(probe.status(entry.getKey()), breakers.breaker(entry.getKey()).snapshot())
                                : notConfigured();
                        s.put("address", u.address());
                        s.put("hint", u.hint());
                        services.put(entry.getKey(), s);
                        healthy &= "reachable".equals(s.get("state")) || "unknown".equals(s.get("state"))
                                || "not_configured".equals(s.get("state"));
                    }
                    ShokoHub.Status hub = shokoHub.status();
                    healthy &= hub.state() != ShokoHub.State.RECONNECTING && hub.state() != ShokoHub.State.AUTH_FAILED;
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", healthy ? "healthy" : "degraded");
                    body.put("version", version);
                    body.put("database", database);
                    body.put("upstreams", services);
                    body.put("shoko_signalr", hub.state().value());
                    body.put("shoko_hub", shokoHub(hub));
                    body.put("sse_clients", sse.clientCount());
                    // Whether /hooks requires the shared secret; "off" is the default and is shown as a warning.
                    body.put("webhook_secret", webhookSecrets.anyRequired() ? "on" : "off");
                    return body;
                });
    }

    /**
     * What the probe found and what the calls found, the newer evidence winning: an open breaker makes the upstream
     * "unavailable"; a call answered after the probe last found it down (or before its first check) makes it
     * "reachable" again without waiting for the next check.
     */
    static Map<String, Object> upstream(UpstreamProbe.Status probed, CircuitBreaker.Snapshot calls) {
        String state = probed.state().value();
        java.time.Instant since = probed.since();
        String lastError = probed.lastError();
        boolean probeBehind = (probed.state() == Reachability.DOWN || probed.state() == Reachability.UNKNOWN)
                && calls.answeringSince() != null
                && (probed.checkedAt() == null || calls.lastAnswerAt().isAfter(probed.checkedAt()));
        if (calls.open()) {
            state = "unavailable";
            since = calls.unavailableSince();
            lastError = calls.lastError();
        } else if (probeBehind) {
            state = Reachability.REACHABLE.value();
            since = probed.checkedAt() == null || calls.answeringSince().isAfter(probed.checkedAt())
                    ? calls.answeringSince() : calls.lastAnswerAt();
            lastError = lastError != null ? lastError : calls.lastError();
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("configured", true);
        s.put("state", state);
        s.put("since", since);
        s.put("checked_at", probed.checkedAt());
        s.put("last_error", lastError);
        s.put("unavailable_since", calls.unavailableSince());
        s.put("next_try_at", calls.nextTryAt());
        return s;
    }

    /** The Shoko hub connection: state, since when, why the last attempt failed, failed attempts since connected. */
    static Map<String, Object> shokoHub(ShokoHub.Status hub) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("state", hub.state().value());
        s.put("since", hub.since());
        s.put("last_error", hub.lastError());
        s.put("attempts", hub.attempts());
        return s;
    }

    private static Map<String, Object> notConfigured() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("configured", false);
        s.put("state", "not_configured");
        s.put("since", null);
        s.put("checked_at", null);
        s.put("last_error", null);
        s.put("unavailable_since", null);
        s.put("next_try_at", null);
        return s;
    }
}
