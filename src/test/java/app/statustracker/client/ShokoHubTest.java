package app.statustracker.client;

import static io.restassured.RestAssured.get;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.FakeShokoHub;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Issue 6: the tracker listens to Shoko's SignalR hub from start-up, hands every message to the listeners as raw JSON
 * with its target, survives what a hub may send (broken records, unknown targets) and what a listener may throw, and
 * reconnects by itself when the hub goes away, saying so on /api/health.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FakeShokoHub.class)
class ShokoHubTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String RS = "\u001e";
    /** As Shoko 5 writes it (Newtonsoft, PascalCase, nulls kept, subclass fields first; protocols.md §5.3). */
    private static final String FILE_MATCHED = "{\"FileID\":42,\"FileLocationID\":7,\"ImportFolderID\":1,"
            + "\"RelativePath\":\"Anime\\\\Sousou no Frieren\\\\Frieren - 01.mkv\",\"CrossReferences\":[{\"EpisodeID\":null,"
            + "\"AnidbEpisodeID\":271069,\"SeriesID\":12,\"AnidbAnimeID\":17617,\"GroupID\":3}]}";
    private static final String MOVIES_UPDATED = "[{\"Source\":\"TMDB\",\"Reason\":\"Added\",\"MovieID\":1090,"
            + "\"ShokoEpisodeIDs\":[5],\"ShokoSeriesIDs\":[2]}]";

    /** What the hub handed to listeners, in order. */
    @Singleton
    public static class Recorder implements ShokoListener {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<Boolean> connects = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(String target, String argumentsJson) {
            messages.add(target + " " + argumentsJson);
        }

        @Override
        public void onConnected(boolean afterReconnect) {
            connects.add(afterReconnect);
        }
    }

    /** A listener that always fails: neither the other listeners nor the connection may notice. */
    @Singleton
    public static class Failing implements ShokoListener {
        @Override
        public void onMessage(String target, String argumentsJson) {
            throw new IllegalStateException("this listener fails on " + target);
        }

        @Override
        public void onConnected(boolean afterReconnect) {
            throw new IllegalStateException("this listener fails on connect");
        }
    }

    @Inject
    Recorder recorder;

    private FakeShokoHub hub;

    @BeforeEach
    void connected() {
        hub = FakeShokoHub.hub();
        hub.startListening(); // whatever an earlier test left
        await().atMost(WAIT).untilAsserted(() -> get("/api/health").then().body("shoko_signalr", equalTo("connected")));
        hub.awaitConnected();
        recorder.messages.clear();
    }

    @Test
    void connectsAtStartUpWithTheFeedsOnTheUrlAndTheKey() {
        assertTrue(hub.feeds().contains("shoko,file"), "feeds on the hub URL: " + hub.feeds());
        assertTrue(hub.apikeyHeaders().contains(FakeShokoHub.KEY), "the apikey header");
        assertTrue(hub.authorizations().contains("Bearer " + FakeShokoHub.KEY), "and the key as access token");
        await().atMost(WAIT).until(() -> !recorder.connects.isEmpty());
        assertEquals(false, recorder.connects.get(0), "the first connection is not a reconnect");

        get("/api/health").then().log().ifValidationFails().statusCode(200)
                .body("status", equalTo("healthy"))
                .body("shoko_signalr", equalTo("connected"))
                .body("shoko_hub.state", equalTo("connected"))
                .body("shoko_hub.since", notNullValue())
                .body("shoko_hub.last_error", nullValue())
                .body("shoko_hub.attempts", equalTo(0));
    }

    @Test
    void everyMessageReachesTheListenersAsRawJsonWithItsTarget() {
        hub.send("ShokoEvent:FileMatched", FILE_MATCHED);
        hub.send("ShokoEvent:MovieUpdated", MOVIES_UPDATED);
        hub.send("ShokoEvent:OnConnected", "null");
        hub.send("file:matched", "{\"FileID\":43}");

        await().atMost(WAIT).until(() -> recorder.messages.size() >= 4);
        assertEquals(List.of(
                "ShokoEvent:FileMatched " + FILE_MATCHED, // exact: PascalCase, integers stay integers, nulls stay
                "ShokoEvent:MovieUpdated " + MOVIES_UPDATED, // a list-wrapped argument as the list
                "ShokoEvent:OnConnected null",
                "file:matched {\"FileID\":43}"), recorder.messages);
    }

    @Test
    void brokenRecordsUnknownTargetsAndAFailingListenerDoNotDropTheConnection() {
        int handshakes = hub.handshakes();

        hub.sendRaw("{\"type\":1,\"target\":\"ShokoEvent:FileHashed\",\"arguments\":[{\"FileID\":" + RS); // cut off
        hub.sendRaw("this is not json" + RS + "{\"type\":1}" + RS + "{\"type\":99}" + RS + "[1,2]" + RS);
        hub.send("Queue:QueueStateChanged", "{\"Running\":true}"); // a feed the tracker did not ask for
        hub.sendRaw("{\"type\":1,\"target\":\"ShokoEvent:FileHashed\",\"argu"); // one record over two frames
        hub.sendRaw("ments\":[{\"FileID\":44}]}" + RS);
        hub.send("ShokoEvent:FileHashed", "{\"FileID\":45}");

        await().atMost(WAIT).until(() -> recorder.messages.size() >= 2);
        assertEquals(List.of("ShokoEvent:FileHashed {\"FileID\":44}", "ShokoEvent:FileHashed {\"FileID\":45}"),
                recorder.messages);
        assertEquals(handshakes, hub.handshakes(), "the same connection throughout, no reconnect");
        assertEquals(1, hub.connections());
        get("/api/health").then().body("shoko_signalr", equalTo("connected"));
    }

    @Test
    void theHubGoesAwayAndComesBackAndTheClientReconnectsByItself() {
        int connects = recorder.connects.size();

        // when Shoko restarts (nothing listens for a while)
        hub.stopListening();

        // then health says since when it is reconnecting, and why
        await().atMost(WAIT).untilAsserted(() -> get("/api/health").then()
                .body("status", equalTo("degraded"))
                .body("shoko_signalr", equalTo("reconnecting"))
                .body("shoko_hub.state", equalTo("reconnecting"))
                .body("shoko_hub.since", notNullValue())
                .body("shoko_hub.last_error", notNullValue())
                .body("shoko_hub.attempts", greaterThanOrEqualTo(1)));

        // and when it is back, the client connects again on its own and says it was a reconnect
        hub.startListening();
        await().atMost(WAIT).untilAsserted(() -> get("/api/health").then()
                .body("status", equalTo("healthy"))
                .body("shoko_signalr", equalTo("connected"))
                .body("shoko_hub.last_error", nullValue())
                .body("shoko_hub.attempts", equalTo(0)));
        await().atMost(WAIT).until(() -> recorder.connects.size() > connects);
        assertEquals(true, recorder.connects.get(recorder.connects.size() - 1));

        hub.awaitConnected();
        hub.send("ShokoEvent:FileDetected", "{\"RelativePath\":\"Anime/x.mkv\",\"ImportFolderID\":1}");
        await().atMost(WAIT).until(() -> recorder.messages.contains(
                "ShokoEvent:FileDetected {\"RelativePath\":\"Anime/x.mkv\",\"ImportFolderID\":1}"));
    }

    @Test
    void aCloseFromTheHubIsFollowedByAReconnect() {
        int handshakes = hub.handshakes();
        int connects = recorder.connects.size();

        hub.close(true);

        await().atMost(WAIT).until(() -> hub.handshakes() > handshakes && hub.connections() == 1);
        await().atMost(WAIT).until(() -> recorder.connects.size() > connects);
        assertEquals(true, recorder.connects.get(recorder.connects.size() - 1));
    }

    @Test
    void theKeyNeverReachesTheLogOrTheHealthPage() {
        hub.close(false); // a lost connection and a reconnect: the lines most likely to quote a request
        await().atMost(WAIT).until(() -> hub.connections() == 1);
        String body = get("/api/health").then().body("shoko_hub.state", containsString("connect")).extract().asString();
        assertFalse(body.contains(FakeShokoHub.KEY));
        List<String> lines = List.copyOf(hub.logLines());
        assertTrue(lines.stream().anyMatch(l -> l.contains("Shoko hub: connected to 127.0.0.1:")), "it says so: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l != null && l.contains(FakeShokoHub.KEY)), "no key in " + lines);
    }
}
