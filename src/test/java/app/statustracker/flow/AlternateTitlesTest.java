package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.request;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.service.JellyfinVerification;
import app.statustracker.support.Database;
import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Payload;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * An anime's other titles (issue 5: the verification's "alternate titles" fallback): a grab of an anime asks Radarr
 * (or Sonarr) once for the titles it knows, and the Jellyfin verification finds an item that Shokofin named by one of
 * them, without any provider id to match.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class AlternateTitlesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Database db;

    @Inject
    JellyfinVerification verification;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
    }

    /** Radarr's movie resource for Perfect Blue (id 17 in the fixtures), with the alternate titles it lists. */
    private static void radarrKnowsPerfectBlue() {
        ObjectNode movie = JSON.createObjectNode();
        movie.put("id", 17).put("title", "Perfect Blue").put("year", 1997).put("tmdbId", 10494)
                .put("imdbId", "tt0156887").put("path", "/data/media/anime-movies/Perfect Blue (1997)");
        movie.putArray("tags").add(3);
        var titles = movie.putArray("alternateTitles");
        for (String t : new String[] { "Pāfekuto Burū", "パーフェクトブルー", "Perfect Blue" }) {
            titles.addObject().put("sourceType", "tmdb").put("title", t);
        }
        FakeArr.RADARR.resources.put(17L, movie);
    }

    @Test
    void anAnimeGrabLearnsItsOtherTitlesFromRadarrOnce() {
        radarrKnowsPerfectBlue();

        // when Radarr's grab webhook for the anime (tagged "anime") arrives
        int id = deliver("radarr", Payload.of("protocol/radarr-grab.json")).extract().path("request_id");

        // then the tracker asks Radarr once and keeps the titles it did not have (its own title left out)
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertEquals("Pāfekuto Burū\nパーフェクトブルー",
                db.string("SELECT alternate_titles FROM media_request WHERE id = " + id)));
        request(id).body("timeline_events.event_type", hasItem("Titles"))
                .body("timeline_events.details", hasItem(containsString("Also known as Pāfekuto Burū")))
                .body("is_anime", equalTo(true));
        assertEquals(1, FakeMediaServer.REQUESTS.stream().filter(r -> r.equals("GET /api/v3/movie/17")).count());

        // and the import that follows does not ask again
        deliver("radarr", Payload.of("protocol/radarr-download.json"));
        request(id).body("state", equalTo("anime_matching"));
        assertEquals(1, FakeMediaServer.REQUESTS.stream().filter(r -> r.equals("GET /api/v3/movie/17")).count());
    }

    @Test
    void jellyfinVerificationFindsAnAnimeShokofinNamedByAnotherTitle() {
        radarrKnowsPerfectBlue();
        int id = deliver("radarr", Payload.of("protocol/radarr-grab.json")).extract().path("request_id");
        await().atMost(Duration.ofSeconds(15)).until(
                () -> db.string("SELECT alternate_titles FROM media_request WHERE id = " + id) != null);
        deliver("radarr", Payload.of("protocol/radarr-download.json"));

        // given Jellyfin shows the film under its romanised title, without the TMDB id (Shokofin's own metadata)
        FakeMediaServer.movie("6a1b2c3d4e5f60718293a4b5c6d7e8f9", "Pāfekuto Burū", 1997, 0);
        ((ObjectNode) FakeMediaServer.jellyfinItem("6a1b2c3d4e5f60718293a4b5c6d7e8f9")).putObject("ProviderIds")
                .put("AniDB", "11");
        verification.forgetLibrary();

        // when the verification runs
        verification.run().await().indefinitely();

        // then it is found by that title and the year, and the request is available
        request(id).body("state", equalTo("available"))
                .body("timeline_events.details", hasItem(containsString("alternate title \"Pāfekuto Burū\"")));
    }
}
