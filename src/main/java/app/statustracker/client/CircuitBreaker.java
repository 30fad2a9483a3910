package app.statustracker.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import app.statustracker.service.SecretMasker;
import io.smallrye.mutiny.Uni;

/**
 * One upstream's circuit breaker. Closed, calls go through; after {@code BREAKER_FAILURES} calls in a row that found
 * the upstream unavailable (no answer, a time-out, a 5xx, an answer that is not JSON; a 401 or 404 is an answer) it
 * opens: calls fail at once with an {@link UpstreamUnavailableException} ("unavailable since T: last error") without
 * touching the network. After {@code BREAKER_OPEN_FOR} one call is let through as a trial while the others keep
 * failing fast; an answer closes the breaker, a failure reopens it with the wait doubled up to
 * {@code BREAKER_MAX_OPEN_FOR}. Opening is logged once (WARN), closing once (INFO), never each refused call.
 *
 * <p>Thread-safe: the state is guarded by this object's monitor, held only for a few assignments (never across a
 * call), so taking it on an event loop is harmless.
 */
public final class CircuitBreaker {

    private static final Logger LOG = Logger.getLogger(CircuitBreaker.class);
    /** Longest last error kept: enough for "sonarr GET /api/v3/queue at host:port: ...". */
    private static final int MAX_ERROR_LENGTH = 300;
    /** A query string ({@code ?a=b&c=d}): never kept, whatever it holds. */
    private static final Pattern QUERY = Pattern.compile("\\?[^\\s=?#]+=\\S*");

    static final int DEFAULT_FAILURES = 3;
    static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(30);
    static final Duration DEFAULT_MAX_OPEN_FOR = Duration.ofMinutes(5);

    public enum State {
        CLOSED, OPEN
    }

    /**
     * What the breaker knows, for {@code /api/health}.
     *
     * @param unavailableSince when it opened; null while closed
     * @param lastError        the last failure that counted, masked; kept after closing, as history
     * @param nextTryAt        when a trial call will be let through; null while closed
     * @param failures         counted failures in a row
     * @param answeringSince   since when calls have been answered without a counted failure; null when the last
     *                         call failed or none was made
     * @param lastAnswerAt     when a call was last answered
     */
    public record Snapshot(State state, Instant unavailableSince, String lastError, Instant nextTryAt, int failures,
            Instant answeringSince, Instant lastAnswerAt) {

        public boolean open() {
            return state == State.OPEN;
        }
    }

    private final String name;
    private final int threshold;
    private final Duration openFor;
    private final Duration maxOpenFor;
    private final Clock clock;

    // Guarded by this.
    private int failures;
    private String lastError;
    /** Whether the last counted failure got no answer at all (refused, unreachable, timed out). */
    private boolean lastWasSilence;
    /** Null while closed. */
    private Instant openedAt;
    private Duration wait;
    private Instant nextTryAt;
    /** Ticket of the trial call in flight; 0 when none. */
    private long trial;
    private long tickets;
    private Instant answeringSince;
    private Instant lastAnswerAt;

    /**
     * @param failures   counted failures in a row that open it (at least 1)
     * @param openFor    first wait before a trial call
     * @param maxOpenFor longest wait; the wait doubles after each failed trial
     * @param clock      time source (a test moves it by hand)
     */
    public CircuitBreaker(String name, int failures, Duration openFor, Duration maxOpenFor, Clock clock) {
        this.name = name;
        this.threshold = Math.max(1, failures);
        this.openFor = openFor.isNegative() || openFor.isZero() ? Duration.ofSeconds(1) : openFor;
        this.maxOpenFor = maxOpenFor.compareTo(this.openFor) < 0 ? this.openFor : maxOpenFor;
        this.clock = clock;
        this.wait = this.openFor;
    }

    /** A breaker with the documented defaults, for a client built outside the application (tests, tools). */
    static CircuitBreaker withDefaults(String name) {
        return new CircuitBreaker(name, DEFAULT_FAILURES, DEFAULT_OPEN_FOR, DEFAULT_MAX_OPEN_FOR, Clock.systemUTC());
    }

    public String name() {
        return name;
    }

    /**
     * Runs the call unless the breaker is open, and counts its outcome. Subscribing is what counts as a call: a Uni
     * subscribed twice is two calls. The call's own retries happen inside it, so a retried call counts once.
     */
    public <T> Uni<T> guard(Supplier<Uni<T>> call) {
        return Uni.createFrom().deferred(() -> {
            long ticket;
            try {
                ticket = admit();
            } catch (UpstreamUnavailableException refused) {
                return Uni.createFrom().failure(refused);
            }
            return Uni.createFrom().<T>deferred(call::get)
                    .onItemOrFailure().invoke((item, failure) -> finished(ticket, failure))
                    // A trial nobody waits for any more must not leave the breaker refusing everything for good.
                    .onCancellation().invoke(() -> abandoned(ticket));
        });
    }

    /**
     * Whether a call would be let through now: closed, or open with a trial due and none under way. Scheduled
     * checks ask this to skip a cycle without building a request.
     */
    public synchronized boolean available() {
        return openedAt == null || trial == 0 && !clock.instant().isBefore(nextTryAt);
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(openedAt == null ? State.CLOSED : State.OPEN, openedAt, lastError, nextTryAt, failures,
                answeringSince, lastAnswerAt);
    }

    /**
     * The reachability probe got an answer from this upstream. That proves the upstream is back when it was open
     * because nothing answered; when it was open because the answers were bad (5xx, not JSON), the status page
     * answering proves nothing about the calls, so the trial decides.
     */
    public synchronized void probeAnswered() {
        if (openedAt != null && lastWasSilence) {
            close(clock.instant(), "its status check answered");
        }
    }

    /** 0: a normal call; more: the ticket of the one trial call. Throws when the call must fail at once. */
    synchronized long admit() {
        if (openedAt == null) {
            return 0;
        }
        Instant now = clock.instant();
        if (trial == 0 && !now.isBefore(nextTryAt)) {
            trial = ++tickets;
            return trial;
        }
        String when = trial != 0 ? "a try is under way"
                : "next try in " + Math.max(1, (Duration.between(now, nextTryAt).toMillis() + 999) / 1000) + " s";
        throw new UpstreamUnavailableException(name, openedAt, lastError, name + " unavailable since "
                + openedAt.truncatedTo(ChronoUnit.SECONDS) + ": " + lastError + "; " + when);
    }

    synchronized void finished(long ticket, Throwable failure) {
        Instant now = clock.instant();
        boolean isTrial = ticket != 0 && ticket == trial;
        if (failure == null || failure instanceof UpstreamException u && !u.unavailable()
                && !(failure instanceof UpstreamUnavailableException)) {
            // An answer (also a 401 or 404) proves the upstream is there.
            lastAnswerAt = now;
            if (answeringSince == null) {
                answeringSince = now;
            }
            failures = 0;
            if (openedAt != null) {
                close(now, isTrial ? "a trial call answered" : "a call answered");
            }
            return;
        }
        if (!(failure instanceof UpstreamException counted) || failure instanceof UpstreamUnavailableException) {
            // Not the upstream's doing (a bug in the caller's code, another breaker's refusal): neither an answer
            // nor a failure.
            if (isTrial) {
                trial = 0;
            }
            return;
        }
        lastError = clean(counted.getMessage());
        lastWasSilence = counted.status() == null;
        answeringSince = null;
        if (openedAt == null) {
            failures++;
            if (failures >= threshold) {
                openedAt = now;
                wait = openFor;
                nextTryAt = now.plus(wait);
                LOG.warnf("%s is unavailable after %d failed calls in a row: %s; calls to it fail at once until"
                        + " a try in %s answers", name, failures, lastError, words(wait));
            }
        } else if (isTrial) {
            trial = 0;
            failures++;
            wait = wait.multipliedBy(2).compareTo(maxOpenFor) > 0 ? maxOpenFor : wait.multipliedBy(2);
            nextTryAt = now.plus(wait);
            LOG.debugf("%s is still unavailable: %s; next try in %s", name, lastError, words(wait));
        }
        // Else a call let through before it opened failed late: its error is kept, the wait stays.
    }

    synchronized void abandoned(long ticket) {
        if (ticket != 0 && ticket == trial) {
            trial = 0;
        }
    }

    private void close(Instant now, String how) {
        LOG.infof("%s is back after %s (%s)", name, words(Duration.between(openedAt, now)), how);
        openedAt = null;
        nextTryAt = null;
        trial = 0;
        failures = 0;
        wait = openFor;
    }

    /** The failure's text as shown and logged: masked, no query string, bounded. */
    static String clean(String message) {
        if (message == null) {
            return "no message";
        }
        String masked = QUERY.matcher(SecretMasker.maskText(message)).replaceAll("");
        return masked.length() <= MAX_ERROR_LENGTH ? masked : masked.substring(0, MAX_ERROR_LENGTH) + "…";
    }

    /** 45 s, 3 min, 2 h 5 min. */
    static String words(Duration d) {
        long s = Math.max(0, (d.toMillis() + 500) / 1000);
        if (s < 120) {
            return s + " s";
        }
        long minutes = s / 60;
        if (minutes < 120) {
            return minutes + " min";
        }
        return minutes / 60 + " h " + minutes % 60 + " min";
    }
}
