package app.statustracker.health;

import static app.statustracker.health.DoctorReports.check;
import static app.statustracker.health.DoctorReports.run;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;

/**
 * Settings that work against each other, as the setup doctor reports them (the start-up log says the same from the
 * same judgement): a login required with no Jellyfin to confirm it, and deletion sync with webhooks open to anyone.
 */
@QuarkusTest
@TestProfile(TrackerSettingsDoctorTest.Conflicting.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@TestSecurity(user = "jf-admin", roles = { "user", "admin" })
class TrackerSettingsDoctorTest {

    public static class Conflicting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracker.auth.dashboard-access", "login", "tracker.deletion-sync.enabled", "true");
        }
    }

    @Test
    void aLoginNobodyCanMakeAndDeletionSyncWithOpenWebhooksAreProblems() {
        JsonPath report = run();

        assertEquals("problem", check(report, "tracker.dashboard-access", "result"));
        assertEquals("DASHBOARD_ACCESS=login, but Jellyfin is not configured",
                check(report, "tracker.dashboard-access", "found"));
        assertThat(check(report, "tracker.dashboard-access", "why"), containsString("nobody can log in"));
        assertThat(check(report, "tracker.dashboard-access", "fix"),
                containsString("Set JELLYFIN_HOST and JELLYFIN_API_KEY"));

        assertEquals("problem", check(report, "tracker.webhook-secret", "result"));
        assertEquals("Webhooks from jellyseerr, sonarr, radarr, jellyfin, qbittorrent are accepted without a secret,"
                + " and ENABLE_DELETION_SYNC is on", check(report, "tracker.webhook-secret", "found"));
        assertThat(check(report, "tracker.webhook-secret", "why"),
                containsString("deleting that request then deletes that series, movie or torrent everywhere"));
        assertThat(check(report, "tracker.webhook-secret", "fix"), containsString("Set WEBHOOK_SECRET"));
    }
}
