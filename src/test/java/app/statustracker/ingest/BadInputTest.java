package app.statustracker.ingest;

import static app.statustracker.support.Hooks.fixture;
import static app.statustracker.support.Hooks.jellyseerr;
import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Bad deliveries get a clear 4xx or an "ignored" answer, are kept when readable, and never change stored data. */
// The raw inbound events these tests read are shown to admins only.
@io.quarkus.test.security.TestSecurity(user = "test-admin", roles = { "user", "admin" })
@QuarkusTest
class BadInputTest {

    @Inject
    Database db;

    private int requestId;
    private String snapshot;

    @BeforeEach
    void aRequestThatMustNotChange() {
        db.clean();
        requestId = jellyseerr(fixture("original/jellyseerr-tv-auto-approved.json")).statusCode(200)
                .extract().path("request_id");
        snapshot = get("/api/requests/" + requestId).then().extract().asString();
    }

    private void nothingChanged() {
        nothingChanged(requestId);
        assertEquals(1, db.count("SELECT count(*) FROM media_request"));
    }

    private void nothingChanged(int id) {
        assertEquals(snapshot, get("/api/requests/" + id).then().extract().asString());
    }

    @Test
    void malformedJsonIs400WithWhereItBrokeAndIsKeptAsRejected() {
        given().contentType("application/json").body("{\"notification_type\": \"MEDIA_PENDING\",")
                .post("/hooks/jellyseerr").then().statusCode(400)
                .body("detail", containsString("not valid JSON"))
                .body("detail", containsString("line 1"));
        assertEquals(1, db.count("SELECT count(*) FROM inbound_event WHERE outcome = 'rejected' AND payload LIKE '%MEDIA_PENDING%'"));
        // Rejected events belong to no request; the event log lists them.
        get("/api/events?outcome=rejected").then().statusCode(200).body("total", equalTo(1))
                .body("events[0].outcome_reason", containsString("not valid JSON"))
                .body("events[0].request_id", org.hamcrest.Matchers.nullValue());
        nothingChanged();
    }

    @Test
    void emptyBodyAndNonObjectsAre400() {
        given().contentType("application/json").body("").post("/hooks/jellyseerr").then().statusCode(400)
                .body("detail", containsString("empty"));
        given().contentType("application/json").body("[1,2]").post("/hooks/jellyseerr").then().statusCode(400)
                .body("detail", equalTo("body must be a JSON object, got array"));
        given().contentType("application/json").body("\"MEDIA_PENDING\"").post("/hooks/jellyseerr").then()
                .statusCode(400).body("detail", containsString("got string"));
        nothingChanged();
    }

    @Test
    void aTwoMegabyteBodyIs413WithTheLimit() {
        String huge = "{\"notification_type\":\"MEDIA_PENDING\",\"message\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        given().contentType("application/json").body(huge).post("/hooks/jellyseerr").then().statusCode(413)
                .body("detail", containsString("WEBHOOK_MAX_BODY_KB"));
        assertEquals(1, db.count("SELECT count(*) FROM inbound_event WHERE outcome = 'rejected' AND payload IS NULL"));
        nothingChanged();
    }

    @Test
    void aFormPostIs415ButJsonIsReadWhateverTheContentTypeSays() {
        given().contentType("application/x-www-form-urlencoded").formParam("notification_type", "MEDIA_PENDING")
                .post("/hooks/jellyseerr").then().statusCode(415).body("detail", containsString("expected a JSON body"));
        // Jellyfin's webhook plugin sends JSON as text/plain; some senders send no content type at all.
        given().contentType("text/plain; charset=utf-8").body(fixture("protocol/jellyseerr-media-pending.json"))
                .post("/hooks/jellyseerr").then().statusCode(200).body("outcome", equalTo("applied"));
        given().body(fixture("protocol/jellyseerr-media-declined.json").getBytes())
                .post("/hooks/jellyseerr").then().statusCode(200).body("status", equalTo("processed"));
    }

    @Test
    void idsOfTheWrongTypeAndAMissingMediaSectionAreIgnoredWithAReason() {
        jellyseerr("{\"notification_type\":\"MEDIA_PENDING\",\"subject\":\"X (2020)\",\"media\":{\"media_type\":\"movie\","
                + "\"tmdbId\":{\"id\":5},\"tvdbId\":[1]},\"request\":{\"request_id\":true}}")
                .statusCode(200).body("status", equalTo("ignored")).body("reason", containsString("no usable id"));
        jellyseerr("{\"notification_type\":\"MEDIA_APPROVED\",\"subject\":\"X (2020)\",\"request\":{\"request_id\":\"68\"}}")
                .statusCode(200).body("status", equalTo("ignored")).body("reason", containsString("no media section"));
        jellyseerr("{\"notification_type\":\"MEDIA_PENDING\",\"media\":\"tv\"}")
                .statusCode(200).body("status", equalTo("ignored"));
        jellyseerr("{\"notification_type\":42,\"media\":null}")
                .statusCode(200).body("status", equalTo("ignored"));
        jellyseerr("{\"hello\":\"world\"}").statusCode(200).body("status", equalTo("ignored"))
                .body("reason", containsString("no notification_type"));
        assertEquals(5, db.count("SELECT count(*) FROM inbound_event WHERE outcome = 'ignored'"));
        nothingChanged();
    }

    @Test
    void unknownServicesAre404AndEveryPrototypeRouteIsListed() {
        given().contentType("application/json").body("{}").post("/hooks/plex").then().statusCode(404)
                .body("detail", containsString("Unknown service: plex"));
        get("/hooks").then().statusCode(200)
                .body("endpoints.url", hasItems("/hooks/jellyseerr", "/hooks/sonarr", "/hooks/radarr",
                        "/hooks/jellyfin", "/hooks/qbittorrent"))
                .body("endpoints.find { it.service == 'Radarr' }.states_provided", hasItems("grabbing", "importing"))
                .body("endpoints.find { it.service == 'Jellyseerr' }.states_provided", hasItems("requested", "approved"));
        nothingChanged();
    }

    @Test
    void hugeIdsAndOverlongTypesAreNeitherMisreadNorErrors() {
        // 2^64 + 1 must not wrap to 1 and hit request 1's row.
        String huge = fixture("protocol/jellyseerr-media-approved.json", "\"214\"", "18446744073709551617",
                "\"209867\"", "\"7777\"");
        int id = jellyseerr(huge).statusCode(200).body("outcome", equalTo("applied")).extract().path("request_id");
        org.junit.jupiter.api.Assertions.assertNotEquals(requestId, id);
        get("/api/requests/" + id).then().body("jellyseerr_id", org.hamcrest.Matchers.nullValue())
                .body("tmdb_id", equalTo(7777));
        jellyseerr("{\"notification_type\":\"" + "X".repeat(300) + "\",\"media\":null}")
                .statusCode(200).body("status", equalTo("ignored"));
        nothingChanged(requestId);
    }

    @Test
    void everyTestNotificationIsAnsweredIgnoredAndKept() {
        jellyseerr(fixture("protocol/jellyseerr-test.json")).statusCode(200).body("status", equalTo("ignored"));
        jellyseerr(fixture("protocol/jellyseerr-test.json")).statusCode(200).body("status", equalTo("ignored"));
        get("/api/events?outcome=ignored&source=jellyseerr").then().statusCode(200)
                .body("total", equalTo(2)).body("events.event_type", org.hamcrest.Matchers.everyItem(equalTo("TEST_NOTIFICATION")))
                .body("events[0].request_id", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void nulCharactersNeitherFailTheEventNorTheDatabase() {
        // Escaped NUL inside a string: valid JSON, but PostgreSQL text cannot hold it.
        int id = jellyseerr(fixture("protocol/jellyseerr-media-pending.json", "Frieren: Beyond", "Frie\\u0000ren: Beyond"))
                .statusCode(200).body("outcome", equalTo("applied")).extract().path("request_id");
        get("/api/requests/" + id).then().body("title", equalTo("Frie\uFFFDren: Beyond Journey's End"));
        // A raw NUL byte: not JSON at all.
        given().contentType("application/json").body("{\"notification_type\":\"MEDIA_PENDING\u0000\"}".getBytes())
                .post("/hooks/jellyseerr").then().statusCode(400).body("detail", containsString("not valid JSON"));
        assertEquals(1, db.count("SELECT count(*) FROM inbound_event WHERE outcome = 'rejected'"));
    }

    @Test
    void badQueryParametersAre400NotServerErrors() {
        get("/api/requests?state=nonsense").then().statusCode(400).body("detail", containsString("unknown state"));
        get("/api/requests?per_page=0").then().statusCode(400)
                .body("detail", equalTo("per_page must be a whole number from 1 to 100"));
        get("/api/requests?page=abc").then().statusCode(400)
                .body("detail", equalTo("page must be a whole number from 1 to 999999"));
        get("/api/requests?page=21474838&per_page=100").then().statusCode(400);
        get("/api/requests?page=999999&per_page=100").then().statusCode(200).body("requests", org.hamcrest.Matchers.empty());
        get("/api/events?outcome=bogus").then().statusCode(400).body("detail", containsString("unknown outcome"));
        get("/api/history?state=approved").then().statusCode(400).body("detail", containsString("available"));
        get("/api/requests/999999").then().statusCode(404).body("detail", equalTo("Request not found"));
        get("/api/requests/999999/episodes").then().statusCode(404);
    }
}
