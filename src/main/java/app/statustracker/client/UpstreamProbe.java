package app.statustracker.client;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import app.statustracker.config.TrackerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Asks each configured upstream a cheap status question on a schedule, so that the status page can say
 * "reachable", "unauthorized" (wrong API key) or "down since T" with the last error. Touches no database.
 */
@ApplicationScoped
public class UpstreamProbe {

    private static final Logger LOG = Logger.getLogger(UpstreamProbe.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** What the last check found. */
    public enum Reachability {
        UNKNOWN, REACHABLE, UNAUTHORIZED, DOWN;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param state     the last finding
     * @param since     when the upstream entered that state
     * @param checkedAt when it was last asked
     * @param lastError the last failure, in words (never a secret)
     */
    public record Status(Reachability state, Instant since, Instant checkedAt, String lastError) {
    }

    /** How to ask one upstream: path and auth header (the key goes in a header, never in the URL). */
    private record Target(String host, int port, String path, String header, String headerValue) {
    }

    private final TrackerConfig config;
    private final HttpClient http;
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();

    public UpstreamProbe(TrackerConfig config, Vertx vertx) {
        this.config = config;
        this.http = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setConnectTimeout((int) TIMEOUT.toMillis()).setMaxPoolSize(2).setKeepAlive(false));
    }

    void stop(@Observes ShutdownEvent event) {
        http.closeAndAwait();
    }

    /** The status of a configured upstream; UNKNOWN until its first check. */
    public Status status(String upstream) {
        return statuses.getOrDefault(upstream, new Status(Reachability.UNKNOWN, null, null, null));
    }

    @Scheduled(every = "${tracker.upstream-check.every}", delayed = "${tracker.upstream-check.delay}",
            identity = "upstream-check", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> checkAll() {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Map.Entry<String, Target> e : targets().entrySet()) {
            // One upstream's failure never stops the others from being checked.
            all = all.call(() -> Uni.createFrom().deferred(() -> check(e.getKey(), e.getValue()))
                    .onFailure().invoke(f -> record(e.getKey(), new Status(Reachability.DOWN, null, null,
                            "could not be checked: " + f.getClass().getSimpleName())))
                    .onFailure().recoverWithNull());
        }
        return all;
    }

    private Map<String, Target> targets() {
        Map<String, Target> t = new LinkedHashMap<>();
        if (config.jellyseerr().configured()) {
            t.put("jellyseerr", keyed(config.jellyseerr(), "/api/v1/status", "X-Api-Key"));
        }
        if (config.sonarr().configured()) {
            t.put("sonarr", keyed(config.sonarr(), "/api/v3/system/status", "X-Api-Key"));
        }
        if (config.radarr().configured()) {
            t.put("radarr", keyed(config.radarr(), "/api/v3/system/status", "X-Api-Key"));
        }
        if (config.jellyfin().configured()) {
            t.put("jellyfin", new Target(config.jellyfin().host(), config.jellyfin().port(), "/System/Info",
                    "Authorization", "MediaBrowser Token=\"" + config.jellyfin().apiKey().orElse("") + "\""));
        }
        if (config.qbittorrent().configured()) {
            // Unauthenticated on purpose: any answer proves the Web UI is up; logging in is the download tracker's job.
            t.put("qbittorrent", new Target(config.qbittorrent().host().orElseThrow(), config.qbittorrent().port(),
                    "/api/v2/app/webapiVersion", null, null));
        }
        if (config.shoko().configured()) {
            t.put("shoko", keyed(config.shoko(), "/api/v3/Init/Status", "apikey"));
        }
        return t;
    }

    private static Target keyed(TrackerConfig.Upstream u, String path, String header) {
        return new Target(u.host(), u.port(), path, header, u.apiKey().orElse(""));
    }

    private Uni<Void> check(String name, Target target) {
        if (target.headerValue() != null && target.headerValue().chars().anyMatch(Character::isISOControl)) {
            // Vert.x would refuse the header and quote its value (the key) in the error: never let it get that far.
            record(name, new Status(Reachability.UNAUTHORIZED, null, null, "the API key contains a line break or"
                    + " another control character; check " + name.toUpperCase(java.util.Locale.ROOT) + "_API_KEY"));
            return Uni.createFrom().voidItem();
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host())
                .setPort(target.port()).setURI(target.path()).setTimeout(TIMEOUT.toMillis());
        if (target.header() != null) {
            options.putHeader(target.header(), target.headerValue());
        }
        return http.request(options)
                .chain(req -> req.send())
                .call(resp -> resp.body())
                .map(resp -> classify(name, resp.statusCode()))
                .onFailure().recoverWithItem(e -> new Status(Reachability.DOWN, null, null, describe(e)))
                .invoke(found -> record(name, found))
                .replaceWithVoid();
    }

    private static Status classify(String name, int status) {
        if (status >= 200 && status < 300) {
            return new Status(Reachability.REACHABLE, null, null, null);
        }
        if (status == 401 || status == 403) {
            return "qbittorrent".equals(name) ? new Status(Reachability.REACHABLE, null, null, null)
                    : new Status(Reachability.UNAUTHORIZED, null, null,
                            "HTTP " + status + ": the API key was refused; check " + name.toUpperCase(java.util.Locale.ROOT)
                                    + "_API_KEY");
        }
        return new Status(Reachability.DOWN, null, null, "HTTP " + status);
    }

    private void record(String name, Status found) {
        Instant now = Instant.now();
        statuses.compute(name, (n, previous) -> {
            boolean changed = previous == null || previous.state() != found.state();
            if (changed && found.state() != Reachability.REACHABLE) {
                LOG.warnf("%s is %s: %s", name, found.state().value(), found.lastError());
            } else if (changed && previous != null) {
                LOG.infof("%s is reachable again", name);
            }
            Instant since = changed ? now : previous.since();
            String lastError = found.lastError() != null ? found.lastError() : previous == null ? null : previous.lastError();
            return new Status(found.state(), since, now, lastError);
        });
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
