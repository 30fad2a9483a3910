package app.statustracker.flow;

import static app.statustracker.flow.Scenario.awaitState;
import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.deliverAndGetRequestId;
import static app.statustracker.flow.Scenario.qbitFinished;
import static app.statustracker.flow.Scenario.request;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.Database;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Paprika;
import app.statustracker.support.Payload;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The movie flows of PRODUCT.md through the real webhook routes, with real payloads varied as a real deployment
 * would (other ids, titles and hashes), checked through the API a user reads.
 */
// The raw inbound events these tests read are shown to admins only.
@io.quarkus.test.security.TestSecurity(user = "test-admin", roles = { "user", "admin" })
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class MovieFlowTest {


    @Inject
    Database db;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
    }

    // --- Payloads: Perfect Blue (anime, tagged in Radarr) as the fixtures have it; Paprika as a regular movie ---

    @Test
    void regularMovieGoesFromRequestToAvailable() {
        // given a request auto-approved in Jellyseerr
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        request(id).body("state", equalTo("approved"));

        // when Radarr adds it, grabs a release, qBittorrent finishes it, Radarr imports it and Jellyfin adds it
        deliver("radarr", Paprika.radarr(Payload.of("protocol/radarr-grab.json")).set("eventType", "MovieAdded")
                .remove("release").remove("downloadId").set("addMethod", "manual"))
                .body("outcome", equalTo("applied")).body("request_id", equalTo(id));
        request(id).body("state", equalTo("searching")).body("next_step", containsString("searching"));

        deliver("radarr", Paprika.grab()).body("request_id", equalTo(id));
        request(id).body("state", equalTo("grabbing"))
                .body("quality", equalTo("Bluray-1080p"))
                .body("indexer", notNullValue())
                .body("radarr_id", equalTo(18))
                .body("imdb_id", equalTo("tt0851578"))
                .body("is_anime", equalTo(false));
        assertEquals(Paprika.HASH.toLowerCase(), db.string("SELECT download_hash FROM media_request WHERE id = " + id),
                "hashes are stored lower-case, as qBittorrent reports them");

        deliver("qbittorrent", qbitFinished(Paprika.HASH.toLowerCase(), "Paprika.2006.1080p.BluRay"))
                .body("request_id", equalTo(id));
        request(id).body("state", equalTo("downloaded")).body("download_progress", equalTo(1.0f));

        deliver("radarr", Paprika.imported()).body("request_id", equalTo(id));
        request(id).body("state", equalTo("importing"))
                .body("next_step", containsString("Jellyfin"));

        deliver("jellyfin", Paprika.inJellyfin()).body("request_id", equalTo(id));

        // then it is available, with its Jellyfin id and every step in the timeline
        request(id).body("state", equalTo("available"))
                .body("jellyfin_id", equalTo("5d41402abc4b2a76b9719d911017c592"))
                .body("available_at", notNullValue())
                .body("timeline_events.state", contains("approved", "searching", "grabbing", "downloaded",
                        "importing", "available"))
                .body("timeline_events.event_type", contains("Auto-Approved", "Added", "Grab", "Complete", "Import",
                        "Added"));
        assertEquals("/data/media/movies/Paprika (2006)/Paprika (2006) [Bluray-1080p].mkv",
                db.string("SELECT final_path FROM media_request WHERE id = " + id));
    }

    @Test
    void animeMovieShowsItsImportThenWaitsForShokoBeforeJellyfin() {
        // given Perfect Blue, tagged "anime" in Radarr
        int id = deliverAndGetRequestId("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json"));
        deliver("radarr", Payload.of("protocol/radarr-grab.json"));
        request(id).body("state", equalTo("grabbing")).body("is_anime", equalTo(true));

        // when Radarr imports it
        deliver("radarr", Payload.of("protocol/radarr-download.json")).body("request_id", equalTo(id));

        // then both steps are in the timeline and it waits for Shoko
        request(id).body("state", equalTo("anime_matching"))
                .body("timeline_events.state", contains("approved", "grabbing", "importing", "anime_matching"))
                .body("timeline_events[2].event_type", equalTo("Import"))
                .body("timeline_events[3].event_type", equalTo("Waiting for Shoko"));

        // and Jellyfin (through Shokofin) finally shows it, in template mode with a dashed id
        deliver("jellyfin", Payload.of("protocol/jellyfin-item-added-movie-template.json"))
                .body("request_id", equalTo(id));
        request(id).body("state", equalTo("available"))
                .body("jellyfin_id", equalTo("c6b9a1e0d2f34a7b8e5c4d3f2a1b0c9d"));
    }

    @Test
    void animeIsAlsoRecognisedByItsFolderWhenRadarrHasNoTags() {
        int id = deliverAndGetRequestId("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json"));
        // Radarr v4 sends no tags; the movie lives in an anime folder
        deliver("radarr", Payload.of("protocol/radarr-download.json").remove("movie.tags")
                .set("movie.folderPath", "/data/anime/movies/Perfect Blue (1997)")
                .set("movieFile.path", "/data/anime/movies/Perfect Blue (1997)/Perfect Blue.mkv"));
        request(id).body("is_anime", equalTo(true)).body("state", equalTo("anime_matching"));
    }

    @Test
    void anUpgradeAfterTheMovieIsAvailableIsNotedWithoutARegression() {
        // given an available movie
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.grab());
        deliver("radarr", Paprika.imported());
        deliver("jellyfin", Paprika.inJellyfin());
        request(id).body("state", equalTo("available"));
        int timeline = request(id).extract().path("timeline_events.size()");

        // when Radarr grabs and imports a better release
        String betterHash = "0A1B2C3D4E5F60718293A4B5C6D7E8F901234568";
        deliver("radarr", Paprika.grab().set("downloadId", betterHash).set("release.quality", "Remux-2160p"))
                .body("request_id", equalTo(id)).body("outcome", equalTo("applied"));
        deliver("radarr", Paprika.imported().set("downloadId", betterHash).set("isUpgrade", true)
                .set("movieFile.id", 902).set("movieFile.relativePath", "Paprika (2006) [Remux-2160p].mkv")
                .set("movieFile.path", "/data/media/movies/Paprika (2006)/Paprika (2006) [Remux-2160p].mkv"))
                .body("request_id", equalTo(id)).body("outcome", equalTo("applied"));

        // then it stays available, the timeline says so, and no second request appeared
        request(id).body("state", equalTo("available"))
                .body("timeline_events.size()", equalTo(timeline + 2))
                .body("timeline_events.event_type", hasItem("Upgrade"))
                .body("timeline_events[" + (timeline + 1) + "].details", containsString("Remux-2160p"))
                .body("timeline_events[" + (timeline + 1) + "].state", equalTo("available"));
        assertEquals(1, db.count("SELECT count(*) FROM media_request"));
    }

    @Test
    void aCompletionThatBeatsTheGrabIsAppliedWhenTheGrabArrives() {
        // given a request, and qBittorrent's completion hook before Radarr's grab webhook (nothing knows the hash yet)
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("qbittorrent", qbitFinished(Paprika.HASH.toLowerCase(), "Paprika.2006.1080p.BluRay"))
                .body("outcome", equalTo("unmatched"));

        // when the grab brings the request its first torrent hash
        deliver("radarr", Paprika.grab()).body("request_id", equalTo(id));

        // then the waiting completion is applied after it: downloaded, not stuck in grabbing
        request(id).body("state", equalTo("downloaded"))
                .body("events.outcome", contains("applied", "applied", "applied"));
    }

    @Test
    void importBeforeGrabAndLateEventsAreKeptAsStale() {
        // given a request whose grab webhook and qBittorrent hook are late
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());

        // when the import arrives first
        deliver("radarr", Paprika.imported()).body("request_id", equalTo(id));
        request(id).body("state", equalTo("importing"));

        // then the late grab and completion prove earlier stages: kept as stale, nothing moves back
        deliver("radarr", Paprika.grab()).body("outcome", equalTo("stale"));
        deliver("qbittorrent", qbitFinished(Paprika.HASH, "Paprika")).body("outcome", equalTo("stale"));
        request(id).body("state", equalTo("importing"))
                .body("events.outcome", contains("applied", "applied", "stale", "stale"));
    }

    @Test
    void jellyfinBeforeTheImportMakesItAvailableAndTheLateImportIsOnlyNoted() {
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.grab());

        deliver("jellyfin", Paprika.inJellyfin()).body("request_id", equalTo(id));
        request(id).body("state", equalTo("available"));

        deliver("radarr", Paprika.imported()).body("request_id", equalTo(id));
        request(id).body("state", equalTo("available"));
        assertEquals(1, db.count("SELECT count(*) FROM media_request"));
    }

    @Test
    void aGrabBeforeTheJellyseerrWebhookIsTrackedAndJellyseerrJoinsThatRow() {
        // given a grab for a movie nobody requested in Jellyseerr yet
        int id = deliverAndGetRequestId("radarr", Paprika.grab());
        request(id).body("state", equalTo("grabbing")).body("requested_by", equalTo("Radarr"))
                .body("title", equalTo("Paprika")).body("jellyseerr_id", nullValue());

        // when the Jellyseerr webhook arrives late
        deliver("jellyseerr", Paprika.request()).body("request_id", equalTo(id)).body("outcome", equalTo("applied"));

        // then it joins that row: one request, the person who asked, still grabbing
        request(id).body("state", equalTo("grabbing"))
                .body("jellyseerr_id", equalTo(301))
                .body("requested_by", equalTo("admin"))
                .body("timeline_events.event_type", contains("Grab", "Auto-Approved"));
        assertEquals(1, db.count("SELECT count(*) FROM media_request"));
    }

    static Payload paprikaAvailableInJellyseerr() {
        return Payload.of("protocol/jellyseerr-media-available.json")
                .set("subject", "Paprika (2006)").set("media.tmdbId", "4977").set("request.request_id", "301");
    }

    @Test
    void jellyseerrAvailableWithoutAPlayableJellyfinItemLeavesTheRequestWhereItIs() {
        // given an imported movie that Jellyfin's library does not have yet
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.imported());

        // when Jellyseerr says it is available
        deliver("jellyseerr", paprikaAvailableInJellyseerr()).body("request_id", equalTo(id));

        // then Jellyfin is asked, and without a playable item the request is not available
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> FakeMediaServer.REQUESTS.contains("GET /Items"));
        request(id).body("state", equalTo("importing"))
                .body("timeline_events.event_type", hasItem("Available in Jellyseerr"));
    }

    @Test
    void jellyseerrAvailableIsConfirmedThroughJellyfinBeforeTheRequestIsAvailable() {
        // given an imported movie that Jellyfin can play, though its ItemAdded webhook was lost
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.imported());
        FakeMediaServer.movie("9a0364b9e99bb480dd25e1f0284c8555", "Paprika", 2006, 4977);

        // when Jellyseerr says it is available
        deliver("jellyseerr", paprikaAvailableInJellyseerr());

        // then the playable item Jellyfin returns makes it available
        awaitState(id, "available");
        request(id).body("jellyfin_id", equalTo("9a0364b9e99bb480dd25e1f0284c8555"))
                .body("timeline_events.event_type", contains("Auto-Approved", "Import", "Available in Jellyseerr",
                        "Verified"))
                .body("events.source", hasItem("jellyfin"));
    }

    @Test
    void aMovieAndASeriesWithTheSameTmdbIdStayApart() {
        // given a movie and a series request whose TMDB ids collide
        int movie = deliverAndGetRequestId("jellyseerr", Paprika.request().set("media.tmdbId", "1399"));
        int tv = deliverAndGetRequestId("jellyseerr", Payload.of("original/jellyseerr-tv-auto-approved.json")
                .set("media.tmdbId", "1399").set("media.tvdbId", "121361").set("request.request_id", "302"));
        assertNotEquals(movie, tv);

        // when Radarr grabs the movie and Sonarr the series
        deliver("radarr", Paprika.grab().set("movie.tmdbId", 1399)).body("request_id", equalTo(movie));
        deliver("sonarr", Payload.of("protocol/sonarr-grab.json").set("series.tmdbId", 1399)
                .set("series.tvdbId", 121361)).body("request_id", equalTo(tv));

        // then each went to its own request
        request(movie).body("state", equalTo("grabbing")).body("media_type", equalTo("movie"));
        request(tv).body("state", equalTo("grabbing")).body("media_type", equalTo("tv"));
    }

    @Test
    void deletingAnAvailableMovieInRadarrMarksTheRequestRemovedAndANewRequestMakesANewRow() {
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.grab());
        deliver("jellyfin", Paprika.inJellyfin());
        request(id).body("state", equalTo("available"));

        deliver("radarr", Paprika.radarr(Payload.of("protocol/radarr-movie-delete.json"))).body("request_id", equalTo(id));
        request(id).body("state", equalTo("removed")).body("state_label", equalTo("Removed"))
                .body("timeline_events.event_type", hasItem("Removed"));

        int again = deliverAndGetRequestId("jellyseerr", Paprika.request().set("request.request_id", "333"));
        assertNotEquals(id, again);
        request(again).body("state", equalTo("approved"));
    }

    @Test
    void aNewJellyseerrRequestForMediaThatIsAlreadyAvailableMakesANewRow() {
        int first = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("jellyfin", Paprika.inJellyfin());
        request(first).body("state", equalTo("available"));

        int second = deliverAndGetRequestId("jellyseerr", Paprika.request().set("request.request_id", "350"));

        assertNotEquals(first, second);
        request(second).body("state", equalTo("approved")).body("jellyseerr_id", equalTo(350));
        request(first).body("state", equalTo("available"));
        // and Radarr's grab for it goes to the open request, not the finished one
        deliver("radarr", Paprika.grab()).body("request_id", equalTo(second));
    }

    @Test
    void addingAMovieInRadarrAloneCreatesNoRequest() {
        // "Add existing movies" or a list import: nothing was asked for, nothing will be grabbed
        deliver("radarr", Paprika.radarr(Payload.of("protocol/radarr-grab.json")).set("eventType", "MovieAdded")
                .remove("release").remove("downloadId").set("addMethod", "list")).body("status", equalTo("unmatched"));
        assertEquals(0, db.count("SELECT count(*) FROM media_request"));
        // a later Jellyseerr request picks it up: it is already searching
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        request(id).body("state", equalTo("searching"));
    }

    @Test
    void aFourKRequestIsMovedByRadarrWhichCannotSayItIsFourK() {
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request().set("event",
                "Movie 4K Request Automatically Approved"));
        request(id).body("is_4k", equalTo(true));

        deliver("radarr", Paprika.grab()).body("request_id", equalTo(id));
        request(id).body("state", equalTo("grabbing"));
        assertEquals(1, db.count("SELECT count(*) FROM media_request"));
    }

    @Test
    void aMovieDeletedAndRequestedAgainBecomesAvailableAgainWhenJellyfinAddsItAgain() {
        int first = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("jellyfin", Paprika.inJellyfin().set("UtcTimestamp", "2026-11-01T10:00:00.0000000Z"));
        deliver("radarr", Paprika.radarr(Payload.of("protocol/radarr-movie-delete.json")));
        request(first).body("state", equalTo("removed"));

        // the same file path again: Jellyfin gives the item the same id, with a new time
        int again = deliverAndGetRequestId("jellyseerr", Paprika.request().set("request.request_id", "360"));
        deliver("jellyfin", Paprika.inJellyfin().set("UtcTimestamp", "2026-11-20T10:00:00.0000000Z"))
                .body("request_id", equalTo(again)).body("outcome", equalTo("applied"));
        request(again).body("state", equalTo("available"));
    }

    @Test
    void radarrTestEventsCreateNothing() {
        deliver("radarr", Payload.of("protocol/radarr-test.json")).body("status", equalTo("ignored"))
                .body("reason", containsString("test"));
        assertEquals(0, db.count("SELECT count(*) FROM media_request"));
    }
}
