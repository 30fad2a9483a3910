package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.deliverAndGetRequestId;
import static app.statustracker.flow.Scenario.request;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.Database;
import app.statustracker.support.Payload;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Malformed or partial payloads on every route get a 400 or an "ignored" answer with a reason, and change nothing
 * a user could see: the request in flight keeps its state, episodes and timeline.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class MalformedWebhookTest {

    @Inject
    Database db;

    int requestId;
    String before;

    @BeforeEach
    void aRequestInFlight() {
        db.clean();
        requestId = deliverAndGetRequestId("jellyseerr", TvFlowTest.lycorisRequest());
        deliver("sonarr", TvFlowTest.regular(TvFlowTest.lycorisGrab()));
        before = snapshot();
    }

    /** What a user sees of the request, without the event log (which does grow: everything is kept). */
    String snapshot() {
        return request(requestId).extract().jsonPath().getString("state") + "|"
                + request(requestId).extract().jsonPath().getList("timeline_events.details") + "|"
                + request(requestId).extract().jsonPath().getList("episodes.state") + "|"
                + db.count("SELECT count(*) FROM media_request");
    }

    void nothingChanged() {
        assertEquals(before, snapshot());
        assertEquals(0, db.count("SELECT count(*) FROM inbound_event WHERE outcome = 'error'"));
    }

    @Test
    void unreadableBodiesAre400OnEveryRoute() {
        for (String service : List.of("radarr", "sonarr", "jellyfin", "qbittorrent")) {
            given().contentType("application/json").body("{\"eventType\": \"Grab\", ").post("/hooks/" + service)
                    .then().statusCode(400).body("detail", containsString("not valid JSON"));
            given().contentType("application/json").body("[{\"eventType\":\"Grab\"}]").post("/hooks/" + service)
                    .then().statusCode(400).body("detail", containsString("JSON object"));
            given().contentType("application/json").body("").post("/hooks/" + service)
                    .then().statusCode(400).body("detail", containsString("empty"));
        }
        assertEquals(12, db.count("SELECT count(*) FROM inbound_event WHERE outcome = 'rejected'"));
        nothingChanged();
    }

    @Test
    void partialRadarrPayloadsAreIgnoredWithAReason() {
        ignored("radarr", "{}", "eventType");
        ignored("radarr", "{\"eventType\":\"Grab\",\"movie\":\"Paprika\"}", "no usable id");
        ignored("radarr", Payload.of("protocol/radarr-grab.json").remove("movie").remove("remoteMovie")
                .remove("downloadId").toString(), "no usable id");
        ignored("radarr", "{\"eventType\":\"Health\",\"level\":\"warning\",\"message\":\"Indexers unavailable\"}", "Health");
        ignored("radarr", Payload.of("protocol/radarr-test.json").toString(), "test");
        nothingChanged();
    }

    @Test
    void partialSonarrPayloadsAreIgnoredWithAReason() {
        ignored("sonarr", "{\"eventType\":\"Grab\",\"series\":[],\"episodes\":{}}", "");
        ignored("sonarr", Payload.of("original/sonarr-grab.json").set("episodes", "all").toString(), "episodes");
        ignored("sonarr", Payload.of("original/sonarr-grab.json").set("series.tvdbId", "abc").remove("series.tmdbId")
                .remove("series.imdbId").remove("series.id").remove("downloadId").toString(), "no usable id");
        ignored("sonarr", Payload.of("protocol/sonarr-test.json").toString(), "test");
        ignored("sonarr", "{\"eventType\":\"Rename\",\"series\":{\"id\":23}}", "Rename");
        nothingChanged();
    }

    @Test
    void partialJellyfinPayloadsAreIgnoredWithAReason() {
        ignored("jellyfin", "{\"NotificationType\":\"PlaybackStart\",\"ItemType\":\"Episode\"}", "PlaybackStart");
        ignored("jellyfin", "{\"NotificationType\":\"ItemAdded\",\"ItemType\":\"Season\",\"ItemId\":\"ab\"}", "Season");
        ignored("jellyfin", Payload.of("protocol/jellyfin-item-added-movie.json").remove("Provider_tmdb")
                .remove("Provider_imdb").toString(), "TMDB");
        ignored("jellyfin", Payload.of("protocol/jellyfin-item-added-episode.json").remove("EpisodeNumber")
                .toString(), "");
        ignored("jellyfin", "{\"notificationType\":\"ItemAdded\",\"itemType\":\"Movie\",\"tmdbId\":\"\",\"imdbId\":\"\"}", "");
        nothingChanged();
    }

    @Test
    void partialQbittorrentPayloadsAreIgnoredWithAReason() {
        ignored("qbittorrent", "{\"name\":\"x\"}", "hash");
        ignored("qbittorrent", "{\"hash\":\"%I\",\"name\":\"%N\"}", "hash");
        ignored("qbittorrent", Payload.of("original/doc-qbittorrent-complete-illustrative.json").toString(), "hash");
        // a real hash nobody grabbed: kept, unmatched, re-tried if a grab for it comes
        deliver("qbittorrent", Scenario.qbitFinished("ab".repeat(20), "someone else's torrent"))
                .body("status", equalTo("unmatched"));
        nothingChanged();
    }

    static void ignored(String service, String body, String reasonPart) {
        deliver(service, Payload.parse(body)).body("status", equalTo("ignored"))
                .body("reason", not(emptyOrNullString())).body("reason", containsString(reasonPart));
    }
}
