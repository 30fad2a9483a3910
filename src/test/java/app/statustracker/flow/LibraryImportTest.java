package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.deliverAndGetRequestId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.support.Database;
import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * The library import (issue 7): what Jellyfin already has playable becomes available requests with the ids of
 * Jellyfin, Radarr and Sonarr — but no second row for media a request already tracks, none for anime that Jellyfin
 * knows only by its AniDB id while a request tracks it by TVDB id, one row for one AniDB series shown twice, and
 * nothing new when it runs again.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
@TestSecurity(user = "jf-admin", roles = { "user", "admin" })
class LibraryImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Database db;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
    }

    private static ObjectNode radarrMovie(long id, String title, int year, long tmdbId, String imdbId) {
        ObjectNode movie = JSON.createObjectNode().put("id", id).put("title", title).put("year", year)
                .put("tmdbId", tmdbId).put("imdbId", imdbId).put("hasFile", true).put("monitored", true);
        movie.putArray("alternateTitles");
        movie.putArray("images").addObject().put("coverType", "poster").put("url", "/MediaCover/" + id + "/poster.jpg")
                .put("remoteUrl", "https://image.tmdb.org/t/p/original/" + id + ".jpg");
        return movie;
    }

    private static ObjectNode sonarrSeries(long id, String title, int year, long tvdbId, String type, String... altTitles) {
        ObjectNode series = JSON.createObjectNode().put("id", id).put("title", title).put("year", year)
                .put("tvdbId", tvdbId).put("tmdbId", 0).put("imdbId", "").put("seriesType", type);
        var alternates = series.putArray("alternateTitles");
        for (String alt : altTitles) {
            alternates.addObject().put("title", alt).put("seasonNumber", -1);
        }
        series.putArray("images");
        return series;
    }

    /** A series Jellyfin knows only by AniDB id (Shokofin's provider ids), with playable episodes. */
    private static void anidbSeries(String id, String name, int year, String anidb, String episodePrefix) {
        FakeMediaServer.series(id, name, 1, 1);
        ObjectNode item = FakeMediaServer.jellyfinItem(id);
        item.put("ProductionYear", year);
        item.putObject("ProviderIds").put("AniDB", anidb).put("Shoko Series", "4" + anidb);
        FakeMediaServer.episode(id, episodePrefix + "01", 1, 1, true);
        FakeMediaServer.episode(id, episodePrefix + "02", 1, 2, true);
    }

    @Test
    void importsWhatIsPlayableOnceWithoutDuplicatingTrackedOrAnimeMedia() {
        // Jellyfin: Paprika (untracked), Perfect Blue (a pending request tracks it), Bocchi the Rock! known only by
        // AniDB while a request tracks it by TVDB id via Sonarr, Frieren shown in two libraries (one AniDB id), and a
        // series with nothing playable.
        FakeMediaServer.movie(Paprika.JELLYFIN_ITEM, "Paprika", 2006, 4977);
        FakeMediaServer.movie("aa00000000000000000000000000000b", "Perfect Blue", 1997, 10494);
        anidbSeries("bb00000000000000000000000000000c", "Bocchi the Rock!", 2022, "17330", "bc0000000000000000000000000000");
        anidbSeries("cc00000000000000000000000000000d", "Frieren: Beyond Journey's End", 2023, "17617", "cd0000000000000000000000000000");
        anidbSeries("dd00000000000000000000000000000e", "Frieren: Beyond Journey's End", 2023, "17617", "de0000000000000000000000000000");
        FakeMediaServer.series("ee00000000000000000000000000000f", "Only Metadata", 81189, 1396);
        FakeArr.RADARR.library.add(radarrMovie(18, "Paprika", 2006, 4977, "tt0851578"));
        FakeArr.SONARR.library.add(sonarrSeries(7, "Bocchi the Rock!", 2022, 410529, "anime", "Bocchi za Rokku!"));

        int perfectBlue = deliverAndGetRequestId("jellyseerr", Paprika.request().set("request.request_id", "302")
                .set("media.tmdbId", "10494").set("subject", "Perfect Blue (1997)"));
        int bocchi = deliverAndGetRequestId("jellyseerr", Paprika.request().set("request.request_id", "303")
                .set("media.media_type", "tv").set("media.tmdbId", "119100").set("media.tvdbId", "410529")
                .set("subject", "Bocchi the Rock! (2022)"));

        JsonPath result = given().post("/api/admin/library-import").then().statusCode(200)
                .body("scanned", equalTo(6)).body("added", equalTo(2)).body("skipped", equalTo(4))
                .body("errors", equalTo(0)).extract().jsonPath();
        assertEquals(Map.of("already tracked", 2, "another Jellyfin item of the same media", 1, "nothing playable", 1),
                result.getMap("skipped_because"));

        assertEquals(4, db.count("SELECT count(*) FROM media_request"), "two requests plus two imported rows");
        given().get("/api/history?state=available").then().statusCode(200)
                .body("requests.title", hasItem("Paprika"))
                .body("requests.title", hasItem("Frieren: Beyond Journey's End"))
                .body("requests.find { it.title == 'Paprika' }.radarr_id", equalTo(18))
                .body("requests.find { it.title == 'Paprika' }.tmdb_id", equalTo(4977))
                .body("requests.find { it.title == 'Paprika' }.jellyfin_id", equalTo(Paprika.JELLYFIN_ITEM))
                .body("requests.find { it.title == 'Paprika' }.requested_by", equalTo("Library import"))
                .body("requests.find { it.title == 'Paprika' }.poster_url",
                        equalTo("https://image.tmdb.org/t/p/original/18.jpg"))
                .body("requests.find { it.title.startsWith('Frieren') }.is_anime", equalTo(true))
                .body("requests.find { it.title.startsWith('Frieren') }.media_type", equalTo("tv"));
        Scenario.request(perfectBlue).body("state", equalTo("approved"));
        Scenario.request(bocchi).body("state", equalTo("approved"));

        // a second run finds everything tracked
        given().post("/api/admin/library-import").then().statusCode(200).body("added", equalTo(0))
                .body("skipped", equalTo(6));
        assertEquals(4, db.count("SELECT count(*) FROM media_request"));
    }

    @Test
    void anImportedRowSaysWhereItCameFromAndJellyfinDownIsA503() {
        FakeMediaServer.movie(Paprika.JELLYFIN_ITEM, "Paprika", 2006, 4977);
        given().post("/api/admin/library-import").then().statusCode(200).body("added", equalTo(1))
                .body("error_details.size()", equalTo(0));
        long id = db.count("SELECT id FROM media_request");
        Scenario.request((int) id).body("state", equalTo("available"))
                .body("timeline_events[0].details", equalTo("Imported from the Jellyfin library"))
                .body("timeline_events[0].service", equalTo("library"));

        FakeMediaServer.jellyfinDown();
        try {
            given().post("/api/admin/library-import").then().statusCode(503)
                    .body("detail", org.hamcrest.Matchers.containsString("nothing was imported"));
        } finally {
            FakeMediaServer.jellyfinUp();
        }
        deliver("radarr", Paprika.grab()); // an upgrade grab of imported media is a note, not a new request
        assertEquals(1, db.count("SELECT count(*) FROM media_request"));
    }
}
