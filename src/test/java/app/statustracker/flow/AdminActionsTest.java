package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.deliverAndGetRequestId;
import static app.statustracker.flow.Scenario.request;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.service.TimeoutCheck;
import app.statustracker.support.Database;
import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;

/**
 * An admin's Retry and Verify on one request (PRODUCT.md §3, issue 7): Verify asks Jellyfin now; Retry asks Jellyfin
 * first, else sends the request back to approved and asks Radarr to search again. Only admins may do either.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class AdminActionsTest {

    @Inject
    Database db;
    @Inject
    TimeoutCheck timeouts;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
    }

    /** Paprika grabbed two hours ago and timed out (GRABBING_TIMEOUT 60 minutes). */
    private int timedOut() {
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.grab());
        db.run("UPDATE media_request SET state_changed_at = now() - interval '2 hours' WHERE id = " + id);
        timeouts.run().await().atMost(Duration.ofSeconds(10));
        request(id).body("state", equalTo("timeout"));
        return id;
    }

    @Test
    @TestSecurity(user = "jf-admin", roles = { "user", "admin" })
    void retryOfATimedOutMovieThatJellyfinLacksGoesBackToApprovedAndAsksRadarrToSearch() {
        int id = timedOut();

        given().post("/api/requests/" + id + "/retry").then().statusCode(200).body("outcome", equalTo("retried"))
                .body("request.state", equalTo("approved")).body("request.stuck_reason", nullValue())
                .body("message", containsString("Retried from Timeout"))
                .body("message", containsString("asked Radarr to search again"));
        assertEquals(List.of("radarr POST /api/v3/command {\"name\":\"MoviesSearch\",\"movieIds\":[18]}"),
                FakeArr.WRITES.stream().map(w -> w.upstream() + " " + w.method() + " " + w.path() + " "
                        + w.body().replace(" ", "")).toList());
        request(id).body("timeline_events.event_type", hasItem("Retry"))
                .body("timeline_events.service", hasItem("admin"))
                .body("timeline_events.details", hasItem("Retried from Timeout by an admin; Radarr searches again"));
        assertEquals(1, db.count("SELECT count(*) FROM inbound_event WHERE source = 'admin' AND payload LIKE "
                + "'%\"by\":\"jf-admin\"%'"), "the action is in the event log with who did it");

        // a second click on a request that is no longer stuck changes nothing
        given().post("/api/requests/" + id + "/retry").then().statusCode(409)
                .body("detail", containsString("Only failed, timed-out or unmatched"));
    }

    @Test
    @TestSecurity(user = "jf-admin", roles = { "user", "admin" })
    void retryOfAMovieJellyfinAlreadyHasMakesItAvailableWithoutASearch() {
        int id = timedOut();
        FakeMediaServer.movie(Paprika.JELLYFIN_ITEM, "Paprika", 2006, 4977);

        given().post("/api/requests/" + id + "/retry").then().statusCode(200).body("outcome", equalTo("available"))
                .body("request.state", equalTo("available"));
        assertEquals(List.of(), FakeArr.WRITES, "no search for what is there");
    }

    @Test
    @TestSecurity(user = "jf-admin", roles = { "user", "admin" })
    void verifyAsksJellyfinNowAndSaysWhatItFound() {
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        given().post("/api/requests/" + id + "/verify").then().statusCode(200).body("outcome", equalTo("not_found"))
                .body("message", containsString("Jellyfin")).body("request.state", equalTo("approved"));

        FakeMediaServer.movie(Paprika.JELLYFIN_ITEM, "Paprika", 2006, 4977);
        given().post("/api/requests/" + id + "/verify").then().statusCode(200).body("outcome", equalTo("available"))
                .body("request.state", equalTo("available"))
                .body("request.jellyfin_id", equalTo(Paprika.JELLYFIN_ITEM));
        given().post("/api/requests/999999/verify").then().statusCode(404);
        given().post("/api/requests/999999/retry").then().statusCode(404);
    }

    @Test
    void withoutALoginBothAre401AndNothingChanges() {
        int id = timedOut();
        given().post("/api/requests/" + id + "/retry").then().statusCode(401).body("detail", containsString("Login"));
        given().post("/api/requests/" + id + "/verify").then().statusCode(401);
        request(id).body("state", equalTo("timeout"));
    }

    @Test
    @TestSecurity(user = "couch", roles = { "user" })
    void aViewerGets403AndNothingChanges() {
        int id = timedOut();
        given().post("/api/requests/" + id + "/retry").then().statusCode(403);
        given().post("/api/requests/" + id + "/verify").then().statusCode(403);
        request(id).body("state", equalTo("timeout"));
    }
}
