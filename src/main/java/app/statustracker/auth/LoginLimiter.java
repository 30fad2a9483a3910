package app.statustracker.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import app.statustracker.config.TrackerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Limits password guessing: after {@code LOGIN_MAX_FAILURES} failed logins from one client address, or for one user
 * name from anywhere, further logins wait until {@code LOGIN_LOCKOUT} has passed since the first of them. The user
 * name limit stops guessing from many addresses; its price is that someone can make an account wait (never lock it
 * in Jellyfin itself). Every attempt counts as a failure from the moment it is let through ({@link #attempt}), so
 * guesses sent in parallel cannot all pass before the first answer; a success only takes its own attempt back, so
 * logging into one's own account between guesses does not reset the address's count.
 */
@ApplicationScoped
public class LoginLimiter {

    private static final int MAX_KEYS = 10_000;

    private record Window(Instant start, int failures) {
    }

    private final int maxFailures;
    private final Duration lockout;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private Instant lastSweep = Instant.EPOCH;

    @Inject
    public LoginLimiter(TrackerConfig config) {
        this(config.auth().maxFailures(), config.auth().lockout(), Clock.systemUTC());
    }

    LoginLimiter(int maxFailures, Duration lockout, Clock clock) {
        this.maxFailures = Math.max(1, maxFailures);
        this.lockout = lockout;
        this.clock = clock;
    }

    /** How long a login from this address for this name must wait; empty when it may go ahead. */
    public Optional<Duration> waitFor(String address, String username) {
        Instant now = clock.instant();
        Duration longest = null;
        for (String key : new String[] { "ip:" + address, "user:" + name(username) }) {
            Window w = windows.get(key);
            if (w != null && w.failures() >= maxFailures) {
                Duration left = Duration.between(now, w.start().plus(lockout));
                if (!left.isNegative() && !left.isZero() && (longest == null || left.compareTo(longest) > 0)) {
                    longest = left;
                }
            }
        }
        return Optional.ofNullable(longest);
    }

    /**
     * Lets an attempt through, counted as a failure until {@link #succeeded} takes it back; empty when it may go
     * ahead, else how long to wait (nothing is counted then).
     */
    public synchronized Optional<Duration> attempt(String address, String username) {
        Optional<Duration> wait = waitFor(address, username);
        if (wait.isEmpty()) {
            failed(address, username);
        }
        return wait;
    }

    synchronized void failed(String address, String username) {
        Instant now = clock.instant();
        if (windows.size() >= MAX_KEYS && now.isAfter(lastSweep.plusSeconds(10))) {
            // At most one sweep every 10 s: a flood of addresses must not make every failure scan the whole map.
            lastSweep = now;
            windows.values().removeIf(w -> w.start().plus(lockout).isBefore(now));
        }
        for (String key : new String[] { "ip:" + address, "user:" + name(username) }) {
            if (windows.size() >= MAX_KEYS * 2 && !windows.containsKey(key)) {
                continue; // full of live windows: the keys already counted still are
            }
            windows.merge(key, new Window(now, 1), (old, fresh) -> old.start().plus(lockout).isBefore(now)
                    ? fresh : new Window(old.start(), old.failures() + 1));
        }
    }

    /** The attempt succeeded: it no longer counts. */
    public synchronized void succeeded(String address, String username) {
        for (String key : new String[] { "ip:" + address, "user:" + name(username) }) {
            windows.computeIfPresent(key, (k, w) -> w.failures() <= 1 ? null : new Window(w.start(), w.failures() - 1));
        }
    }

    /** Forgets every failure (tests start from a clean slate). */
    public void clear() {
        windows.clear();
    }

    private static String name(String username) {
        return username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
    }
}
