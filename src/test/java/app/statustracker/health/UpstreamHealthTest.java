package app.statustracker.health;

import static io.restassured.RestAssured.get;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** /api/health tells, per upstream, whether it is configured, reachable, refusing its key, or down since when. */
@QuarkusTest
@WithTestResource(FakeUpstreams.class)
class UpstreamHealthTest {

    @Test
    void eachUpstreamIsReportedWithoutItsSecret() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> get("/api/health").then()
                .body("upstreams.shoko.state", equalTo("unauthorized"))
                .body("upstreams.sonarr.state", equalTo("reachable"))
                .body("upstreams.radarr.state", equalTo("unauthorized"))
                .body("upstreams.jellyfin.state", equalTo("down")));

        String body = get("/api/health").then().statusCode(200)
                .body("status", equalTo("degraded"))
                .body("database", equalTo("connected"))
                .body("upstreams.sonarr.configured", equalTo(true))
                .body("upstreams.sonarr.since", notNullValue())
                .body("upstreams.sonarr.last_error", nullValue())
                .body("upstreams.radarr.last_error", containsString("RADARR_API_KEY"))
                .body("upstreams.jellyfin.since", notNullValue())
                .body("upstreams.jellyfin.last_error", containsString("Connection refused"))
                .body("upstreams.qbittorrent.state", equalTo("not_configured"))
                .body("upstreams.qbittorrent.hint", containsString("QBIT_HOST"))
                .body("upstreams.shoko.state", equalTo("unauthorized"))
                .body("upstreams.shoko.last_error", containsString("SHOKO_API_KEY"))
                .body("sse_clients", notNullValue())
                .extract().asString();
        assertFalse(body.contains(FakeUpstreams.SONARR_KEY));
        assertFalse(body.contains(FakeUpstreams.RADARR_WRONG_KEY));
        assertFalse(body.contains(FakeUpstreams.JELLYFIN_KEY));
        assertFalse(body.contains("shoko-fake-key"));

        String log = String.join("\n", FakeUpstreams.logLines());
        org.junit.jupiter.api.Assertions.assertTrue(log.contains("radarr is unauthorized"), "the log says what is wrong");
        org.junit.jupiter.api.Assertions.assertTrue(log.contains("sonarr: configured (127.0.0.1:"), "start-up names configured upstreams: " + log);
        org.junit.jupiter.api.Assertions.assertTrue(log.contains("qbittorrent: not configured (set QBIT_HOST"), "and unconfigured ones");
        assertFalse(log.contains(FakeUpstreams.SONARR_KEY) || log.contains(FakeUpstreams.RADARR_WRONG_KEY)
                || log.contains(FakeUpstreams.JELLYFIN_KEY) || log.contains("shoko-fake-key"), "no API key in any log line");
    }

    @Test
    void readinessDependsOnTheDatabaseOnlyNotOnUpstreams() {
        get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
