package app.statustracker.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import app.statustracker.health.UpstreamSettings;
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
 *
 * <p>An answer closes the upstream's circuit breaker when it opened because nothing answered, so an upstream that
 * comes back is used again at the next check without waiting for the breaker's trial. A failed check is not counted
 * by the breaker: it counts the clients' calls only, so one outage is never counted twice, and an upstream the
 * tracker does not call stays "down" here rather than "unavailable".
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

    /**
     * How far an upstream's clock is from the tracker's, from the {@code Date} header of its last answer: positive
     * when the upstream is ahead. {@code Date} has whole seconds, so this is accurate to about a second.
     *
     * @param offset     upstream time minus tracker time, at the middle of the request
     * @param measuredAt when it was measured
     */
    public record ClockReading(Duration offset, Instant measuredAt) {
    }

    private final UpstreamSettings upstreams;
    private final UpstreamBreakers breakers;
    private final HttpClient http;
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();
    private final Map<String, ClockReading> clocks = new ConcurrentHashMap<>();

    public UpstreamProbe(UpstreamSettings upstreams, UpstreamBreakers breakers, Vertx vertx) {
        this.upstreams = upstreams;
        this.breakers = breakers;
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

    /** The upstream's clock offset from its last answer that carried a {@code Date} header; empty before that. */
    public java.util.Optional<ClockReading> clock(String upstream) {
        return java.util.Optional.ofNullable(clocks.get(upstream));
    }

    @Scheduled(every = "${tracker.upstream-check.every}", delayed = "${tracker.upstream-check.delay}",
            identity = "upstream-check", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> checkAll() {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Map.Entry<String, UpstreamSettings.Upstream> e : upstreams.all().entrySet()) {
            if (!e.getValue().configured()) {
                continue;
            }
            // One upstream's failure never stops the others from being checked.
            all = all.call(() -> Uni.createFrom().deferred(() -> check(e.getKey(), e.getValue()))
                    .onFailure().invoke(f -> record(e.getKey(), new Status(Reachability.DOWN, null, null,
                            "could not be checked: " + f.getClass().getSimpleName())))
                    .onFailure().recoverWithNull());
        }
        return all;
    }

    private Uni<Void> check(String name, UpstreamSettings.Upstream upstream) {
        UpstreamSettings.StatusCheck check = upstream.check();
        String headerValue = check.header() == null ? null : check.headerValue().get();
        if (headerValue != null && headerValue.chars().anyMatch(Character::isISOControl)) {
            // Vert.x would refuse the header and quote its value (the key) in the error: never let it get that far.
            record(name, new Status(Reachability.UNAUTHORIZED, null, null, "the API key contains a line break or"
                    + " another control character; check " + name.toUpperCase(java.util.Locale.ROOT) + "_API_KEY"));
            return Uni.createFrom().voidItem();
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(upstream.host())
                .setPort(upstream.port()).setURI(check.path()).setTimeout(TIMEOUT.toMillis());
        if (headerValue != null) {
            options.putHeader(check.header(), headerValue);
        }
        Instant sent = Instant.now();
        return http.request(options)
                .chain(req -> req.send())
                .invoke(resp -> readClock(name, sent, resp.getHeader("Date")))
                .call(resp -> resp.body())
                .map(resp -> classify(name, resp.statusCode()))
                .onFailure().recoverWithItem(e -> new Status(Reachability.DOWN, null, null, describe(e)))
                .invoke(found -> {
                    if (found.state() == Reachability.REACHABLE || found.state() == Reachability.UNAUTHORIZED) {
                        breakers.breaker(name).probeAnswered();
                    }
                    record(name, found);
                })
                .replaceWithVoid();
    }

    /** Any answer with a {@code Date} header tells the upstream's time, even a 401. */
    private void readClock(String name, Instant sent, String date) {
        if (date == null) {
            return;
        }
        try {
            Instant upstreamTime = java.time.ZonedDateTime.parse(date.trim(),
                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Instant received = Instant.now();
            Instant middle = sent.plus(Duration.between(sent, received).dividedBy(2));
            clocks.put(name, new ClockReading(Duration.between(middle, upstreamTime), received));
        } catch (java.time.format.DateTimeParseException e) {
            LOG.debugf("%s sent a Date header that is not an HTTP date", name);
        }
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

    /** Shown on /api/health and logged: the failure's text with anything secret-looking masked. */
    private static String describe(Throwable e) {
        return app.statustracker.service.SecretMasker.describe(e);
    }
}
