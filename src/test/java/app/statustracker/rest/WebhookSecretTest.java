package app.statustracker.rest;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.Database;
import app.statustracker.support.LogCapture;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

/**
 * The shared webhook secret (issue 7): with WEBHOOK_SECRET set, a delivery must carry it in one of the forms the
 * upstreams can send; without it the answer is 401 and nothing is stored or changed. A per-source secret replaces
 * the shared one for that source.
 */
@QuarkusTest
@TestProfile(WebhookSecretTest.WithSecret.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class WebhookSecretTest {

    static final String SECRET = "hook-secret-7f3a9c21e8";
    static final String SONARR_SECRET = "sonarr-own-secret-55d0";

    public static class WithSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracker.webhook.secret", SECRET, "tracker.webhook.sources.sonarr", SONARR_SECRET);
        }
    }

    @Inject
    Database db;

    @BeforeEach
    void clean() {
        db.clean();
    }

    private static RequestSpecification json() {
        return given().contentType("application/json").body(Paprika.request().toString());
    }

    private long stored() {
        return db.count("SELECT count(*) FROM inbound_event") + db.count("SELECT count(*) FROM media_request");
    }

    @Test
    void withoutTheSecretNothingIsReadStoredOrLoggedWithWhatWasOffered() {
        try (LogCapture log = LogCapture.of(WebhookSecrets.class, Level.WARNING)) {
            json().post("/hooks/jellyseerr").then().statusCode(401)
                    .header("WWW-Authenticate", containsString("Basic"))
                    .body("detail", containsString("WEBHOOK_SECRET"));
            json().header("Authorization", "Bearer wrong-secret-guess").post("/hooks/jellyseerr").then().statusCode(401);
            json().queryParam("token", SECRET + "x").post("/hooks/jellyseerr").then().statusCode(401);
            assertEquals(0, stored(), "a refused delivery changes nothing");
            assertEquals(1, log.lines().size(), "one warning, not one per delivery: " + log.lines());
            assertTrue(log.lines().stream().noneMatch(l -> l.contains("wrong-secret-guess") || l.contains(SECRET)));
        }
    }

    @Test
    void everyFormTheUpstreamsCanSendIsAccepted() {
        // Jellyseerr: its Authorization field is sent as written; Bearer works too
        json().header("Authorization", SECRET).post("/hooks/jellyseerr").then().statusCode(200)
                .body("outcome", equalTo("applied"));
        json().header("Authorization", "Bearer " + SECRET).post("/hooks/jellyseerr").then().statusCode(200);
        // Radarr: the Basic auth password (any user name)
        String basic = Base64.getEncoder().encodeToString(("radarr:" + SECRET).getBytes(StandardCharsets.UTF_8));
        given().contentType("application/json").header("Authorization", "Basic " + basic)
                .body(Paprika.grab().toString()).post("/hooks/radarr").then().statusCode(200);
        // Jellyfin's plugin: a custom header; qBittorrent's curl: ?token=
        given().contentType("text/plain").header("X-Webhook-Secret", SECRET).body(Paprika.inJellyfin().toString())
                .post("/hooks/jellyfin").then().statusCode(200);
        given().contentType("application/json").queryParam("token", SECRET)
                .body("{\"hash\":\"" + Paprika.HASH.toLowerCase() + "\",\"name\":\"Paprika\"}").post("/hooks/qbittorrent")
                .then().statusCode(200);
        assertEquals(5, db.count("SELECT count(*) FROM inbound_event"));
    }

    @Test
    void aSourcesOwnSecretReplacesTheSharedOne() {
        String shared = Base64.getEncoder().encodeToString(("sonarr:" + SECRET).getBytes(StandardCharsets.UTF_8));
        String own = Base64.getEncoder().encodeToString(("sonarr:" + SONARR_SECRET).getBytes(StandardCharsets.UTF_8));
        given().contentType("application/json").header("Authorization", "Basic " + shared)
                .body("{\"eventType\":\"Test\"}").post("/hooks/sonarr").then().statusCode(401);
        given().contentType("application/json").header("Authorization", "Basic " + own)
                .body("{\"eventType\":\"Test\"}").post("/hooks/sonarr").then().statusCode(200)
                .body("outcome", equalTo("ignored"));
    }

    @Test
    void theStatusPageSaysTheSecretIsOn() {
        get("/api/health").then().body("webhook_secret", equalTo("on"));
    }
}
