package app.statustracker.health;

import static app.statustracker.health.DoctorReports.check;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import app.statustracker.support.Database;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.inject.Inject;

/**
 * The setup doctor's checks of the tracker itself, on a real PostgreSQL: the clocks of upstreams whose answers carry a
 * skewed {@code Date} header (Sonarr 7 minutes behind), an upstream that never answers (unknown after
 * {@code DOCTOR_CHECK_TIMEOUT}), the database and its raw-event retention, and the run the
 * scheduler starts by itself after {@code DOCTOR_DELAY}, which reads the database outside any HTTP request.
 */
@QuarkusTest
@TestProfile(TrackerDoctorChecksTest.SkewedClocks.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = TrackerDoctorChecksTest.SkewedUpstreams.class)
@TestSecurity(user = "jf-admin", roles = { "user", "admin" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrackerDoctorChecksTest {

    public static class SkewedClocks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracker.doctor.delay", "2s", "tracker.upstream-check.delay", "1s",
                    "tracker.doctor.check-timeout", "2s",
                    // Retention must not run here: the test leaves an old raw event in place on purpose.
                    "tracker.retention.prune-delay", "1h", "tracker.retention.prune-every", "1h");
        }
    }

    /**
     * Sonarr, Radarr and Jellyfin as three HTTP servers that answer anything with 200 and a {@code Date} header off by
     * a set amount (Vert.x, which sends no Date of its own; the JDK's server would overwrite it), and Jellyseerr as a server
     * that never answers.
     */
    public static class SkewedUpstreams implements QuarkusTestResourceLifecycleManager {
        private Vertx vertx;

        @Override
        public Map<String, String> start() {
            vertx = Vertx.vertx();
            Map<String, String> config = new java.util.HashMap<>();
            // Half a second on top: the header has whole seconds, so the reading is the whole minutes asked for.
            serve(config, "sonarr", Duration.ofMinutes(-7).minusMillis(500));
            serve(config, "radarr", Duration.ZERO);
            serve(config, "jellyfin", Duration.ofSeconds(20).plusMillis(500));
            // Jellyseerr takes the connection and never answers.
            HttpServer silent = vertx.createHttpServer().requestHandler(req -> {
            });
            config.put("tracker.jellyseerr.host", "127.0.0.1");
            config.put("tracker.jellyseerr.port", String.valueOf(listen(silent)));
            config.put("tracker.jellyseerr.api-key", "jellyseerr-silent-key-19d4");
            return config;
        }

        private void serve(Map<String, String> config, String name, Duration skew) {
            HttpServer server = vertx.createHttpServer().requestHandler(req -> req.response()
                    .putHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME
                            .format(Instant.now().plus(skew).atOffset(ZoneOffset.UTC)))
                    .putHeader("Content-Type", "application/json").end("{}"));
            int port = listen(server);
            config.put("tracker." + name + ".host", "127.0.0.1");
            config.put("tracker." + name + ".port", String.valueOf(port));
            config.put("tracker." + name + ".api-key", name + "-clock-key-7c1e");
        }

        private static int listen(HttpServer server) {
            try {
                return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10,
                        TimeUnit.SECONDS).actualPort();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().join();
            }
        }
    }

    @Inject
    Database database;

    @BeforeEach
    void clean() {
        database.clean();
    }

    private static JsonPath awaitReport(java.util.function.Supplier<JsonPath> read,
            java.util.function.Predicate<JsonPath> done) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonPath report = read.get();
        while (!done.test(report) && System.nanoTime() < until) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            report = read.get();
        }
        return report;
    }

    @Test
    @Order(1)
    void theSchedulerRunsTheDoctorBySelfAndItReadsTheDatabaseOutsideAnyRequest() {
        // No POST before this: only the scheduled run (DOCTOR_DELAY 2 s) can fill the report.
        JsonPath report = awaitReport(() -> given().get("/api/doctor").then().statusCode(200).extract().jsonPath(),
                r -> r.getString("ran_at") != null && !r.getBoolean("running"));
        assertEquals("ok", check(report, "tracker.database", "result"), check(report, "tracker.database", "found"));
        assertThat(check(report, "tracker.database", "found"), containsString(
                "raw events are kept 30 days (EVENT_RETENTION_DAYS)"));
    }

    @Test
    @Order(2)
    void anUpstreamWhoseClockIsSevenMinutesBehindIsAProblemOnItsHost() {
        JsonPath report = awaitReport(() -> given().post("/api/doctor/run").then().statusCode(200).extract()
                .jsonPath(), r -> check(r, "tracker.clock", "found").contains("sonarr -"));
        assertEquals("problem", check(report, "tracker.clock", "result"), check(report, "tracker.clock", "found"));
        String found = check(report, "tracker.clock", "found");
        assertThat(found, containsString("sonarr -7 min"));
        assertThat(found, containsString("jellyfin +"));
        assertThat(found, containsString("radarr "));
        String fix = check(report, "tracker.clock", "fix");
        assertThat(fix, containsString("Turn on time synchronisation on sonarr's host"));
        assertThat(fix, not(containsString("jellyfin"))); // 20 s off is within what the tracker tolerates
        assertThat(check(report, "tracker.clock", "why"), containsString("5 minutes of overlap"));
        assertThat(found, containsString("jellyseerr no recent reading")); // it never answers
    }

    @Test
    @Order(3)
    void anUpstreamThatNeverAnswersIsUnknownAfterTheCheckTimeLimitAndHoldsNothingUp() {
        JsonPath report = given().post("/api/doctor/run").then().statusCode(200).extract().jsonPath();
        assertEquals("unknown", check(report, "jellyseerr.webhook", "result"));
        assertEquals("jellyseerr did not answer within 2 s", check(report, "jellyseerr.webhook", "found"));
        assertEquals("ok", check(report, "tracker.database", "result"), "the other checks still report");
    }

    @Test
    @Order(4)
    void rawEventsOlderThanTheRetentionAreAWarningThatPruningStopped() {
        database.run("INSERT INTO inbound_event (source, event_type, received_at, dedupe_key, outcome, payload)"
                + " VALUES ('sonarr', 'Grab', now() - interval '45 days', 'doctor-old-1', 'applied', '{}')");
        JsonPath report = given().post("/api/doctor/run").then().statusCode(200).extract().jsonPath();
        assertEquals("warning", check(report, "tracker.database", "result"));
        assertThat(check(report, "tracker.database", "found"), containsString("1 raw events"));
        assertThat(check(report, "tracker.database", "why"), containsString(
                "Raw events older than 30 days should have been deleted"));
        assertThat(check(report, "tracker.database", "fix"), containsString("RETENTION_PRUNE_EVERY"));

        database.run("DELETE FROM inbound_event");
        report = given().post("/api/doctor/run").then().statusCode(200).extract().jsonPath();
        assertEquals("ok", check(report, "tracker.database", "result"));
        assertThat(check(report, "tracker.database", "found"), containsString("0 raw events"));
    }

    // --- the clock judgement itself, for cases a fake server cannot stage cheaply ----------------------------------

    private static Map<String, Duration> offsets(Object... pairs) {
        Map<String, Duration> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Duration) pairs[i + 1]);
        }
        return map;
    }

    @Test
    void fixTextsUseTrackerUrlWithoutItsTrailingSlashOrAPlaceholderWithoutIt() {
        assertEquals("http://status-tracker:8000",
                DoctorRun.of(" http://status-tracker:8000// ", Duration.ofSeconds(10)).trackerUrl());
        assertEquals("http://<tracker>:8000", DoctorRun.of("", Duration.ofSeconds(10)).trackerUrl());
        assertEquals("http://<tracker>:8000", DoctorRun.of(null, Duration.ofSeconds(10)).trackerUrl());
    }

    @Test
    void whenEveryUpstreamDisagreesTheSameWayTheTrackersClockIsTheOneToFix() {
        DoctorCheck c = TrackerDoctorChecks.clockFinding(offsets("sonarr", Duration.ofMinutes(3), "radarr",
                Duration.ofMinutes(3).plusSeconds(1), "jellyfin", Duration.ofMinutes(3)));
        assertEquals(DoctorCheck.Result.WARNING, c.result());
        assertThat(c.fix(), containsString("on the tracker's host"));
        assertThat(c.found(), containsString("sonarr +3 min 0 s, radarr +3 min 1 s, jellyfin +3 min 0 s"));
    }

    @Test
    void clocksWithinAMinuteAreOkAndUnreadClocksAreUnknown() {
        assertEquals(DoctorCheck.Result.OK, TrackerDoctorChecks.clockFinding(offsets("sonarr", Duration.ofSeconds(-2),
                "radarr", Duration.ofSeconds(59))).result());
        assertEquals(DoctorCheck.Result.UNKNOWN, TrackerDoctorChecks.clockFinding(offsets("sonarr", null)).result());
        DoctorCheck mixed = TrackerDoctorChecks.clockFinding(offsets("sonarr", Duration.ofMinutes(2), "radarr",
                Duration.ofMinutes(-2), "jellyfin", null));
        assertThat(mixed.fix(), containsString("the hosts of sonarr and radarr"));
        assertEquals(DoctorCheck.Result.WARNING, mixed.result());
    }
}
