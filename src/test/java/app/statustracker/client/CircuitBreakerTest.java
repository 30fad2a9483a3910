package app.statustracker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

import app.statustracker.support.LogCapture;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;

/** The breaker's states, driven by a clock the test moves: no network, no waiting. */
class CircuitBreakerTest {

    /** A clock that only moves when told to. */
    static final class TestClock extends Clock {
        private Instant now = Instant.parse("2025-03-01T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    final TestClock clock = new TestClock();
    final CircuitBreaker breaker = new CircuitBreaker("sonarr", 3, Duration.ofSeconds(30), Duration.ofMinutes(5),
            clock);
    /** How often a call really reached "the network". */
    final AtomicInteger calls = new AtomicInteger();

    static UpstreamException refused() {
        return new UpstreamException("sonarr", "/api/v3/queue", null,
                "sonarr GET /api/v3/queue at 10.0.0.5:8989: connection refused or unreachable (ConnectException)",
                null, true);
    }

    static UpstreamException status(int status) {
        return new UpstreamException("sonarr", "/api/v3/queue", status, "sonarr GET /api/v3/queue: HTTP " + status,
                null, status >= 500);
    }

    Supplier<Uni<String>> failing(Throwable failure) {
        return () -> {
            calls.incrementAndGet();
            return Uni.createFrom().failure(failure);
        };
    }

    Supplier<Uni<String>> answering() {
        return () -> {
            calls.incrementAndGet();
            return Uni.createFrom().item("ok");
        };
    }

    Throwable outcome(Supplier<Uni<String>> call) {
        try {
            breaker.guard(call).await().indefinitely();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    void open() {
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(UpstreamException.class, outcome(failing(refused())));
        }
        assertTrue(breaker.snapshot().open());
        calls.set(0);
    }

    @Test
    void opensAfterThreeFailuresInARowAndThenFailsAtOnceWithoutCalling() {
        Instant start = clock.instant();
        for (int i = 0; i < 2; i++) {
            assertFalse(outcome(failing(refused())) instanceof UpstreamUnavailableException);
            assertFalse(breaker.snapshot().open(), "not after " + (i + 1));
            clock.advance(Duration.ofSeconds(1));
        }
        Throwable third = outcome(failing(refused()));
        assertFalse(third instanceof UpstreamUnavailableException, "the third call was made and failed as itself");
        assertEquals(3, calls.get());

        CircuitBreaker.Snapshot open = breaker.snapshot();
        assertTrue(open.open());
        assertEquals(start.plusSeconds(2), open.unavailableSince());
        assertEquals(start.plusSeconds(32), open.nextTryAt());
        assertTrue(open.lastError().contains("connection refused"), open.lastError());
        assertFalse(breaker.available());

        clock.advance(Duration.ofSeconds(10));
        UpstreamUnavailableException fast = assertInstanceOf(UpstreamUnavailableException.class,
                outcome(failing(refused())));
        assertEquals(3, calls.get(), "refused without calling");
        assertEquals("sonarr unavailable since 2025-03-01T10:00:02Z: sonarr GET /api/v3/queue at 10.0.0.5:8989:"
                + " connection refused or unreachable (ConnectException); next try in 20 s", fast.getMessage());
        assertEquals(open.unavailableSince(), fast.since());
        assertEquals("sonarr", fast.upstream());
        assertEquals(open.lastError(), fast.problem(), "the part that does not change from one refusal to the next");
    }

    @Test
    void answersEvenRefusalsResetTheCountOnlyUnavailabilityCounts() {
        outcome(failing(refused()));
        outcome(failing(status(503)));
        outcome(failing(status(404))); // an answer: Sonarr is there
        outcome(failing(refused()));
        outcome(failing(status(401)));
        outcome(failing(new IllegalStateException("a bug in the caller"))); // neither
        outcome(failing(refused()));
        outcome(failing(refused()));
        assertFalse(breaker.snapshot().open(), "never three unavailability failures in a row");

        UpstreamException notJson = new UpstreamException("sonarr", "/api/v3/queue", 200,
                "sonarr GET /api/v3/queue: the answer is not JSON", null, false, true);
        outcome(failing(notJson));
        assertTrue(breaker.snapshot().open(), "an answer that is not JSON counts: a proxy's error page, a login page");
        assertTrue(breaker.snapshot().lastError().contains("not JSON"));
    }

    @Test
    void afterTheWaitOneTrialGoesThroughWhileOthersStillFailAtOnceAndItsAnswerClosesTheBreaker() {
        open();
        clock.advance(Duration.ofSeconds(30));
        assertTrue(breaker.available(), "a trial is due");

        AtomicReference<UniEmitter<? super String>> pending = new AtomicReference<>();
        AtomicReference<String> trialResult = new AtomicReference<>();
        breaker.guard(() -> {
            calls.incrementAndGet();
            return Uni.createFrom().<String>emitter(pending::set);
        }).subscribe().with(trialResult::set);
        assertEquals(1, calls.get());

        assertFalse(breaker.available(), "while the trial is under way");
        UpstreamUnavailableException concurrent = assertInstanceOf(UpstreamUnavailableException.class,
                outcome(answering()));
        assertTrue(concurrent.getMessage().endsWith("; a try is under way"), concurrent.getMessage());
        assertEquals(1, calls.get());

        try (LogCapture log = LogCapture.of(CircuitBreaker.class, Level.INFO)) {
            clock.advance(Duration.ofSeconds(2));
            pending.get().complete("back");
            assertEquals("back", trialResult.get());
            assertEquals(List.of("sonarr is back after 32 s (a trial call answered)"), log.lines());
        }
        assertFalse(breaker.snapshot().open());
        assertNull(breaker.snapshot().nextTryAt());
        assertEquals(clock.instant(), breaker.snapshot().answeringSince());
        assertNull(outcome(answering()));
        assertEquals(2, calls.get());
    }

    @Test
    void eachFailedTrialDoublesTheWaitUpToTheMaximumAndTheUnavailableSinceStays() {
        Instant since = clock.instant();
        open();
        List<Integer> waits = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Duration wait = Duration.between(clock.instant(), breaker.snapshot().nextTryAt());
            waits.add((int) wait.toSeconds());
            clock.advance(wait.minusSeconds(1));
            assertInstanceOf(UpstreamUnavailableException.class, outcome(failing(refused())), "not yet");
            clock.advance(Duration.ofSeconds(1));
            int before = calls.get();
            assertFalse(outcome(failing(status(502))) instanceof UpstreamUnavailableException, "the trial");
            assertEquals(before + 1, calls.get());
        }
        assertEquals(List.of(30, 60, 120, 240, 300, 300), waits);
        assertEquals(since, breaker.snapshot().unavailableSince(), "unavailable since the first time, not the last try");
        assertTrue(breaker.snapshot().lastError().contains("HTTP 502"), "the last error is the latest one");

        // and once it answers, the next outage starts again from the first wait
        clock.advance(Duration.ofMinutes(5));
        assertNull(outcome(answering()));
        open();
        assertEquals(clock.instant().plusSeconds(30), breaker.snapshot().nextTryAt());
    }

    @Test
    void openingIsLoggedOnceAndNotForEachRefusedCall() {
        try (LogCapture log = LogCapture.of(CircuitBreaker.class, Level.INFO)) {
            open();
            for (int i = 0; i < 20; i++) {
                outcome(failing(refused()));
            }
            clock.advance(Duration.ofSeconds(30));
            outcome(failing(refused())); // a failed trial: no new warning
            assertEquals(1, log.lines().size(), log.lines().toString());
            assertTrue(log.lines().get(0).startsWith("sonarr is unavailable after 3 failed calls in a row: sonarr GET"),
                    log.lines().get(0));
        }
    }

    @Test
    void aTrialNobodyWaitsForAnyMoreDoesNotKeepTheBreakerShut() {
        open();
        clock.advance(Duration.ofSeconds(30));
        Cancellable trial = breaker.guard(() -> Uni.createFrom().<String>emitter(e -> {
        })).subscribe().with(x -> {
        });
        assertFalse(breaker.available());
        trial.cancel();
        assertTrue(breaker.available(), "the next call is the trial");
        assertNull(outcome(answering()));
        assertFalse(breaker.snapshot().open());
    }

    @Test
    void theLastErrorKeepsNoSecretAndNoQueryString() {
        UpstreamException leaky = new UpstreamException("sonarr", "/api/v3/queue", null,
                "GET http://sonarr:8989/api/v3/queue?apikey=0123456789abcdef&page=2 failed, X-Api-Key: 0123456789abcdef,"
                        + " Authorization: Bearer tok.en.value",
                null, true);
        for (int i = 0; i < 3; i++) {
            outcome(failing(leaky));
        }
        String shown = breaker.snapshot().lastError();
        assertFalse(shown.contains("0123456789abcdef"), shown);
        assertFalse(shown.contains("tok.en.value"), shown);
        assertFalse(shown.contains("page=2"), shown);
        assertTrue(shown.startsWith("GET http://sonarr:8989/api/v3/queue failed"), shown);
        Throwable fast = outcome(answering());
        assertFalse(fast.getMessage().contains("0123456789abcdef"), fast.getMessage());
    }

    @Test
    void aStatusCheckThatAnswersClosesABreakerOpenedBySilenceButNotOneOpenedByBadAnswers() {
        open();
        breaker.probeAnswered();
        assertFalse(breaker.snapshot().open(), "nothing answered before; now something does");

        for (int i = 0; i < 3; i++) {
            outcome(failing(status(500)));
        }
        breaker.probeAnswered();
        assertTrue(breaker.snapshot().open(), "its status page answering says nothing about the calls' 500s");
    }

    @Test
    void aCallThatAnswersWhileOpenClosesItToo() {
        // e.g. one let through just before it opened, answering late
        AtomicReference<UniEmitter<? super String>> slow = new AtomicReference<>();
        breaker.guard(() -> Uni.createFrom().<String>emitter(slow::set)).subscribe().with(x -> {
        });
        open();
        slow.get().complete("late");
        assertFalse(breaker.snapshot().open());
        assertSame(CircuitBreaker.State.CLOSED, breaker.snapshot().state());
    }
}
