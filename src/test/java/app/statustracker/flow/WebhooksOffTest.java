package app.statustracker.flow;

import static app.statustracker.flow.Scenario.request;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.service.JellyfinVerification;
import app.statustracker.service.Reconciler;
import app.statustracker.support.Database;
import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * "Webhooks off" (issue 5, PRODUCT.md §1.6): every webhook is lost, and each of the four flows still reaches
 * {@code available}, driven only by what Jellyseerr, Sonarr, Radarr and Jellyfin report through their REST APIs (faked
 * at the HTTP level) to the reconciler and the Jellyfin verification. Not one request is posted to {@code /hooks}.
 */
// The raw inbound events these tests read are shown to admins only.
@io.quarkus.test.security.TestSecurity(user = "test-admin", roles = { "user", "admin" })
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class WebhooksOffTest {

    static final String PERFECT_BLUE = "3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F";

    @Inject
    Database db;

    @Inject
    Reconciler reconciler;

    @Inject
    JellyfinVerification verification;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
        reconciler.run().await().indefinitely(); // the last run before the webhooks were lost
    }

    private void cycle() {
        reconciler.run().await().indefinitely();
        verification.run().await().indefinitely();
    }

    private int onlyRequest() {
        assertEquals(1, db.count("SELECT count(*) FROM media_request"), "one request, not one per source");
        return (int) db.count("SELECT id FROM media_request");
    }

    @Test
    void aRegularMovieRequestedInJellyseerrBecomesAvailable() {
        FakeArr.jellyseerrMedia("movie", 4977, "Paprika", "2006-11-25", "/paprika.jpg");
        FakeArr.JELLYSEERR_REQUESTS.add(FakeArr.jellyseerrRequest(90, 2, "movie", 4977, null, "alice", Instant.now()));
        cycle();
        int id = onlyRequest();
        request(id).body("state", equalTo("approved")).body("title", equalTo("Paprika"));

        FakeArr.RADARR.queue.add(ReconcileTest.radarrQueueRecord(ReconcileTest.paprikaMovie(), Paprika.HASH));
        cycle();
        request(id).body("state", equalTo("grabbing"));

        FakeArr.RADARR.queue.clear();
        ReconcileTest.radarrImport(ReconcileTest.paprikaMovie(), Paprika.HASH, Instant.now());
        cycle();
        request(id).body("state", equalTo("importing"));

        FakeMediaServer.movie(Paprika.JELLYFIN_ITEM, "Paprika", 2006, 4977);
        cycle();
        request(id).body("state", equalTo("available")).body("requested_by", equalTo("alice"))
                .body("timeline_events.state", hasItems("approved", "grabbing", "importing", "available"));
        assertEquals(0, db.count("SELECT count(*) FROM inbound_event WHERE content_type NOT LIKE '%origin=status-tracker%'"),
                "not one webhook was involved");
    }

    @Test
    void aRegularSeriesRequestedInJellyseerrBecomesAvailableEpisodeByEpisode() {
        // Frieren, season 1 of 3 episodes (Jellyseerr's count tells the tracker how many to expect)
        FakeArr.jellyseerrMedia("tv", 209867, "Frieren: Beyond Journey's End", "2023-09-29", "/frieren.jpg", 0, 3);
        FakeArr.JELLYSEERR_REQUESTS.add(FakeArr.jellyseerrRequest(91, 2, "tv", 209867, 424536L, "bob", Instant.now(), 1));
        cycle();
        int id = onlyRequest();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> request(id).body("total_episodes", equalTo(3)));

        ObjectNode series = ReconcileTest.series("standard");
        for (int n = 1; n <= 3; n++) {
            FakeArr.SONARR.queue.add(ReconcileTest.sonarrQueueRecord(series, ReconcileTest.episode(1, n),
                    ReconcileTest.PACK));
        }
        cycle();
        request(id).body("state", equalTo("grabbing"));

        FakeArr.SONARR.queue.clear();
        for (int n = 1; n <= 3; n++) {
            ReconcileTest.sonarrImport(series, ReconcileTest.episode(1, n), ReconcileTest.PACK, Instant.now());
        }
        cycle();
        request(id).body("state", equalTo("importing"));

        String jellyfinSeries = "4b1f0e2d9c8a7b6e5d4c3b2a1f0e9d8c";
        FakeMediaServer.series(jellyfinSeries, "Frieren", 424536, 209867);
        FakeMediaServer.episode(jellyfinSeries, "e0000000000000000000000000000001", 1, 1, true);
        FakeMediaServer.episode(jellyfinSeries, "e0000000000000000000000000000002", 1, 2, true);
        cycle();
        request(id).body("state", equalTo("importing")).body("episode_counts.available", equalTo(2));

        FakeMediaServer.episode(jellyfinSeries, "e0000000000000000000000000000003", 1, 3, true);
        cycle();
        request(id).body("state", equalTo("available")).body("episodes.state", everyItem(equalTo("available")));
    }

    @Test
    void anAnimeMovieGrabbedInRadarrBecomesAvailable() {
        ObjectNode movie = ReconcileTest.paprikaMovie(3);
        movie.put("id", 19).put("title", "Perfect Blue").put("year", 1997).put("tmdbId", 10494)
                .put("imdbId", "tt0156887").put("path", "/data/anime-movies/Perfect Blue (1997)");
        FakeArr.RADARR.tag(3, "anime");
        FakeArr.RADARR.queue.add(ReconcileTest.radarrQueueRecord(movie, PERFECT_BLUE));
        cycle();
        int id = onlyRequest();
        request(id).body("state", equalTo("grabbing")).body("is_anime", equalTo(true))
                .body("requested_by", equalTo("Radarr"));

        FakeArr.RADARR.queue.clear();
        ObjectNode imported = ReconcileTest.radarrImport(movie, PERFECT_BLUE, Instant.now());
        ((ObjectNode) imported.get("data")).put("importedPath", "/data/anime-movies/Perfect Blue (1997)/pb.mkv");
        cycle();
        request(id).body("state", equalTo("anime_matching"));

        FakeMediaServer.movie("7d793037a0760186574b0282f2f435e7", "Perfect Blue", 1997, 10494);
        cycle();
        request(id).body("state", equalTo("available"))
                .body("timeline_events.state", hasItems("importing", "anime_matching", "available"));
    }

    @Test
    void anAnimeSeriesGrabbedInSonarrBecomesAvailable() {
        ObjectNode series = ReconcileTest.series("anime");
        FakeArr.SONARR.queue.add(ReconcileTest.sonarrQueueRecord(series, ReconcileTest.episode(1, 1),
                ReconcileTest.PACK));
        cycle();
        int id = onlyRequest();
        request(id).body("state", equalTo("grabbing")).body("is_anime", equalTo(true));

        FakeArr.SONARR.queue.clear();
        ReconcileTest.sonarrImport(series, ReconcileTest.episode(1, 1), ReconcileTest.PACK, Instant.now());
        cycle();
        request(id).body("state", equalTo("anime_matching"))
                .body("events.content_type", everyItem(containsString("origin=status-tracker")));

        String jellyfinSeries = "5c2f1e3d0c9a8b7e6d5c4b3a2f1e0d9c";
        FakeMediaServer.series(jellyfinSeries, "Frieren", 424536, 209867);
        FakeMediaServer.episode(jellyfinSeries, "e1000000000000000000000000000001", 1, 1, true);
        cycle();
        request(id).body("state", equalTo("available")).body("timeline_events.event_type", hasItem("Verified"));
    }
}
