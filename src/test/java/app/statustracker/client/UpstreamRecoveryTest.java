package app.statustracker.client;

import static io.restassured.RestAssured.get;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.LogCapture;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Issue 5, item 6: an upstream that goes down is shown as unavailable since when, with its last error and without
 * its key; calls to it fail at once instead of waiting on it; when it is back, the next call after the breaker's wait
 * (or the next reachability check) uses it again, without a restart.
 */
@QuarkusTest
@WithTestResource(StoppableSonarr.class)
class UpstreamRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SERIES = "/api/v3/series";

    @Inject
    SonarrClient sonarr;
    @Inject
    UpstreamBreakers breakers;
    @Inject
    UpstreamProbe probe;

    @BeforeEach
    void sonarrUpAndAnswering() {
        StoppableSonarr.up();
        // Whatever an earlier test left: once Sonarr answers a call, the breaker is closed.
        await().atMost(WAIT).until(() -> outcome() instanceof Optional<?>);
        StoppableSonarr.REQUESTS.clear();
    }

    /** What one call gives: the answer, or the failure. */
    private Object outcome() {
        try {
            return sonarr.seriesIdByTvdb(414057).await().atMost(WAIT);
        } catch (UpstreamException e) {
            return e;
        }
    }

    @Test
    void upstreamDownThenBackHealthShowsItNothingCrashesAndTheNextCallCatchesUp() {
        try (LogCapture log = LogCapture.of("", Level.ALL)) {
            // given Sonarr goes away (a crash, a container restart)
            StoppableSonarr.down();

            // when three calls in a row find nothing listening
            for (int i = 1; i <= 3; i++) {
                UpstreamException failed = assertInstanceOf(UpstreamException.class, outcome());
                assertFalse(failed instanceof UpstreamUnavailableException, "call " + i + " was really made");
                assertTrue(breakers.available("sonarr") || i == 3, "still tried after " + i + " failure(s)");
            }

            // then the next one fails at once, saying since when and why
            Instant before = Instant.now();
            UpstreamUnavailableException fast = assertInstanceOf(UpstreamUnavailableException.class, outcome());
            assertTrue(Duration.between(before, Instant.now()).toMillis() < 1_000, "no connection attempt");
            assertTrue(fast.getMessage().startsWith("sonarr unavailable since "), fast.getMessage());
            assertTrue(fast.getMessage().contains("connection refused") && fast.getMessage().contains("next try in"),
                    fast.getMessage());
            assertFalse(breakers.available("sonarr"), "scheduled checks can skip it");

            // and /api/health shows it unavailable since then, with the last error, without the key
            var response = get("/api/health").then().statusCode(200)
                    .body("status", equalTo("degraded"))
                    .body("upstreams.sonarr.state", equalTo("unavailable"))
                    .body("upstreams.sonarr.unavailable_since", notNullValue())
                    .body("upstreams.sonarr.next_try_at", notNullValue())
                    .body("upstreams.sonarr.last_error", containsString("connection refused"))
                    .body("upstreams.sonarr.last_error", not(containsString("414057")))
                    .body("upstreams.jellyfin.state", equalTo("not_configured"))
                    .extract();
            String health = response.asString();
            assertFalse(health.contains(StoppableSonarr.KEY), health);
            assertEquals(fast.since(), Instant.parse(response.path("upstreams.sonarr.unavailable_since")));
            assertEquals(response.<String>path("upstreams.sonarr.unavailable_since"),
                    response.path("upstreams.sonarr.since"), "unavailable since then");

            // when Sonarr is back, calls within the breaker's wait still do not reach it
            StoppableSonarr.up();
            assertInstanceOf(UpstreamUnavailableException.class, outcome());
            assertEquals(0, StoppableSonarr.requests(SERIES), "refused calls never reach Sonarr");

            // then after the wait the next call reaches it and gets its answer: one trial, nothing else
            Object caughtUp = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(this::outcome, o -> !(o instanceof UpstreamException));
            assertEquals(Optional.of(42L), caughtUp);
            assertEquals(1, StoppableSonarr.requests(SERIES), "only the trial call reached Sonarr");
            assertTrue(breakers.available("sonarr"));

            // and the status page shows it reachable again, no restart needed
            get("/api/health").then().statusCode(200)
                    .body("status", equalTo("healthy"))
                    .body("upstreams.sonarr.state", equalTo("reachable"))
                    .body("upstreams.sonarr.unavailable_since", nullValue())
                    .body("upstreams.sonarr.next_try_at", nullValue());

            List<String> lines = log.lines().stream().map(String::valueOf).toList();
            assertEquals(1, lines.stream().filter(l -> l.startsWith("sonarr is unavailable after 3 failed calls")).count(),
                    "said once, not per refused call: " + lines);
            assertEquals(1, lines.stream().filter(l -> l.startsWith("sonarr is back after")).count(), lines.toString());
            assertFalse(lines.stream().anyMatch(l -> l != null && l.contains(StoppableSonarr.KEY)), "no key in the log");
        }
    }

    @Test
    void aReachabilityCheckThatGetsAnAnswerBringsItBackBeforeTheBreakersWait() {
        StoppableSonarr.down();
        for (int i = 0; i < 3; i++) {
            outcome();
        }
        assertInstanceOf(UpstreamUnavailableException.class, outcome());
        StoppableSonarr.up();

        probe.checkAll().await().atMost(WAIT);

        assertEquals(1, StoppableSonarr.requests("/api/v3/system/status"), "the check asked Sonarr");
        assertTrue(breakers.available("sonarr"), "no need to wait for the trial");
        assertEquals(Optional.of(42L), outcome());
        get("/api/health").then().body("upstreams.sonarr.state", equalTo("reachable"))
                .body("upstreams.sonarr.unavailable_since", nullValue());
    }

    @Test
    void clientsOfAnotherAddressKeepTheirOwnBreaker() {
        StoppableSonarr.down();
        for (int i = 0; i < 3; i++) {
            outcome();
        }
        assertFalse(breakers.available("sonarr"));

        // a client built for another Sonarr (a test's fake, a second instance) is not refused because of this one
        io.vertx.mutiny.core.Vertx vertx = io.vertx.mutiny.core.Vertx.vertx();
        try (FakeUpstream other = new FakeUpstream(vertx)) {
            other.answer(call -> FakeUpstream.ok("[{\"id\":7,\"tvdbId\":1}]"));
            SonarrClient elsewhere = new SonarrClient(other.baseUrl(), "another-key", vertx, FakeUpstream.MAPPER);
            assertEquals(Optional.of(7L), elsewhere.seriesIdByTvdb(1).await().atMost(WAIT));
        } finally {
            vertx.closeAndAwait();
        }
    }
}
