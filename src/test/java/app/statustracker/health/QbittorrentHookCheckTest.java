package app.statustracker.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.PostgresTestResource;
import app.statustracker.support.QbittorrentNox;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;

/**
 * The setup doctor's qBittorrent check against a real qbittorrent-nox: its version, and whether "Run external program
 * on torrent finished" calls this tracker, read from its real preferences.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = QbittorrentNox.class)
@TestSecurity(user = "jf-admin", roles = { "user", "admin" })
class QbittorrentHookCheckTest {

    private static final String ID = "qbittorrent.completion-hook";

    @AfterEach
    void hookOff() throws Exception {
        QbittorrentNox.current().setPreferences("{\"autorun_enabled\": false, \"autorun_program\": \"\"}");
    }

    private static JsonPath check() {
        given().post("/api/doctor/run").then().statusCode(200);
        return JsonPath.from(given().get("/api/doctor").asString()).setRootPath("checks.find { it.id == '" + ID + "' }");
    }

    @Test
    void withoutTheHookItIsAWarningWithTheCommandToSetUp() {
        JsonPath check = check();
        assertEquals("warning", check.getString("result"));
        assertThat(check.getString("found"), startsWith("qBittorrent v"));
        assertThat(check.getString("found"), containsString("\"Run on torrent finished\" is off"));
        assertThat(check.getString("fix"), containsString("Run external program"));
        assertThat(check.getString("fix"), containsString("/hooks/qbittorrent?token=<WEBHOOK_SECRET>"));
        assertThat(check.getString("fix"), containsString("\"hash\": \"%I\""));
    }

    @Test
    void aHookThatCallsTheTrackerIsOkAndOneThatDoesNotIsAWarning() throws Exception {
        QbittorrentNox.current().setPreferences("{\"autorun_enabled\": true, \"autorun_program\": \"/usr/local/bin/notify.sh %I\"}");
        JsonPath other = check();
        assertEquals("warning", other.getString("result"));
        assertThat(other.getString("found"), containsString("does not call /hooks/qbittorrent"));

        QbittorrentNox.current().setPreferences("{\"autorun_enabled\": true, \"autorun_program\": \"curl -X POST"
                + " http://status-tracker:8000/hooks/qbittorrent -H 'Content-Type: application/json'"
                + " -d '{\\\"hash\\\": \\\"%I\\\"}'\"}");
        JsonPath ok = check();
        assertEquals("ok", ok.getString("result"), ok.getString("found"));
        assertThat(ok.getString("found"), containsString("calls /hooks/qbittorrent"));
    }
}
