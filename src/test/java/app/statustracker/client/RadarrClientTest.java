package app.statustracker.client;

import static app.statustracker.client.FakeUpstream.MAPPER;
import static app.statustracker.client.FakeUpstream.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import app.statustracker.client.ShokoClientTest.Call;
import app.statustracker.client.ShokoClientTest.FakeShoko;
import app.statustracker.client.ShokoClientTest.Reply;
import io.vertx.mutiny.core.Vertx;

/**
 * Radarr's writes and its full movie list, against a fake Radarr that records the method and the body (the recording
 * server of {@link ShokoClientTest}).
 */
// Inside Quarkus: the REST client is generated at build time and only built in a running application.
@io.quarkus.test.junit.QuarkusTest
class RadarrClientTest {

    static final String KEY = "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f";

    Vertx vertx;
    FakeShoko fake;
    RadarrClient client;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        fake = new FakeShoko();
        client = new RadarrClient(fake.baseUrl(), KEY, vertx, MAPPER);
    }

    @AfterEach
    void stop() {
        fake.close();
        vertx.closeAndAwait();
    }

    @Test
    void deleteMovieSendsOneDeleteWithItsFlagsAndTakesA404AsAlreadyGone() {
        fake.answer(call -> call.rawPath().equals("/api/v3/movie/18") ? new Reply(200, "")
                : new Reply(404, "{\"message\":\"NotFound\"}"));

        assertTrue(client.deleteMovie(18, true).await().atMost(WAIT));
        assertFalse(client.deleteMovie(19, false).await().atMost(WAIT), "404: Radarr no longer has it");

        Call first = fake.calls.get(0);
        assertEquals("DELETE", first.method());
        assertEquals("/api/v3/movie/18", first.rawPath());
        assertEquals("true", first.param("deleteFiles"));
        assertEquals("false", first.param("addImportExclusion"));
        assertEquals(KEY, first.headers().get("x-api-key"));
        assertEquals("false", fake.calls.get(1).param("deleteFiles"));
    }

    @Test
    void aFailedDeleteIsSentOnceAndNamesTheMethodButNeverTheKey() {
        fake.answer(call -> new Reply(503, "{}"));

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client.deleteMovie(18, true).await().atMost(WAIT));

        assertEquals(503, e.status());
        assertTrue(e.getMessage().startsWith("radarr DELETE /api/v3/movie/18"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
        assertEquals(1, fake.calls.size(), "a write that reached Radarr is never sent twice");
    }

    @Test
    void everyMovie() {
        fake.answer(call -> call.method().equals("GET") && call.rawPath().equals("/api/v3/movie")
                ? new Reply(200, "[{\"id\":18,\"title\":\"Paprika\",\"tmdbId\":4977},"
                        + "{\"id\":17,\"title\":\"Perfect Blue\",\"tmdbId\":10494}]")
                : new Reply(404, "{}"));

        List<JsonNode> movies = client.allMovies().await().atMost(WAIT);

        assertEquals(List.of(18, 17), movies.stream().map(m -> m.get("id").asInt()).toList());
        assertTrue(fake.calls.get(0).query().isEmpty());
        assertEquals(KEY, fake.calls.get(0).headers().get("x-api-key"));
    }

    @Test
    void aSearchIsTheMoviesSearchCommand() throws Exception {
        fake.answer(call -> call.method().equals("POST") && call.rawPath().equals("/api/v3/command")
                ? new Reply(201, "{\"id\":55,\"name\":\"MoviesSearch\",\"status\":\"queued\"}")
                : new Reply(404, "{}"));

        JsonNode queued = client.searchMovie(18).await().atMost(WAIT);

        assertEquals(55, queued.get("id").asInt());
        Call search = fake.calls.get(0);
        assertEquals(MAPPER.readTree("{\"name\":\"MoviesSearch\",\"movieIds\":[18]}"), MAPPER.readTree(search.body()));
        assertTrue(search.headers().get("content-type").startsWith("application/json"));
        assertEquals(1, fake.calls.size());
    }
}
