package app.statustracker.flow;

import static app.statustracker.flow.Scenario.request;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.Paprika;
import app.statustracker.support.Database;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Payload;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Upstreams do not retry, but proxies, users clicking "Test" and our own follow-ups can deliver an event twice, and
 * webhooks of one flow arrive concurrently. Every event must be applied exactly once.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class DeliveryTest {

    @Inject
    Database db;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
    }

    /**
     * The regular TV flow of the captured season pack and a regular movie flow, as (service, payload) in upstream
     * order: every route takes part.
     */
    static List<String[]> flows() {
        List<String[]> events = new ArrayList<>();
        events.add(new String[] { "jellyseerr", Paprika.request().toString() });
        events.add(new String[] { "radarr", Paprika.grab().toString() });
        events.add(new String[] { "qbittorrent", Scenario.qbitFinished(Paprika.HASH, "Paprika").toString() });
        events.add(new String[] { "radarr", Paprika.imported().toString() });
        events.add(new String[] { "jellyfin", Paprika.inJellyfin().toString() });
        events.add(new String[] { "jellyseerr", TvFlowTest.lycorisRequest().toString() });
        events.add(new String[] { "sonarr", TvFlowTest.regular(TvFlowTest.lycorisGrab()).toString() });
        events.add(new String[] { "qbittorrent",
                Scenario.qbitFinished(TvFlowTest.PACK_HASH.toLowerCase(), "Lycoris Recoil S01").toString() });
        events.add(new String[] { "sonarr", TvFlowTest.regular(TvFlowTest.lycorisImport()).toString() });
        for (int e = 1; e <= 13; e++) {
            events.add(new String[] { "jellyfin",
                    TvFlowTest.jellyfinEpisode(1, e, TvFlowTest.lycorisEpisodeTvdb(e)).toString() });
        }
        return events;
    }

    static String post(String service, String body) {
        return given().contentType("application/json").body(body).post("/hooks/" + service).then().statusCode(200)
                .extract().path("status");
    }

    @Test
    void everyEventDeliveredTwiceChangesNothingTheSecondTime() {
        List<String> secondAnswers = new ArrayList<>();
        for (String[] e : flows()) {
            post(e[0], e[1]);
            secondAnswers.add(post(e[0], e[1]));
        }
        assertTrue(secondAnswers.stream().allMatch("duplicate"::equals), secondAnswers.toString());
        int tv = (int) db.count("SELECT id FROM media_request WHERE media_type = 'tv'");
        request(tv).body("state", equalTo("available")).body("episode_counts.available", equalTo(13));
        int movie = (int) db.count("SELECT id FROM media_request WHERE media_type = 'movie'");
        request(movie).body("state", equalTo("available"));
        assertEquals(2, db.count("SELECT count(*) FROM media_request"));
        assertEquals(13, db.count("SELECT count(*) FROM episode"));
        assertEquals(22, db.count("SELECT count(*) FROM inbound_event WHERE outcome = 'duplicate'"));
        long timeline = db.count("SELECT count(*) FROM timeline_event");
        long updates = db.count("SELECT count(*) FROM stream_event");

        // and a third round later changes nothing either: no timeline entry, no live update
        flows().forEach(e -> post(e[0], e[1]));
        assertEquals(timeline, db.count("SELECT count(*) FROM timeline_event"));
        assertEquals(updates, db.count("SELECT count(*) FROM stream_event"));
    }

    @Test
    void concurrentDuplicateDeliveriesAreAppliedOnceEach() throws Exception {
        // given the two requests, then every other event of their flows delivered concurrently and twice each
        List<String[]> flow = flows();
        post(flow.get(0)[0], flow.get(0)[1]);
        post(flow.get(5)[0], flow.get(5)[1]);
        List<String[]> rest = new ArrayList<>(flow);
        rest.remove(5);
        rest.remove(0);
        rest.addAll(new ArrayList<>(rest));
        Collections.shuffle(rest, new java.util.Random(7));

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (String[] e : rest) {
                answers.add(pool.submit((Callable<String>) () -> post(e[0], e[1])));
            }
            List<String> statuses = new ArrayList<>();
            for (Future<String> f : answers) {
                statuses.add(f.get());
            }
            // then each of the 20 events was taken once and every copy recognised
            assertEquals(20, Collections.frequency(statuses, "duplicate"), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, db.count("SELECT count(*) FROM inbound_event WHERE outcome = 'error'"));
        assertEquals(2, db.count("SELECT count(*) FROM media_request"));
        assertEquals(13, db.count("SELECT count(*) FROM episode"));
        // whatever the order, the evidence adds up: the movie and every episode are in Jellyfin
        int tv = (int) db.count("SELECT id FROM media_request WHERE media_type = 'tv'");
        request(tv).body("state", equalTo("available")).body("episode_counts.available", equalTo(13));
        int movie = (int) db.count("SELECT id FROM media_request WHERE media_type = 'movie'");
        request(movie).body("state", equalTo("available"));
    }
}
