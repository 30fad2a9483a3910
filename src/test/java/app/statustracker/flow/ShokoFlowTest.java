package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.request;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.support.Database;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.FakeShokoHub;
import app.statustracker.support.Payload;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * Anime from import to available through Shoko's hub (issue 6): a SignalR hub speaking the real JSON protocol sends
 * Shoko's messages, Shoko's REST API and Jellyfin are faked at the HTTP level, and the tracker does the rest on its
 * own — finding the files by path, asking Jellyfin after a match, reconnecting and catching up after a hub restart,
 * auto-linking what Shoko could not match.
 */
@QuarkusTest
@TestProfile(ShokoFlowTest.Matching.class)
// The tests that put media into the fake Jellyfin run last: the verification keeps a copy of the library, and a cycle
// still running from one test must not find the next test's request in what the previous one put there.
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
@WithTestResource(value = FakeShokoHub.class)
class ShokoFlowTest {

    /** Jellyfin asked right after a match (nothing left running into the next test); the schedules stay out of the way. */
    public static class Matching implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracker.verification.enabled", "true", "tracker.verification.delay", "1h",
                    "tracker.verification.every", "1h", "tracker.shoko.verify-delays", "0,0",
                    "tracker.reconcile.enabled", "true", "tracker.reconcile.delay", "1h",
                    "tracker.reconcile.every", "1h", "tracker.shoko.path-map", "/mnt/anime-movies=/data/media/anime-movies",
                    "tracker.media-path-prefix", "/data/media/anime");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Shoko's anime folders, as mounted in Shoko's container (the tracker sees them under /data/media/…). */
    static final String SHOKO_MOVIES = "/mnt/anime-movies";
    static final String SHOKO_TV = "/mnt/anime";

    @Inject
    Database db;

    @Inject
    app.statustracker.service.ShokoIntake shoko;

    @Inject
    app.statustracker.service.JellyfinVerification verification;

    FakeShokoHub hub;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
        // The verification keeps a copy of Jellyfin's library: the last test's series must not be in it.
        verification.forgetLibrary();
        hub = FakeShokoHub.hub();
        hub.resetLibrary();
        hub.importFolder(1, SHOKO_MOVIES);
        hub.importFolder(2, SHOKO_TV);
        hub.awaitConnected();
    }

    static String fileEvent(long fileId, int folder, String relativePath, boolean linked) {
        ObjectNode n = JSON.createObjectNode();
        n.put("FileID", fileId).put("FileLocationID", fileId + 100).put("ImportFolderID", folder)
                .put("RelativePath", relativePath);
        ArrayNode xrefs = n.putArray("CrossReferences");
        if (linked) {
            xrefs.addObject().put("EpisodeID", 9000 + fileId).put("AnidbEpisodeID", 8000 + fileId).put("SeriesID", 77)
                    .put("AnidbAnimeID", 17754).put("GroupID", 12);
        }
        return n.toString();
    }

    private int importedAnimeMovie() {
        deliver("radarr", Payload.of("protocol/radarr-grab.json"));
        int id = deliver("radarr", Payload.of("protocol/radarr-download.json")).extract().path("request_id");
        request(id).body("state", equalTo("anime_matching"));
        return id;
    }

    @Test
    @org.junit.jupiter.api.Order(7)
    void aMovieShokoAddsMakesTheTrackerAskJellyfin() {
        int id = importedAnimeMovie();
        FakeMediaServer.movie("6a1b2c3d4e5f60718293a4b5c6d7e8f9", "Perfect Blue", 1997, 10494);

        hub.send("ShokoEvent:MovieUpdated", "{\"Source\":\"TMDB\",\"Reason\":\"Added\",\"MovieID\":10494,"
                + "\"ShokoEpisodeIDs\":[9041],\"ShokoSeriesIDs\":[77]}");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> request(id).body("state", equalTo("available")));
        assertEquals(1, db.count("SELECT count(*) FROM inbound_event WHERE event_type = 'ShokoEvent:MovieUpdated'"
                + " AND outcome_reason = 'movie added in Shoko: Jellyfin is asked'"));
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    void anAnimeMovieGoesFromImportToAvailableThroughShokosMatch() {
        int id = importedAnimeMovie();
        // Shokofin shows the film as soon as Shoko has matched it
        FakeMediaServer.movie("6a1b2c3d4e5f60718293a4b5c6d7e8f9", "Perfect Blue", 1997, 10494);

        hub.send("ShokoEvent:FileMatched", fileEvent(41, 1, "Perfect Blue (1997)/" + FileOwnersTest.MOVIE_FILE, true));

        // the match is in the timeline, and the verification it set off finds the film: nobody else asks Jellyfin
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> request(id).body("state", equalTo("available"))
                .body("timeline_events.event_type", hasItem("Matched")));
        request(id).body("timeline_events.state", hasItems("importing", "anime_matching", "available"));
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void anAnimeSeasonOfThirteenEpisodesGoesFromImportToAvailable() throws Exception {
        String pack = "9A8B7C6D5E4F30211203A4B5C6D7E8F9A0B1C2D3";
        ObjectNode grab = (ObjectNode) JSON.readTree(Payload.of("protocol/sonarr-grab.json").toString());
        grab.put("downloadId", pack);
        ObjectNode template = (ObjectNode) grab.get("episodes").get(0);
        ArrayNode episodes = grab.putArray("episodes");
        for (int n = 1; n <= 13; n++) {
            episodes.add(template.deepCopy().put("episodeNumber", n).put("id", 2100 + n).put("tvdbId", 9894500 + n)
                    .put("title", "Episode " + n));
        }
        int id = deliver("sonarr", Payload.parse(grab.toString())).extract().path("request_id");
        for (int n = 1; n <= 13; n++) {
            ObjectNode imported = (ObjectNode) JSON.readTree(Payload.of("protocol/sonarr-download.json").toString());
            imported.put("downloadId", pack);
            ((ObjectNode) imported.get("episodes").get(0)).put("episodeNumber", n).put("id", 2100 + n)
                    .put("tvdbId", 9894500 + n);
            String name = String.format("Frieren - S01E%02d [WEBDL-1080p].mkv", n);
            ((ObjectNode) imported.get("episodeFile")).put("id", 700 + n).put("relativePath", "Season 01/" + name)
                    .put("path", "/data/media/anime/Frieren - Beyond Journey's End (2023)/Season 01/" + name);
            deliver("sonarr", Payload.parse(imported.toString()));
        }
        request(id).body("state", equalTo("anime_matching")).body("episodes.size()", equalTo(13));

        // Shoko matches the thirteen files, one message each, in order
        for (int n = 1; n <= 13; n++) {
            hub.send("ShokoEvent:FileMatched", fileEvent(500 + n, 2, String.format(
                    "Frieren - Beyond Journey's End (2023)/Season 01/Frieren - S01E%02d [WEBDL-1080p].mkv", n), true));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> db.count("SELECT count(*) FROM inbound_event WHERE"
                + " source = 'shoko' AND event_type = 'ShokoEvent:FileMatched' AND outcome = 'applied'") == 13);
        assertEquals(13, db.count("SELECT count(*) FROM timeline_event WHERE request_id = " + id
                + " AND event_type = 'Matched'"), "each episode's match is in the timeline");

        // Shokofin shows the season: the next verification makes the request available, every episode with it
        String series = "5c2f1e3d0c9a8b7e6d5c4b3a2f1e0d9c";
        FakeMediaServer.series(series, "Frieren", 424536, 209867);
        for (int n = 1; n <= 13; n++) {
            FakeMediaServer.episode(series, String.format("e%031d", n), 1, n, true);
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            verification.run().await().indefinitely(); // as its schedule would (a cycle still running is skipped)
            request(id).body("state", equalTo("available")).body("episodes.state", everyItem(equalTo("available")));
        });
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aMatchShokoMadeWhileTheHubWasDownIsFoundAfterTheClientReconnectsByItself() {
        int id = importedAnimeMovie();
        int handshakes = hub.handshakes();

        hub.stopListening();
        // meanwhile Shoko matched the file; its FileMatched went nowhere
        hub.file(41, 1, "Perfect Blue (1997)/" + FileOwnersTest.MOVIE_FILE, 77L, 17754L);
        hub.startListening();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> request(id)
                .body("timeline_events.details", hasItem(containsString("Matched in Shoko (AniDB anime 17754)"))));
        // the reconciler ran too: Sonarr and Radarr were asked what their webhooks may have said meanwhile
        assertTrue(FakeMediaServer.REQUESTS.contains("GET /api/v3/queue"), FakeMediaServer.REQUESTS.toString());
        // the client came back by itself, and the status page says so
        assertTrue(hub.handshakes() > handshakes, "reconnected without a restart");
        io.restassured.RestAssured.get("/api/health").then().body("shoko_signalr", equalTo("connected"));
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void aMatchForAnEpisodeWhoseImportWasNeverSeenFindsItThroughShokosSeries() {
        // grabbed and downloaded; Sonarr's import webhook was lost, so the tracker knows no path for the file
        deliver("sonarr", Payload.of("protocol/sonarr-grab.json"));
        int id = deliver("qbittorrent", Scenario.qbitFinished("8f3a2c1d9e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
                "[SubsPlease] Sousou no Frieren - 05 (1080p)")).extract().path("request_id");
        request(id).body("state", equalTo("downloaded"));
        hub.series(77, "Sousou no Frieren", 424536L, 209867L);

        // "Frieren - 05" could be the fifth episode of any season: not guessed
        hub.send("ShokoEvent:FileMatched", fileEvent(46, 2, "Sousou no Frieren/[SubsPlease] Sousou no Frieren - 05"
                + " (1080p) [2A9B6F31].mkv", true));
        await().atMost(Duration.ofSeconds(10)).until(() -> db.count("SELECT count(*) FROM inbound_event WHERE"
                + " source = 'shoko' AND outcome = 'ignored' AND outcome_reason LIKE '%no season and episode%'") == 1);
        request(id).body("state", equalTo("downloaded"));

        hub.send("ShokoEvent:FileMatched", fileEvent(44, 2, "Sousou no Frieren/Sousou no Frieren - S01E05 (1080p)"
                + " [2A9B6F31].mkv", true));

        // Shoko's series names the show (TVDB 424536) and the file's name the episode: S01E05 moves on
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> request(id).body("state", equalTo("anime_matching"))
                .body("timeline_events.state", hasItems("importing", "anime_matching"))
                .body("timeline_events.details", hasItem(containsString("Matched in Shoko to 'Sousou no Frieren'"))));
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void anEmptyPathIsLookedUpThroughShokosApi() {
        int id = importedAnimeMovie();
        hub.file(42, 1, "Perfect Blue (1997)/" + FileOwnersTest.MOVIE_FILE, 77L, 17754L);

        hub.send("ShokoEvent:FileMatched", "{\"FileID\":42,\"FileLocationID\":0,\"ImportFolderID\":0,"
                + "\"RelativePath\":\"\",\"CrossReferences\":[{\"SeriesID\":77,\"AnidbAnimeID\":17754}]}");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> request(id)
                .body("timeline_events.event_type", hasItem("Matched")));
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void shokosFoldersAreMappedOntoTheTrackersBySHOKO_PATH_MAPThenTakenAsTheyAreThenUnderMEDIA_PATH_PREFIX() {
        assertEquals(java.util.List.of("/data/media/anime-movies/Perfect Blue (1997)/pb.mkv",
                "/mnt/anime-movies/Perfect Blue (1997)/pb.mkv", "/data/media/anime/Perfect Blue (1997)/pb.mkv"),
                shoko.candidates("/mnt/anime-movies/", "Perfect Blue (1997)\\pb.mkv"));
        assertEquals(java.util.List.of("/data/media/anime/Frieren/S01E05.mkv"), shoko.candidates(null, "/Frieren/S01E05.mkv"));
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void aFileShokoCouldNotMatchAndWhoseTitleItsSearchDoesNotKnowIsMatchFailedWithTheReason() {
        int id = importedAnimeMovie();
        hub.series(78, "Tokyo Godfathers"); // the only series Shoko finds: no word in common with Perfect Blue
        hub.file(45, 1, "Perfect Blue (1997)/" + FileOwnersTest.MOVIE_FILE, null, null);

        hub.send("ShokoEvent:FileNotMatched", "{\"AutoMatchAttempts\":3,\"HasCrossReferences\":false,"
                + fileEvent(45, 1, "Perfect Blue (1997)/" + FileOwnersTest.MOVIE_FILE, false).substring(1));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> request(id).body("state", equalTo("match_failed"))
                .body("stuck_reason", containsString("Could not find a matching series in Shoko")));
        assertTrue(hub.links().isEmpty(), "nothing was linked");
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void aFileShokoCouldNotMatchIsLinkedToTheSeriesItsSearchFinds() {
        deliver("sonarr", Payload.of("protocol/sonarr-grab.json"));
        int id = deliver("sonarr", Payload.of("protocol/sonarr-download.json")).extract().path("request_id");
        hub.series(77, "Sousou no Frieren");
        hub.file(43, 2, "Frieren - Beyond Journey's End (2023)/Season 01/" + FileOwnersTest.EPISODE_FILE, null, null);

        hub.send("ShokoEvent:FileNotMatched", "{\"AutoMatchAttempts\":1,\"HasCrossReferences\":false,"
                + "\"IsUDPBanned\":false,\"FileID\":43,\"FileLocationID\":143,\"ImportFolderID\":2,\"RelativePath\":"
                + "\"Frieren - Beyond Journey's End (2023)/Season 01/" + FileOwnersTest.EPISODE_FILE.replace("\"", "\\\"")
                + "\",\"CrossReferences\":[]}");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> request(id)
                .body("timeline_events.details", hasItem("Auto-linked to 'Sousou no Frieren' episode 5")));
        request(id).body("state", equalTo("anime_matching"));
        assertEquals("43:{\"seriesID\":77,\"rangeStart\":\"5\",\"rangeEnd\":\"5\"}", hub.links().get(0));
    }
}
