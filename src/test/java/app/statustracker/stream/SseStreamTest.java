package app.statustracker.stream;

import static app.statustracker.support.Hooks.fixture;
import static app.statustracker.support.Hooks.jellyseerr;
import static io.restassured.RestAssured.get;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.repository.StreamEventRepository;
import app.statustracker.service.EventPipeline;
import app.statustracker.support.Database;
import app.statustracker.support.SseTestClient;
import app.statustracker.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** GET /api/sse: live updates after commit, loss-free resume with Last-Event-ID, reset, heartbeats, slow clients. */
@QuarkusTest
class SseStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Database db;
    @Inject
    ObjectMapper json;
    @Inject
    SseHub hub;
    @Inject
    EventPipeline pipeline;
    @Inject
    StreamEventRepository streamEvents;
    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void clean() {
        db.clean();
    }

    private static String pending(int requestId, int tmdbId, String message) {
        return fixture("protocol/jellyseerr-media-pending.json", "\"214\"", "\"" + requestId + "\"", "\"209867\"",
                "\"" + tmdbId + "\"", "\"424536\"", "\"" + (tmdbId + 1_000_000) + "\"",
                "An elf mage who once helped defeat the Demon King outlives her companions and sets out to understand the people she travelled with.",
                message);
    }

    private JsonNode data(Frame f) throws Exception {
        return json.readTree(f.data());
    }

    @Test
    void anUpdateArrivesAfterCommitWithAPersistedId() throws Exception {
        try (SseTestClient sse = SseTestClient.connect(base, null)) {
            assertEquals(200, sse.status());
            assertTrue(sse.contentType().startsWith("text/event-stream"));
            Frame connected = sse.nextEvent(WAIT);
            assertEquals("connected", connected.event());
            assertNotNull(connected.id(), "connected carries the current position so a reconnect can resume");

            int id = jellyseerr(fixture("protocol/jellyseerr-media-pending.json")).statusCode(200)
                    .extract().path("request_id");
            Frame update = sse.nextEvent(WAIT);
            assertEquals("update", update.event());
            assertTrue(update.id() > connected.id());
            JsonNode data = data(update);
            assertEquals("new_request", data.get("event_type").asText());
            assertEquals(id, data.get("request_id").asInt());
            assertEquals("requested", data.get("request").get("state").asText());
            assertEquals("Frieren: Beyond Journey's End", data.get("request").get("title").asText());
            assertEquals(update.id(), Long.parseLong(db.string("SELECT max(id) FROM stream_event")));

            jellyseerr(fixture("protocol/jellyseerr-media-approved.json")).statusCode(200);
            Frame change = sse.nextEvent(WAIT);
            // Broadcast happens after commit: what the event says is already readable.
            get("/api/requests/" + id).then().body("state", equalTo(data(change).get("request").get("state").asText()));
            assertEquals("state_change", data(change).get("event_type").asText());
            assertEquals("approved", data(change).get("request").get("state").asText());
        }
    }

    @Test
    void aReconnectingClientGetsEveryMissedUpdateInOrderWithoutDuplicates() throws Exception {
        long resumeFrom;
        try (SseTestClient first = SseTestClient.connect(base, null)) {
            resumeFrom = first.nextEvent(WAIT).id();
        }
        List<Integer> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(jellyseerr(pending(500 + i, 9000 + i, "m")).statusCode(200).extract().path("request_id"));
        }
        try (SseTestClient again = SseTestClient.connect(base, resumeFrom)) {
            Frame connected = again.nextEvent(WAIT);
            assertEquals("connected", connected.event());
            List<Long> ids = new ArrayList<>();
            List<Integer> requests = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Frame f = again.nextEvent(WAIT);
                assertEquals("update", f.event());
                ids.add(f.id());
                requests.add(data(f).get("request_id").asInt());
            }
            assertEquals(created, requests, "missed updates come in their original order");
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(ids.get(i) > ids.get(i - 1));
            }
            // Then live, each update exactly once.
            int live = jellyseerr(pending(600, 9100, "m")).statusCode(200).extract().path("request_id");
            Frame next = again.nextEvent(WAIT);
            assertEquals(live, data(next).get("request_id").asInt());
            assertTrue(next.id() > ids.get(ids.size() - 1));
            Thread.sleep(300);
            assertTrue(again.drainEvents().isEmpty(), "no duplicates");
        }
    }

    @Test
    void aPageThatOpensANewStreamResumesFromTheQueryWhenItCannotSendTheHeader() throws Exception {
        long resumeFrom;
        try (SseTestClient first = SseTestClient.connect(base, null)) {
            resumeFrom = first.nextEvent(WAIT).id();
        }
        int missed = jellyseerr(pending(650, 9150, "m")).statusCode(200).extract().path("request_id");
        try (SseTestClient again = SseTestClient.connect(base, "/api/sse?last_event_id=" + resumeFrom, null)) {
            Frame connected = again.nextEvent(WAIT);
            assertEquals("connected", connected.event());
            assertEquals(resumeFrom, data(connected).get("resumed_after").asLong());
            Frame update = again.nextEvent(WAIT);
            assertEquals(missed, data(update).get("request_id").asInt());
        }
        // The header wins over the query: a browser reconnecting on its own sends its newer position there.
        long head = Long.parseLong(db.string("SELECT max(id) FROM stream_event"));
        try (SseTestClient both = SseTestClient.connect(base, "/api/sse?last_event_id=" + resumeFrom, head)) {
            assertEquals(head, data(both.nextEvent(WAIT)).get("resumed_after").asLong());
        }
    }

    @Test
    void disconnectingEveryClientClosesTheirStreams() {
        try (SseTestClient sse = SseTestClient.connect(base, null)) {
            assertEquals("connected", sse.nextEvent(WAIT).event());
            await().atMost(WAIT).until(() -> hub.clientCount() == 1);
            hub.disconnectAll();
            await().atMost(WAIT).until(sse::ended);
            assertEquals(0, hub.clientCount());
        }
    }

    @Test
    void aClientTooOldForTheKeptHistoryIsToldToReload() throws Exception {
        for (int i = 0; i < 4; i++) {
            jellyseerr(pending(700 + i, 9200 + i, "m")).statusCode(200);
        }
        long oldest = Long.parseLong(db.string("SELECT min(id) FROM stream_event"));
        // Retention keeps the newest two: the first two are gone.
        assertEquals(2L, pipeline.execute(() -> streamEvents.pruneKeepingNewest(2)).await().atMost(WAIT));
        try (SseTestClient sse = SseTestClient.connect(base, oldest)) {
            Frame reset = sse.nextEvent(WAIT);
            assertEquals("reset", reset.event());
            assertTrue(data(reset).get("reason").asText().contains("reload"));
            // It is live afterwards.
            jellyseerr(pending(800, 9300, "m")).statusCode(200);
            assertEquals("update", sse.nextEvent(WAIT).event());
        }
        try (SseTestClient future = SseTestClient.connect(base, 999_999_999L)) {
            assertEquals("reset", future.nextEvent(WAIT).event());
        }
    }

    @Test
    void idleConnectionsGetAHeartbeatComment() {
        try (SseTestClient sse = SseTestClient.connect(base, null)) {
            assertEquals("connected", sse.nextEvent(WAIT).event());
            Frame heartbeat = sse.nextFrame(Duration.ofSeconds(5)); // test profile: every second (default 15 s)
            assertEquals("heartbeat", heartbeat.comment());
        }
    }

    @Test
    void aClientThatStopsReadingIsReleasedAndDoesNotDelayTheOthers() throws Exception {
        try (SseTestClient healthy = SseTestClient.connect(base, null);
                Socket stalled = new Socket()) {
            assertEquals("connected", healthy.nextEvent(WAIT).event());
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/sse HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(WAIT).until(() -> hub.clientCount() == 2);

            String bulky = "x".repeat(16 * 1024);
            int updates = 400;
            for (int i = 0; i < updates; i++) {
                jellyseerr(pending(1000 + i, 20000 + i, bulky)).statusCode(200);
            }
            long last = 0;
            for (int i = 0; i < updates; i++) {
                Frame f = healthy.nextEvent(WAIT);
                assertEquals("update", f.event());
                assertTrue(f.id() > last);
                last = f.id();
            }
            await().atMost(WAIT).until(() -> hub.clientCount() == 1);
            // The stalled connection was closed by the server: reading it to the end terminates.
            stalled.setSoTimeout(10_000);
            InputStream in = stalled.getInputStream();
            byte[] chunk = new byte[64 * 1024];
            while (in.read(chunk) >= 0) {
                // drain what was buffered before the close
            }
        }
        await().atMost(WAIT).until(() -> hub.clientCount() == 0);
    }
}
