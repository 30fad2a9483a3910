package app.statustracker.client;

import static app.statustracker.client.FakeUpstream.MAPPER;
import static app.statustracker.client.FakeUpstream.WAIT;
import static app.statustracker.client.FakeUpstream.ok;
import static app.statustracker.client.FakeUpstream.resource;
import static app.statustracker.client.FakeUpstream.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.mutiny.core.Vertx;

// Inside Quarkus: the REST client is generated at build time and only built in a running application.
@io.quarkus.test.junit.QuarkusTest
class JellyseerrClientTest {

    static final String KEY = "MTcxNjQ4NTY3ODkwMWFiY2RlZi0xMjM0NTY3ODkw";

    Vertx vertx;
    FakeUpstream fake;
    JellyseerrClient client;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        fake = new FakeUpstream(vertx);
        client = new JellyseerrClient(fake.baseUrl(), KEY, vertx, MAPPER);
    }

    @AfterEach
    void stop() {
        fake.close();
        vertx.closeAndAwait();
    }

    @Test
    void seasonEpisodeCountsInSeasonOrder() {
        fake.answer(call -> call.path().equals("/api/v1/tv/154494") ? ok(resource("jellyseerr-tv.json")) : status(404));

        Map<Integer, Integer> counts = client.seasonEpisodeCounts(154494).await().atMost(WAIT);

        assertEquals(Map.of(0, 3, 1, 13, 2, 0), counts);
        assertEquals(List.of(0, 1, 2), List.copyOf(counts.keySet()));
        assertEquals(KEY, fake.calls.get(0).headers().get("x-api-key"));
    }

    @Test
    void seasonsOutOfOrderOrWithoutNumbersAreTolerated() {
        fake.answer(call -> ok("{\"id\":1,\"seasons\":[{\"seasonNumber\":2,\"episodeCount\":8},"
                + "{\"name\":\"no number\",\"episodeCount\":4},{\"seasonNumber\":1}]}"));

        Map<Integer, Integer> counts = client.seasonEpisodeCounts(1).await().atMost(WAIT);

        assertEquals(List.of(1, 2), List.copyOf(counts.keySet()));
        assertEquals(0, counts.get(1));
        assertEquals(8, counts.get(2));
    }

    @Test
    void unknownShowIsANotFoundFailureAndNotRetried() {
        fake.answer(call -> status(404));

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client.seasonEpisodeCounts(999).await().atMost(WAIT));

        assertTrue(e.notFound());
        assertEquals("/api/v1/tv/999", e.path());
        assertTrue(e.getMessage().startsWith("jellyseerr GET /api/v1/tv/999"), e.getMessage());
        assertEquals(1, fake.calls.size());
    }

    @Test
    void serverErrorIsRetriedOnceAndKeyNeverQuoted() {
        fake.answer(call -> status(502));

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client.seasonEpisodeCounts(154494).await().atMost(WAIT));

        assertEquals(2, fake.calls.size());
        assertEquals(502, e.status());
        assertFalse(e.getMessage().contains(KEY));
    }

    @Test
    void connectionRefusedFailsWithUpstreamException() {
        JellyseerrClient down = new JellyseerrClient(FakeUpstream.closedPortUrl(), KEY, vertx, MAPPER);

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> down.seasonEpisodeCounts(154494).await().atMost(WAIT));

        assertTrue(e.getMessage().startsWith("jellyseerr GET /api/v1/tv/154494"), e.getMessage());
    }

    @Test
    void notConfiguredFails() {
        JellyseerrClient unconfigured = new JellyseerrClient(null, KEY, vertx, MAPPER);

        assertFalse(unconfigured.configured());
        UpstreamException e = assertThrows(UpstreamException.class,
                () -> unconfigured.seasonEpisodeCounts(154494).await().atMost(WAIT));
        assertTrue(e.getMessage().contains("jellyseerr is not configured"), e.getMessage());
        assertEquals(0, fake.calls.size());
    }

    // --- deletion: the request, then the media entry found by TMDB id ---

    @Test
    void deletesTheRequestAndTheMediaEntryTakingA404AsAlreadyGone() {
        try (ShokoClientTest.FakeShoko seerr = new ShokoClientTest.FakeShoko()) {
            seerr.answer(call -> switch (call.method() + " " + call.rawPath()) {
                case "DELETE /api/v1/request/301", "DELETE /api/v1/media/77" -> new ShokoClientTest.Reply(204, "");
                case "GET /api/v1/movie/4977" -> new ShokoClientTest.Reply(200,
                        "{\"id\":4977,\"title\":\"Paprika\",\"mediaInfo\":{\"id\":77,\"tmdbId\":4977,\"status\":5}}");
                case "GET /api/v1/tv/209867" -> new ShokoClientTest.Reply(200, "{\"id\":209867,\"name\":\"Frieren\"}");
                default -> new ShokoClientTest.Reply(404, "{\"message\":\"Request not found.\"}");
            });
            JellyseerrClient jellyseerr = new JellyseerrClient(seerr.baseUrl(), KEY, vertx, MAPPER);

            assertTrue(jellyseerr.deleteRequest(301).await().atMost(WAIT));
            assertFalse(jellyseerr.deleteRequest(302).await().atMost(WAIT));
            assertEquals(java.util.Optional.of(77L), jellyseerr.mediaIdFor(app.statustracker.MediaType.MOVIE, 4977)
                    .await().atMost(WAIT));
            assertEquals(java.util.Optional.empty(), jellyseerr.mediaIdFor(app.statustracker.MediaType.TV, 209867)
                    .await().atMost(WAIT), "never requested: no media entry");
            assertEquals(java.util.Optional.empty(), jellyseerr.mediaIdFor(app.statustracker.MediaType.MOVIE, 1)
                    .await().atMost(WAIT), "TMDB does not know it: 404");
            assertTrue(jellyseerr.deleteMedia(77).await().atMost(WAIT));

            assertEquals(List.of("DELETE /api/v1/request/301", "DELETE /api/v1/request/302", "GET /api/v1/movie/4977",
                    "GET /api/v1/tv/209867", "GET /api/v1/movie/1", "DELETE /api/v1/media/77"),
                    seerr.calls.stream().map(c -> c.method() + " " + c.rawPath()).toList());
            assertTrue(seerr.calls.stream().allMatch(c -> KEY.equals(c.headers().get("x-api-key"))));
        }
    }

    @Test
    void aFailedDeleteIsSentOnceAndNamesTheMethod() {
        try (ShokoClientTest.FakeShoko seerr = new ShokoClientTest.FakeShoko()) {
            seerr.answer(call -> new ShokoClientTest.Reply(503, "{}"));
            JellyseerrClient jellyseerr = new JellyseerrClient(seerr.baseUrl(), KEY, vertx, MAPPER);

            UpstreamException e = assertThrows(UpstreamException.class,
                    () -> jellyseerr.deleteMedia(77).await().atMost(WAIT));

            assertTrue(e.getMessage().startsWith("jellyseerr DELETE /api/v1/media/77"), e.getMessage());
            assertFalse(e.getMessage().contains(KEY));
            assertEquals(1, seerr.calls.size());
        }
    }
}
