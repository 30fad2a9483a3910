package app.statustracker.ingest;

import static app.statustracker.support.Hooks.fixture;
import static app.statustracker.support.Hooks.jellyseerr;
import static io.restassured.RestAssured.get;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.Database;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Captured and protocol Jellyseerr payloads replayed through POST /hooks/jellyseerr, checked through the API. */
// The raw inbound events these tests read are shown to admins only.
@io.quarkus.test.security.TestSecurity(user = "test-admin", roles = { "user", "admin" })
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class JellyseerrWebhookTest {

    @Inject
    Database db;

    @BeforeEach
    void clean() {
        db.clean();
    }

    @Test
    void capturedMovieAutoApprovalCreatesAnApprovedRequest() {
        int id = jellyseerr(fixture("original/jellyseerr-movie-auto-approved.json"))
                .statusCode(200)
                .body("status", equalTo("processed"))
                .body("outcome", equalTo("applied"))
                .body("request_id", notNullValue())
                .extract().path("request_id");

        get("/api/requests/" + id).then().statusCode(200)
                .body("title", equalTo("Violet Evergarden: The Movie"))
                .body("year", equalTo(2020))
                .body("media_type", equalTo("movie"))
                .body("state", equalTo("approved"))
                .body("state_label", equalTo("Approved"))
                .body("tmdb_id", equalTo(533514))
                .body("tvdb_id", nullValue())
                .body("jellyseerr_id", equalTo(69))
                .body("requested_by", equalTo("REDACTED_USER"))
                .body("poster_url", equalTo("https://image.tmdb.org/t/p/w600_and_h900_bestv2/A9R6bukzzRmOzxvDQsXdQpeNm8l.jpg"))
                .body("next_step", equalTo("Waiting for Radarr to take the request"))
                .body("is_4k", equalTo(false))
                .body("timeline_events.event_type", contains("Auto-Approved"))
                .body("timeline_events[0].details", equalTo("Requested by REDACTED_USER (auto-approved)"))
                .body("events", hasSize(1))
                .body("events[0].source", equalTo("jellyseerr"))
                .body("events[0].outcome", equalTo("applied"))
                .body("events[0].payload", containsString("MEDIA_AUTO_APPROVED"));
    }

    @Test
    void capturedTvAutoApprovalKeepsTvdbIdAndRequestedSeasons() {
        int id = jellyseerr(fixture("original/jellyseerr-tv-auto-approved.json")).statusCode(200)
                .extract().path("request_id");
        get("/api/requests/" + id).then()
                .body("title", equalTo("Lycoris Recoil"))
                .body("media_type", equalTo("tv"))
                .body("tvdb_id", equalTo(414057))
                .body("tmdb_id", equalTo(154494))
                .body("requested_seasons", contains(1))
                .body("season", equalTo(1))
                .body("next_step", equalTo("Waiting for Sonarr to take the request"));
    }

    @Test
    void abbreviatedPayloadsWithNullIdsAndMissingSectionsStillWork() {
        jellyseerr(fixture("original/doc-jellyseerr-movie-auto-approved-tvdbid-null.json")).statusCode(200)
                .body("outcome", equalTo("applied"));
        jellyseerr(fixture("original/doc-jellyseerr-tv-auto-approved-2.json")).statusCode(200)
                .body("outcome", equalTo("applied"));
        get("/api/requests").then().body("total", equalTo(2))
                .body("requests.title", contains("Insomniacs After School", "Chainsaw Man: The Movie - Reze Arc"));
    }

    @Test
    void pendingThenApprovedMovesForwardWithATimelineInOrder() {
        int id = jellyseerr(fixture("protocol/jellyseerr-media-pending.json")).statusCode(200)
                .body("outcome", equalTo("applied")).extract().path("request_id");
        get("/api/requests/" + id).then().body("state", equalTo("requested"))
                .body("next_step", equalTo("Waiting for approval in Jellyseerr"));

        jellyseerr(fixture("protocol/jellyseerr-media-approved.json")).statusCode(200)
                .body("request_id", equalTo(id)).body("outcome", equalTo("applied"));

        get("/api/requests/" + id).then()
                .body("state", equalTo("approved"))
                .body("requested_by", equalTo("mika"))
                .body("timeline_events.event_type", contains("Requested", "Approved"))
                .body("timeline_events.state", contains("requested", "approved"))
                .body("events.outcome", contains("applied", "applied"));
    }

    @Test
    void aRepeatedDeliveryIsADuplicateThatChangesAndEmitsNothing() {
        String body = fixture("protocol/jellyseerr-media-pending.json");
        int id = jellyseerr(body).statusCode(200).extract().path("request_id");
        long updates = db.count("SELECT count(*) FROM stream_event");

        jellyseerr(body).statusCode(200)
                .body("status", equalTo("duplicate"))
                .body("request_id", equalTo(id));

        assertEquals(updates, db.count("SELECT count(*) FROM stream_event"), "a duplicate emits no SSE update");
        assertEquals(1, db.count("SELECT count(*) FROM media_request"));
        get("/api/requests/" + id).then()
                .body("timeline_events", hasSize(1))
                .body("events.outcome", contains("applied", "duplicate"));
    }

    @Test
    void anEarlierStageArrivingLateIsKeptAsStale() {
        int id = jellyseerr(fixture("protocol/jellyseerr-media-approved.json")).statusCode(200)
                .body("outcome", equalTo("applied")).extract().path("request_id");
        // The pending webhook arrives after the approval (reordered delivery).
        jellyseerr(fixture("protocol/jellyseerr-media-pending.json")).statusCode(200)
                .body("status", equalTo("processed"))
                .body("outcome", equalTo("stale"))
                .body("request_id", equalTo(id));
        get("/api/requests/" + id).then().body("state", equalTo("approved"))
                .body("timeline_events.event_type", contains("Approved"));
    }

    @Test
    void aStaleEventChangesNothingAtAll() {
        int id = jellyseerr(fixture("protocol/jellyseerr-media-approved.json", "\"mika\"", "\"\"")).statusCode(200)
                .extract().path("request_id");
        String before = get("/api/requests/" + id).then().extract().asString();
        long updates = db.count("SELECT count(*) FROM stream_event");
        // Late pending webhook carrying a requester the request lacks: still stale, still no change.
        jellyseerr(fixture("protocol/jellyseerr-media-pending.json")).statusCode(200).body("outcome", equalTo("stale"));
        String after = get("/api/requests/" + id).then().extract().asString();
        assertEquals(before.replaceAll(",\"events\":\\[.*", ""), after.replaceAll(",\"events\":\\[.*", ""));
        assertEquals(updates, db.count("SELECT count(*) FROM stream_event"));
    }

    @Test
    void declineMakesTheRequestFailedAndALaterApprovalRecoversIt() {
        String pending = fixture("protocol/jellyseerr-media-pending.json", "\"214\"", "\"300\"");
        int id = jellyseerr(pending).statusCode(200).extract().path("request_id");
        jellyseerr(fixture("protocol/jellyseerr-media-declined.json", "\"216\"", "\"300\"", "\"4977\"", "\"209867\"",
                "\"movie\"", "\"tv\"")).statusCode(200).body("request_id", equalTo(id));
        get("/api/requests/" + id).then().body("state", equalTo("failed"))
                .body("problem_stage", equalTo("requested"))
                .body("timeline_events[1].details", equalTo("Declined in Jellyseerr"));

        jellyseerr(fixture("protocol/jellyseerr-media-approved.json", "\"214\"", "\"300\"")).statusCode(200)
                .body("outcome", equalTo("applied"));
        get("/api/requests/" + id).then().body("state", equalTo("approved")).body("problem_stage", nullValue());
    }

    @Test
    void mediaFailedMarksTheRequestFailed() {
        String auto = fixture("protocol/jellyseerr-media-pending.json", "\"214\"", "\"217\"", "\"209867\"",
                "\"220542\"", "\"424536\"", "\"420657\"", "MEDIA_PENDING", "MEDIA_AUTO_APPROVED");
        int id = jellyseerr(auto).statusCode(200).extract().path("request_id");
        jellyseerr(fixture("protocol/jellyseerr-media-failed.json")).statusCode(200).body("request_id", equalTo(id));
        get("/api/requests/" + id).then().body("state", equalTo("failed"))
                .body("problem_stage", equalTo("approved"))
                .body("timeline_events.event_type", contains("Auto-Approved", "Failed"));
    }

    @Test
    void mediaAvailableIsRecordedButOnlyJellyfinMakesARequestAvailable() {
        int id = jellyseerr(fixture("protocol/jellyseerr-media-auto-approved.json")).statusCode(200)
                .extract().path("request_id");
        jellyseerr(fixture("protocol/jellyseerr-media-available.json")).statusCode(200)
                .body("outcome", equalTo("applied")).body("request_id", equalTo(id));
        get("/api/requests/" + id).then().body("state", equalTo("approved"))
                .body("timeline_events.event_type", contains("Auto-Approved", "Available in Jellyseerr"))
                .body("timeline_events[1].details", containsString("checking that Jellyfin can play it"));
    }

    @Test
    void anEventThatBeatsItsRequestIsKeptUnmatchedAndAppliedWhenTheRequestAppears() {
        String available = fixture("protocol/jellyseerr-media-available.json");
        jellyseerr(available).statusCode(200)
                .body("status", equalTo("unmatched"))
                .body("request_id", nullValue());
        assertEquals(0, db.count("SELECT count(*) FROM media_request"));

        int id = jellyseerr(fixture("protocol/jellyseerr-media-auto-approved.json")).statusCode(200).extract().path("request_id");

        get("/api/requests/" + id).then()
                .body("state", equalTo("approved"))
                .body("timeline_events.event_type", contains("Auto-Approved", "Available in Jellyseerr"))
                .body("events.outcome", contains("applied", "applied"))
                .body("events[0].event_type", equalTo("MEDIA_AVAILABLE"))
                .body("events[0].outcome_reason", containsString("re-tried when request #" + id));
    }

    @Test
    void aDeclineWhosePendingWebhookWasLostStillShowsAsFailedAndTheLatePendingCannotLiftIt() {
        int id = jellyseerr(fixture("protocol/jellyseerr-media-declined.json")).statusCode(200)
                .body("status", equalTo("processed")).extract().path("request_id");
        get("/api/requests/" + id).then()
                .body("state", equalTo("failed"))
                .body("title", equalTo("Paprika"))
                .body("stuck_reason", equalTo("Declined in Jellyseerr"))
                .body("timeline_events.event_type", contains("Declined"));

        String latePending = fixture("protocol/jellyseerr-media-pending.json", "\"214\"", "\"216\"", "\"209867\"",
                "\"4977\"", "\"tv\"", "\"movie\"", "\"424536\"", "\"\"");
        jellyseerr(latePending).statusCode(200).body("outcome", equalTo("stale")).body("request_id", equalTo(id));
        get("/api/requests/" + id).then().body("state", equalTo("failed"));
    }

    @Test
    void testNotificationsAndUnknownTypesAreIgnoredWithAReasonAndKept() {
        jellyseerr(fixture("protocol/jellyseerr-test.json")).statusCode(200)
                .body("status", equalTo("ignored"))
                .body("reason", containsString("test notification"));
        jellyseerr("{\"notification_type\":\"ISSUE_CREATED\",\"subject\":\"x\",\"media\":{\"media_type\":\"movie\",\"tmdbId\":\"1\"}}")
                .statusCode(200).body("status", equalTo("ignored"))
                .body("reason", containsString("ISSUE_CREATED"));
        assertEquals(2, db.count("SELECT count(*) FROM inbound_event WHERE outcome = 'ignored' AND payload IS NOT NULL"));
        assertEquals(0, db.count("SELECT count(*) FROM media_request"));
    }

    @Test
    void fourKRequestsAreTrackedApartFromTheRegularOne() {
        int regular = jellyseerr(fixture("protocol/jellyseerr-media-auto-approved.json")).statusCode(200)
                .extract().path("request_id");
        String fourK = fixture("protocol/jellyseerr-media-auto-approved.json", "Movie Request Automatically Approved",
                "4K Movie Request Automatically Approved", "\"215\"", "\"301\"");
        int uhd = jellyseerr(fourK).statusCode(200).body("outcome", equalTo("applied")).extract().path("request_id");
        org.junit.jupiter.api.Assertions.assertNotEquals(regular, uhd);
        get("/api/requests/" + uhd).then().body("is_4k", equalTo(true)).body("tmdb_id", equalTo(10494));
        get("/api/requests/" + regular).then().body("is_4k", equalTo(false));
    }

    @Test
    void idsMayArriveAsNumbersStringsOrEmptyStrings() {
        String numeric = "{\"notification_type\":\"MEDIA_PENDING\",\"subject\":\"Numbers (2001)\","
                + "\"media\":{\"media_type\":\"tv\",\"tmdbId\":4242,\"tvdbId\":\"\"},"
                + "\"request\":{\"request_id\":77,\"requestedBy_username\":\"ann\"},"
                + "\"extra\":[{\"name\":\"Requested Seasons\",\"value\":\"1, 2, 3\"}]}";
        int id = jellyseerr(numeric).statusCode(200).body("outcome", equalTo("applied")).extract().path("request_id");
        get("/api/requests/" + id).then()
                .body("tmdb_id", equalTo(4242)).body("tvdb_id", nullValue()).body("jellyseerr_id", equalTo(77))
                .body("requested_seasons", contains(1, 2, 3)).body("year", equalTo(2001));
        // The same request announced with string ids is the same request.
        jellyseerr(numeric.replace("MEDIA_PENDING", "MEDIA_APPROVED").replace("4242", "\"4242\"")
                .replace("77", "\"77\"")).statusCode(200).body("request_id", equalTo(id));
    }

    @Test
    void aNewJellyseerrRequestForMediaAlreadyAvailableMakesANewRow() {
        int first = jellyseerr(fixture("protocol/jellyseerr-media-auto-approved.json")).statusCode(200)
                .extract().path("request_id");
        db.run("UPDATE media_request SET state = 'available' WHERE id = " + first);
        int second = jellyseerr(fixture("protocol/jellyseerr-media-auto-approved.json", "\"215\"", "\"402\""))
                .statusCode(200).extract().path("request_id");
        org.junit.jupiter.api.Assertions.assertNotEquals(first, second);
    }
}
