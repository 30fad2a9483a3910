package app.statustracker.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.Database;
import app.statustracker.support.FakeJellyfinUsers;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import app.statustracker.support.SseTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * DASHBOARD_ACCESS=login: nothing about requests is readable without a Jellyfin login, neither the API nor the live
 * stream; the dashboard's files, health and the login routes stay open, and webhooks keep working (they have their
 * own secret).
 */
@QuarkusTest
@TestProfile(LoginRequiredTest.Profile.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class LoginRequiredTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracker.auth.dashboard-access", "login");
        }
    }

    @TestHTTPResource("/")
    java.net.URL url;
    @Inject
    Database db;
    @Inject
    LoginLimiter limiter;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
        limiter.clear();
    }

    @Test
    void anonymousReadsAndTheStreamAre401ButHealthFilesLoginAndWebhooksAreOpen() {
        long id = given().contentType("application/json").body(Paprika.request().toString()).post("/hooks/jellyseerr")
                .then().statusCode(200).extract().jsonPath().getLong("request_id");
        for (String path : new String[] { "/api/requests", "/api/requests/active", "/api/requests/" + id,
                "/api/history", "/api/stats", "/api/sse" }) {
            given().get(path).then().statusCode(401).body("detail", containsString("Login required"));
        }
        given().get("/api/health").then().statusCode(200);
        given().get("/").then().statusCode(200);
        given().get("/api/auth/session").then().statusCode(200).body("authenticated", equalTo(false))
                .body("login_required", equalTo(true));
    }

    @Test
    void aViewersLoginOpensTheReads() {
        given().contentType("application/json").body(Paprika.request().toString()).post("/hooks/jellyseerr").then()
                .statusCode(200);
        String cookie = LoginTest.login(FakeJellyfinUsers.VIEWER).then().statusCode(200)
                .body("login_required", equalTo(true)).extract().cookie(SessionCookie.NAME);
        given().cookie(SessionCookie.NAME, cookie).get("/api/requests").then().statusCode(200)
                .body("total", equalTo(1));
        given().cookie(SessionCookie.NAME, cookie).get("/api/events").then().statusCode(403);
    }

    @Test
    void aLogoutClosesTheStreamsOpenedWithThatSessionAndNoOther() {
        String viewer = LoginTest.login(FakeJellyfinUsers.VIEWER).then().statusCode(200).extract()
                .cookie(SessionCookie.NAME);
        String admin = LoginTest.login(FakeJellyfinUsers.ADMIN).then().statusCode(200).extract()
                .cookie(SessionCookie.NAME);
        try (SseTestClient viewerTab = SseTestClient.connect(url, "/api/sse", null,
                Map.of("Cookie", SessionCookie.NAME + "=" + viewer));
                SseTestClient otherTab = SseTestClient.connect(url, "/api/sse", null,
                        Map.of("Cookie", SessionCookie.NAME + "=" + viewer));
                SseTestClient adminTab = SseTestClient.connect(url, "/api/sse", null,
                        Map.of("Cookie", SessionCookie.NAME + "=" + admin))) {
            for (SseTestClient tab : List.of(viewerTab, otherTab, adminTab)) {
                assertEquals(200, tab.status());
                assertEquals("connected", tab.nextEvent(Duration.ofSeconds(5)).event());
            }

            given().cookie(SessionCookie.NAME, viewer).header("Origin", "http://localhost:" + url.getPort())
                    .post("/api/auth/logout").then().statusCode(200);

            // Both of the viewer's streams end (a request in another tab would now get 401); the admin's goes on.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> viewerTab.ended() && otherTab.ended());
            given().contentType("application/json").body(Paprika.request().toString()).post("/hooks/jellyseerr")
                    .then().statusCode(200);
            assertEquals("update", adminTab.nextEvent(Duration.ofSeconds(5)).event());
            assertFalse(adminTab.ended());
            given().cookie(SessionCookie.NAME, viewer).get("/api/sse").then().statusCode(401);
        }
    }
}
