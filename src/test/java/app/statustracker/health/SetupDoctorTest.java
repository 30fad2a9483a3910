package app.statustracker.health;

import static app.statustracker.health.DoctorReports.run;
import static app.statustracker.health.DoctorReports.check;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;

/**
 * The setup doctor (issue 8) against Sonarr, Radarr and Jellyseerr faked with their real API shapes
 * ({@code /api/v3/notification} NotificationResource, Jellyseerr's webhook agent settings): a well-wired homelab is all
 * ok, the seed deployment's real failures are problems with the exact fix, and an upstream that is down is unknown
 * without holding the others up.
 */
@QuarkusTest
@TestProfile(SetupDoctorTest.WithAddress.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
@TestSecurity(user = "jf-admin", roles = { "user", "admin" })
class SetupDoctorTest {

    public static class WithAddress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracker.public-url", "http://status-tracker:8000");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Jellyseerr's bits for pending, approved, available, failed, declined and auto-approved. */
    private static final long REQUEST_TYPES = 2 + 4 + 8 + 16 + 64 + 128;

    @BeforeEach
    void clean() {
        FakeMediaServer.reset();
    }

    /** A connection as Sonarr/Radarr's {@code GET /api/v3/notification} lists it. */
    private static ObjectNode connection(String name, String implementation, String url, String... flagsOn) {
        return FakeArr.connection(1, name, implementation, url, flagsOn);
    }

    @Test
    void aWellWiredHomelabIsAllOk() {
        FakeArr.SONARR.notifications.add(connection("status-tracker", "Webhook",
                "http://status-tracker:8000/hooks/sonarr", "onGrab", "onDownload", "onUpgrade", "onSeriesAdd",
                "onSeriesDelete"));
        FakeArr.RADARR.notifications.add(connection("status-tracker", "Webhook",
                "http://status-tracker:8000/hooks/radarr", "onGrab", "onDownload", "onUpgrade", "onMovieAdded",
                "onMovieDelete"));
        FakeArr.jellyseerrWebhook(true, REQUEST_TYPES, "http://status-tracker:8000/hooks/jellyseerr");

        JsonPath report = run();
        for (String id : new String[] { "sonarr.webhook", "radarr.webhook", "jellyseerr.webhook" }) {
            org.junit.jupiter.api.Assertions.assertEquals("ok", check(report, id, "result"), id + ": "
                    + check(report, id, "found"));
        }
        org.junit.jupiter.api.Assertions.assertEquals("warning", check(report, "tracker.webhook-secret", "result"));
        given().get("/api/doctor").then().statusCode(200).body("ran_at", org.hamcrest.Matchers.notNullValue())
                .body("checks.id", org.hamcrest.Matchers.hasItems("sonarr.webhook", "radarr.webhook",
                        "jellyseerr.webhook", "tracker.webhook-secret", "qbittorrent.completion-hook"))
                .body("checks.find { it.id == 'qbittorrent.completion-hook' }.result", equalTo("unknown"));
    }

    @Test
    void theSeedsRealFailuresAreProblemsWithTheExactFix() {
        // Sonarr: the webhook connection was never made (only a Discord one exists)
        FakeArr.SONARR.notifications.add(connection("Discord", "Discord", null, "onGrab"));
        // Radarr: the webhook exists but does not send imports
        FakeArr.RADARR.notifications.add(connection("status-tracker", "Webhook",
                "http://status-tracker:8000/hooks/radarr", "onGrab", "onMovieAdded", "onMovieDelete"));
        // Jellyseerr: the webhook agent is disabled
        FakeArr.jellyseerrWebhook(false, REQUEST_TYPES, "http://status-tracker:8000/hooks/jellyseerr");

        JsonPath report = run();
        org.junit.jupiter.api.Assertions.assertEquals("problem", check(report, "sonarr.webhook", "result"));
        org.hamcrest.MatcherAssert.assertThat(check(report, "sonarr.webhook", "found"),
                containsString("No Webhook connection in Sonarr points at /hooks/sonarr (its connections: Discord)"));
        org.hamcrest.MatcherAssert.assertThat(check(report, "sonarr.webhook", "fix"), containsString(
                "Sonarr → Settings → Connect → + → Webhook: Name \"status-tracker\", URL"
                        + " http://status-tracker:8000/hooks/sonarr, Method POST; tick On Grab, On File Import,"
                        + " On Series Add, On Series Delete"));
        org.hamcrest.MatcherAssert.assertThat(check(report, "sonarr.webhook", "why"), containsString("reconciliation"));

        org.junit.jupiter.api.Assertions.assertEquals("problem", check(report, "radarr.webhook", "result"));
        org.hamcrest.MatcherAssert.assertThat(check(report, "radarr.webhook", "found"),
                containsString("does not send: On File Import"));
        org.hamcrest.MatcherAssert.assertThat(check(report, "radarr.webhook", "fix"),
                containsString("Radarr → Settings → Connect → \"status-tracker\": tick On File Import"));

        org.junit.jupiter.api.Assertions.assertEquals("problem", check(report, "jellyseerr.webhook", "result"));
        org.hamcrest.MatcherAssert.assertThat(check(report, "jellyseerr.webhook", "found"),
                containsString("The webhook agent is disabled"));
        org.hamcrest.MatcherAssert.assertThat(check(report, "jellyseerr.webhook", "fix"), containsString(
                "Jellyseerr → Settings → Notifications → Webhook: tick Enable Agent, Webhook URL"
                        + " http://status-tracker:8000/hooks/jellyseerr"));
    }

    @Test
    void aRefusedKeyNamesTheSettingToFix() {
        FakeArr.SONARR.failWith = 401;
        JsonPath report = run();
        org.junit.jupiter.api.Assertions.assertEquals("unknown", check(report, "sonarr.webhook", "result"));
        org.hamcrest.MatcherAssert.assertThat(check(report, "sonarr.webhook", "found"),
                containsString("HTTP 401 (the API key was refused; check SONARR_API_KEY)"));
        org.junit.jupiter.api.Assertions.assertEquals("Copy the API key from sonarr (Sonarr, Radarr, Jellyseerr:"
                + " Settings → General → API Key) into SONARR_API_KEY and restart the tracker.",
                check(report, "sonarr.webhook", "fix"));
    }

    @Test
    void aSecretInAStoredWebhookUrlIsNotRepeated() {
        // ?token=<WEBHOOK_SECRET> works for every source (README shows it for qBittorrent), and a URL may carry
        // user:password@; findings are as public as the dashboard.
        FakeArr.RADARR.notifications.add(connection("status-tracker", "Webhook",
                "http://tracker:pa55-word-71@status-tracker:8000/hooks/radarr?token=S3CRET-abc", "onGrab"));
        FakeArr.jellyseerrWebhook(true, 2, "http://status-tracker:8000/hooks/jellyseerr?token=S3CRET-abc");

        JsonPath report = run();
        org.hamcrest.MatcherAssert.assertThat(check(report, "radarr.webhook", "found"), containsString(
                "Webhook \"status-tracker\" → http://status-tracker:8000/hooks/radarr?token=*** does not send"));
        org.hamcrest.MatcherAssert.assertThat(check(report, "jellyseerr.webhook", "found"), containsString(
                "The webhook agent → http://status-tracker:8000/hooks/jellyseerr?token=*** does not send"));
        String all = given().get("/api/doctor").asString();
        assertFalse(all.contains("S3CRET-abc") || all.contains("pa55-word-71"), all);
    }

    @Test
    void anUpstreamThatIsDownIsUnknownAndNoKeyIsInAnyResult() {
        FakeArr.SONARR.failWith = 500;
        FakeArr.jellyseerrWebhook(true, 2 + 128, "http://status-tracker:8000/hooks/jellyseerr");
        JsonPath report = run();
        org.junit.jupiter.api.Assertions.assertEquals("unknown", check(report, "sonarr.webhook", "result"));
        org.hamcrest.MatcherAssert.assertThat(check(report, "sonarr.webhook", "found"),
                containsString("sonarr could not be asked"));
        org.junit.jupiter.api.Assertions.assertEquals("problem", check(report, "radarr.webhook", "result"),
                "Radarr answers (no connections): not held up by Sonarr");
        org.hamcrest.MatcherAssert.assertThat(check(report, "jellyseerr.webhook", "found"), containsString(
                "does not send: Request Approved, Request Available, Request Processing Failed, Request Declined"));
        String all = given().get("/api/doctor").asString();
        for (String key : new String[] { FakeMediaServer.SONARR_KEY, FakeMediaServer.RADARR_KEY,
                FakeMediaServer.JELLYSEERR_KEY, FakeMediaServer.JELLYFIN_KEY }) {
            assertFalse(all.contains(key), key);
        }
    }
}
