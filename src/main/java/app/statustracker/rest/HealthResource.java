package app.statustracker.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import app.statustracker.client.UpstreamProbe;
import app.statustracker.client.UpstreamProbe.Reachability;
import app.statustracker.config.TrackerConfig;
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
 * with the last error), the Shoko hub and the SSE clients. "degraded" when the database or a configured upstream is
 * not answering.
 */
@Path("/api/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    private final DatabaseReadiness database;
    private final UpstreamSettings upstreams;
    private final SseHub sse;
    private final TrackerConfig config;
    private final UpstreamProbe probe;
    private final String version;

    public HealthResource(@Readiness DatabaseReadiness database, UpstreamSettings upstreams, SseHub sse, TrackerConfig config, UpstreamProbe probe,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.database = database;
        this.upstreams = upstreams;
        this.probe = probe;
        this.sse = sse;
        this.config = config;
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
                        Map<String, Object> s = new LinkedHashMap<>();
                        s.put("configured", u.configured());
                        UpstreamProbe.Status status = probe.status(entry.getKey());
                        s.put("state", u.configured() ? status.state().value() : "not_configured");
                        s.put("since", u.configured() ? status.since() : null);
                        s.put("checked_at", u.configured() ? status.checkedAt() : null);
                        s.put("last_error", u.configured() ? status.lastError() : null);
                        s.put("address", u.address());
                        s.put("hint", u.hint());
                        services.put(entry.getKey(), s);
                        healthy &= !u.configured() || status.state() == Reachability.REACHABLE
                                || status.state() == Reachability.UNKNOWN;
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", healthy ? "healthy" : "degraded");
                    body.put("version", version);
                    body.put("database", database);
                    body.put("upstreams", services);
                    body.put("shoko_signalr", !config.shoko().enabled() ? "disabled"
                            : config.shoko().configured() ? "not_connected" : "no_api_key");
                    body.put("sse_clients", sse.clientCount());
                    return body;
                });
    }
}
