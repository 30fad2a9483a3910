package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.request;
import static io.restassured.RestAssured.get;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.service.Reconciler;
import app.statustracker.support.Database;
import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.LogCapture;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Reconciliation with Sonarr and Radarr (issue 5 item 3): with the webhooks lost, what their queue and history show
 * is applied as the webhooks would have been, marked {@code reconciled} in the event log, once; what a webhook
 * already delivered is not applied again. Sonarr and Radarr are faked at the HTTP level in their REST API v3 shapes.
 */
// The raw inbound events these tests read are shown to admins only.
@io.quarkus.test.security.TestSecurity(user = "test-admin", roles = { "user", "admin" })
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class ReconcileTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PACK = "0A1B2C3D4E5F60718293A4B5C6D7E8F9A0B1C2D3";

    @Inject
    Database db;

    @Inject
    Reconciler reconciler;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
    }

    // --- Radarr's and Sonarr's REST shapes (protocols.md §1.8, §2.5) ---

    static ObjectNode paprikaMovie(long... tagIds) {
        ObjectNode movie = JSON.createObjectNode();
        movie.put("id", 18).put("title", "Paprika").put("year", 2006).put("tmdbId", 4977).put("imdbId", "tt0851578")
                .put("path", "/data/movies/Paprika (2006)");
        var tags = movie.putArray("tags");
        for (long t : tagIds) {
            tags.add(t);
        }
        return movie;
    }

    static ObjectNode radarrQueueRecord(ObjectNode movie, String hash) {
        ObjectNode q = JSON.createObjectNode();
        q.put("id", 901).put("movieId", movie.get("id").asLong());
        q.set("movie", movie);
        q.set("quality", FakeArr.quality("Bluray-1080p"));
        q.put("size", 8_589_934_592L).put("sizeleft", 4_294_967_296L).put("title", "Paprika.2006.1080p.BluRay.x264-GRP")
                .put("status", "downloading").put("trackedDownloadStatus", "ok").put("trackedDownloadState", "downloading")
                .put("downloadId", hash).put("protocol", "torrent").put("downloadClient", "qBittorrent")
                .put("indexer", "Nyaa").put("timeleft", "00:12:00");
        q.putArray("statusMessages");
        return q;
    }

    static ObjectNode media(String field, ObjectNode value) {
        ObjectNode n = JSON.createObjectNode();
        n.set(field, value);
        return n;
    }

    static ObjectNode radarrImport(ObjectNode movie, String hash, Instant at) {
        ObjectNode h = FakeArr.RADARR.history("downloadFolderImported", at, hash, media("movie", movie));
        h.put("movieId", movie.get("id").asLong()).put("sourceTitle", "Paprika.2006.1080p.BluRay.x264-GRP");
        h.set("quality", FakeArr.quality("Bluray-1080p"));
        ((ObjectNode) h.get("data")).put("droppedPath", "/downloads/Paprika.2006.1080p.BluRay.x264-GRP/paprika.mkv")
                .put("importedPath", "/data/movies/Paprika (2006)/Paprika (2006) Bluray-1080p.mkv")
                .put("downloadClientName", "qBittorrent").put("releaseGroup", "GRP").put("size", "8589934592");
        return h;
    }

    static ObjectNode series(String type) {
        ObjectNode s = JSON.createObjectNode();
        s.put("id", 42).put("title", "Frieren: Beyond Journey's End").put("year", 2023).put("tvdbId", 424536)
                .put("tmdbId", 209867).put("imdbId", "tt22248376").put("seriesType", type)
                .put("path", "/data/tv/Frieren");
        s.putArray("tags");
        return s;
    }

    static ObjectNode episode(int season, int number) {
        ObjectNode e = JSON.createObjectNode();
        e.put("id", 2100 + number).put("seriesId", 42).put("seasonNumber", season).put("episodeNumber", number)
                .put("title", "Episode " + number).put("airDate", "2023-10-" + String.format("%02d", number))
                .put("monitored", true);
        return e;
    }

    static ObjectNode sonarrQueueRecord(ObjectNode series, ObjectNode episode, String hash) {
        ObjectNode q = JSON.createObjectNode();
        q.put("id", 700 + episode.get("episodeNumber").asInt()).put("seriesId", 42)
                .put("episodeId", episode.get("id").asLong()).put("seasonNumber", episode.get("seasonNumber").asInt());
        q.set("series", series);
        q.set("episode", episode);
        q.set("quality", FakeArr.quality("WEBDL-1080p"));
        q.put("size", 12_000_000_000L).put("title", "Frieren.S01.1080p.WEB-DL-GRP").put("status", "downloading")
                .put("trackedDownloadStatus", "ok").put("trackedDownloadState", "downloading").put("downloadId", hash)
                .put("protocol", "torrent").put("downloadClient", "qBittorrent").put("indexer", "Nyaa");
        q.putArray("statusMessages");
        return q;
    }

    static void sonarrImport(ObjectNode series, ObjectNode episode, String hash, Instant at) {
        int n = episode.get("episodeNumber").asInt();
        ObjectNode h = FakeArr.SONARR.history("downloadFolderImported", at, hash, media("series", series));
        h.set("episode", episode);
        h.put("seriesId", 42).put("episodeId", episode.get("id").asLong())
                .put("sourceTitle", "Frieren.S01E0" + n + ".1080p.WEB-DL-GRP");
        h.set("quality", FakeArr.quality("WEBDL-1080p"));
        ((ObjectNode) h.get("data")).put("fileId", String.valueOf(5000 + n))
                .put("importedPath", "/data/tv/Frieren/Season 01/Frieren - S01E0" + n + ".mkv")
                .put("droppedPath", "/downloads/Frieren.S01/Frieren.S01E0" + n + ".mkv").put("releaseGroup", "GRP")
                .put("size", "1400000000");
    }

    private int only(String mediaType) {
        return (int) db.count("SELECT id FROM media_request WHERE media_type = '" + mediaType + "'");
    }

    // --- Webhooks off ---

    @Test
    void aMovieGrabbedAndImportedWhileEveryWebhookWasLostIsTrackedFromRadarrsQueueAndHistory() {
        // given Radarr downloading Paprika, and not one webhook received
        FakeArr.RADARR.queue.add(radarrQueueRecord(paprikaMovie(), Paprika.HASH));

        // when the reconciler runs
        reconciler.run().await().indefinitely();

        // then the download is tracked, as a request made in Radarr, grabbing, with the release's details
        assertEquals(1, db.count("SELECT count(*) FROM media_request"));
        int id = only("movie");
        request(id).body("state", equalTo("grabbing")).body("requested_by", equalTo("Radarr"))
                .body("quality", equalTo("Bluray-1080p")).body("indexer", equalTo("Nyaa"))
                .body("tmdb_id", equalTo(4977)).body("radarr_id", equalTo(18))
                .body("events.content_type", everyItem(containsString("origin=status-tracker reconciled")))
                .body("events.event_type", hasItem("Grab"));

        // and reading the same queue again stores nothing new
        long rows = db.count("SELECT count(*) FROM inbound_event");
        reconciler.run().await().indefinitely();
        assertEquals(rows, db.count("SELECT count(*) FROM inbound_event"), "a finding is stored once, not per cycle");

        // when Radarr has imported it (gone from the queue, in the history)
        FakeArr.RADARR.queue.clear();
        radarrImport(paprikaMovie(), Paprika.HASH, Instant.now());
        reconciler.run().await().indefinitely();

        // then the request is importing, with where the file went
        request(id).body("state", equalTo("importing")).body("is_anime", equalTo(false))
                .body("timeline_events.event_type", hasItem("Import"))
                .body("timeline_events.details", hasItem(containsString("Paprika (2006) Bluray-1080p.mkv")));
    }

    @Test
    void aSeasonPackOnSeveralQueuePagesIsOneGrabWithEveryEpisode() {
        // given a season pack of 230 episodes: Sonarr lists one queue record per episode, 100 per page
        ObjectNode series = series("standard");
        for (int n = 1; n <= 230; n++) {
            FakeArr.SONARR.queue.add(sonarrQueueRecord(series, episode(1, n), PACK));
        }

        // when the reconciler runs
        reconciler.run().await().indefinitely();

        // then it read every page (not the first ten records): three of Sonarr's, and Radarr's one empty page
        assertEquals(4, FakeMediaServer.REQUESTS.stream().filter(r -> r.equals("GET /api/v3/queue")).count());
        // and the request tracks all 230 episodes
        int id = only("tv");
        assertEquals(230, db.count("SELECT count(*) FROM episode WHERE request_id = " + id + " AND state = 'grabbing'"));
        request(id).body("state", equalTo("grabbing")).body("requested_by", equalTo("Sonarr"));
        assertEquals(PACK.toLowerCase(), db.string("SELECT DISTINCT download_hash FROM episode WHERE request_id = " + id));
    }

    @Test
    void episodesImportedWhileTheWebhooksWereLostMoveOnePerFile() {
        // given a pack of three episodes grabbed (seen in the queue)
        ObjectNode series = series("standard");
        for (int n = 1; n <= 3; n++) {
            FakeArr.SONARR.queue.add(sonarrQueueRecord(series, episode(1, n), PACK));
        }
        reconciler.run().await().indefinitely();
        int id = only("tv");

        // when Sonarr has imported two of the three files
        FakeArr.SONARR.queue.clear();
        sonarrImport(series, episode(1, 1), PACK, Instant.now());
        sonarrImport(series, episode(1, 2), PACK, Instant.now());
        reconciler.run().await().indefinitely();

        // then those two episodes are importing and the request waits for the third
        request(id).body("episodes.findAll { it.state == 'importing' }", hasSize(2))
                .body("episodes.find { it.episode_number == 3 }.state", equalTo("grabbing"))
                .body("state", equalTo("grabbing"));
        assertEquals(2, db.count("SELECT count(*) FROM inbound_event WHERE event_type = 'Download'"
                + " AND content_type LIKE '%reconciled%'"));
    }

    @Test
    void animeIsRecognisedFromTheSeriesTypeAndFromRadarrsTagLabels() {
        // given an anime series and a movie tagged "anime" (the API lists tag ids; the labels come from /tag)
        ObjectNode series = series("anime");
        FakeArr.SONARR.queue.add(sonarrQueueRecord(series, episode(1, 1), PACK));
        FakeArr.RADARR.tag(3, "anime").tag(4, "4k");
        FakeArr.RADARR.queue.add(radarrQueueRecord(paprikaMovie(4, 3), Paprika.HASH));
        reconciler.run().await().indefinitely();

        // when both are imported
        FakeArr.SONARR.queue.clear();
        FakeArr.RADARR.queue.clear();
        sonarrImport(series, episode(1, 1), PACK, Instant.now());
        radarrImport(paprikaMovie(4, 3), Paprika.HASH, Instant.now());
        reconciler.run().await().indefinitely();

        // then both wait for Shoko, and their timelines show the import on the way
        for (String type : List.of("tv", "movie")) {
            int id = only(type);
            request(id).body("is_anime", equalTo(true)).body("state", equalTo("anime_matching"))
                    .body("timeline_events.state", hasItem("importing"));
        }
    }

    @Test
    void aRequestMadeAndApprovedWhileJellyseerrsWebhookWasLostIsTrackedWithItsTitle() {
        // given the reconciler ran before (it reads what changed since its last run)
        reconciler.run().await().indefinitely();

        // when alice asked for Paprika in Jellyseerr and no webhook came
        FakeArr.jellyseerrMedia("movie", 4977, "Paprika", "2006-11-25", "/bLUUr474Go1DfeN1HLjE3rnZXBq.jpg");
        FakeArr.JELLYSEERR_REQUESTS.add(FakeArr.jellyseerrRequest(77, 1, "movie", 4977, null, "alice", Instant.now()));
        reconciler.run().await().indefinitely();

        // then the request is there as Jellyseerr shows it: waiting for approval, with its title, year and poster
        int id = only("movie");
        request(id).body("state", equalTo("requested")).body("title", equalTo("Paprika")).body("year", equalTo(2006))
                .body("requested_by", equalTo("alice")).body("jellyseerr_id", equalTo(77))
                .body("poster_url", containsString("/bLUUr474Go1DfeN1HLjE3rnZXBq.jpg"))
                .body("events.content_type", everyItem(containsString("reconciled")));

        // when an admin approves it, and Radarr grabs it, still without webhooks
        FakeArr.JELLYSEERR_REQUESTS.set(0, FakeArr.jellyseerrRequest(77, 2, "movie", 4977, null, "alice",
                Instant.now()));
        FakeArr.RADARR.queue.add(radarrQueueRecord(paprikaMovie(), Paprika.HASH));
        reconciler.run().await().indefinitely();

        // then the same request moved on: one request, approved then grabbing
        assertEquals(1, db.count("SELECT count(*) FROM media_request"));
        request(id).body("state", equalTo("grabbing")).body("requested_by", equalTo("alice"))
                .body("timeline_events.event_type", hasItem("Approved"));

        // and an unchanged Jellyseerr costs no more detail calls and stores nothing
        long rows = db.count("SELECT count(*) FROM inbound_event");
        long detailCalls = FakeMediaServer.REQUESTS.stream().filter(r -> r.equals("GET /api/v1/movie/4977")).count();
        reconciler.run().await().indefinitely();
        assertEquals(rows, db.count("SELECT count(*) FROM inbound_event"));
        assertEquals(detailCalls,
                FakeMediaServer.REQUESTS.stream().filter(r -> r.equals("GET /api/v1/movie/4977")).count());
    }

    @Test
    void aRequestJellyseerrCannotNameGetsItsTitleFromTheNextEventThatNamesIt() {
        reconciler.run().await().indefinitely();
        // given a request whose details Jellyseerr cannot give (TMDB unreachable from Jellyseerr: 404)
        FakeArr.JELLYSEERR_REQUESTS.add(FakeArr.jellyseerrRequest(78, 2, "movie", 4977, null, "bob", Instant.now()));
        reconciler.run().await().indefinitely();
        int id = only("movie");
        request(id).body("title", equalTo("MOVIE tmdb 4977"));

        // when Radarr, which knows the title, grabs it
        FakeArr.RADARR.queue.add(radarrQueueRecord(paprikaMovie(), Paprika.HASH));
        reconciler.run().await().indefinitely();

        // then the stand-in gives way to the real title
        request(id).body("title", equalTo("Paprika")).body("state", equalTo("grabbing"));
    }

    @Test
    void aGrabTheHistoryShowsFailedAndReplacedDoesNotTakeTheRequestBackToItsDeadTorrent() {
        // Radarr grabbed A (webhook lost), A failed, Radarr grabbed B (webhook delivered)
        String dead = "AAAA2C3D4E5F60718293A4B5C6D7E8F901234567";
        deliver("radarr", Paprika.grab());
        int id = only("movie");
        ObjectNode grabbedA = FakeArr.RADARR.history("grabbed", Instant.now().minusSeconds(120), dead,
                media("movie", paprikaMovie()));
        grabbedA.put("movieId", 18).put("sourceTitle", "Paprika.2006.720p.WEB");
        FakeArr.RADARR.history("downloadFailed", Instant.now().minusSeconds(90), dead, media("movie", paprikaMovie()))
                .put("movieId", 18);
        FakeArr.RADARR.history("grabbed", Instant.now().minusSeconds(60), Paprika.HASH, media("movie", paprikaMovie()))
                .put("movieId", 18);

        reconciler.run().await().indefinitely();

        // then the request still follows B
        assertEquals(Paprika.HASH.toLowerCase(), db.string("SELECT download_hash FROM media_request WHERE id = " + id));
        assertEquals(0, db.count("SELECT count(*) FROM inbound_event WHERE download_hash = '" + dead.toLowerCase()
                + "'"), "the dead grab is not even stored");
    }

    // --- Webhooks that did arrive ---

    @Test
    void whatAWebhookAlreadyDeliveredIsNotAppliedOrStoredAgain() {
        // given Radarr's grab webhook arrived
        deliver("radarr", Paprika.grab());
        long rows = db.count("SELECT count(*) FROM inbound_event");
        int id = only("movie");

        // when the reconciler finds the same download in the queue
        FakeArr.RADARR.queue.add(radarrQueueRecord(paprikaMovie(), Paprika.HASH));
        List<Reconciler.Outcome> outcomes = reconciler.run().await().indefinitely();

        // then it submits nothing: one row, one timeline line for the grab
        assertEquals(0, outcomes.stream().mapToInt(Reconciler.Outcome::submitted).sum());
        assertEquals(rows, db.count("SELECT count(*) FROM inbound_event"));
        assertEquals(1, db.count("SELECT count(*) FROM timeline_event WHERE request_id = " + id
                + " AND event_type = 'Grab'"));
    }

    // --- Why is it stuck ---

    @Test
    void theQueuesWarningIsTheStuckReasonUntilTheQueueClearsIt() {
        // given a movie Radarr downloaded but cannot import
        ObjectNode record = radarrQueueRecord(paprikaMovie(), Paprika.HASH);
        record.put("status", "completed").put("trackedDownloadStatus", "warning")
                .put("trackedDownloadState", "importBlocked");
        record.putArray("statusMessages").addObject().put("title", "Paprika.2006.1080p.BluRay.x264-GRP")
                .putArray("messages").add("No files found are eligible for import in /downloads/Paprika");
        FakeArr.RADARR.queue.add(record);

        // when the reconciler reads the queue
        reconciler.run().await().indefinitely();

        // then the request says why it is stuck, in Radarr's words
        int id = only("movie");
        request(id).body("stuck_reason",
                equalTo("Radarr: importBlocked: No files found are eligible for import in /downloads/Paprika"));

        // when the user fixed it and Radarr imported the movie
        FakeArr.RADARR.queue.clear();
        radarrImport(paprikaMovie(), Paprika.HASH, Instant.now());
        reconciler.run().await().indefinitely();

        // then the reason is gone
        request(id).body("state", equalTo("importing")).body("stuck_reason", nullValue());
    }

    // --- Upstream down ---

    @Test
    void radarrDownBreaksNothingAndTheNextReconciliationCatchesUp() {
        FakeArr.RADARR.queue.add(radarrQueueRecord(paprikaMovie(), Paprika.HASH));
        FakeArr.RADARR.failWith = 503;
        try (LogCapture log = LogCapture.of(Reconciler.class, Level.WARNING)) {
            // when Radarr answers 503 twice
            List<Reconciler.Outcome> first = reconciler.run().await().indefinitely();
            reconciler.run().await().indefinitely();

            // then nothing is tracked, the failure is reported once, without the API key, and Sonarr was still read
            assertEquals(0, db.count("SELECT count(*) FROM media_request"));
            assertTrue(first.stream().anyMatch(o -> o.service().equals("radarr") && o.failure() != null));
            assertTrue(first.stream().anyMatch(o -> o.service().equals("sonarr") && o.failure() == null));
            assertEquals(1, log.lines().stream().filter(l -> l.contains("radarr reconciliation failed")).count(),
                    log.lines().toString());
            assertTrue(log.lines().stream().noneMatch(l -> l.contains(FakeMediaServer.RADARR_KEY)));
        }

        // when Radarr answers again
        FakeArr.RADARR.failWith = null;
        reconciler.run().await().indefinitely();

        // then the download is tracked
        request(only("movie")).body("state", equalTo("grabbing"));
        get("/api/health").then().statusCode(200);
    }
}
