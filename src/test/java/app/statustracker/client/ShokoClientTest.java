package app.statustracker.client;

import static app.statustracker.client.FakeUpstream.MAPPER;
import static app.statustracker.client.FakeUpstream.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.vertx.mutiny.core.Vertx;

// Inside Quarkus: the REST client is generated at build time and only built in a running application.
@io.quarkus.test.junit.QuarkusTest
class ShokoClientTest {

    static final String KEY = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    /** A v3 File with include=XRefs as Shoko 5.x writes it (PascalCase; extra fields ignored). */
    static final String FILE = """
            {"ID":5121,"Size":1468006400,"IsVariation":false,"Hashes":{"ED2K":"0123","CRC32":"89AB"},
             "Locations":[{"ID":5188,"FileID":5121,"ImportFolderID":1,
               "RelativePath":"Frieren - Beyond Journey's End (2023)\\\\Season 01\\\\Frieren - S01E05.mkv",
               "IsAccessible":true}],
             "Duration":"00:24:02","ResumePosition":null,"Watched":null,"Created":"2024-05-01T10:00:00Z",
             "SeriesIDs":[{"SeriesID":{"ID":1187,"AniDB":17617,"TvDB":[424536]},
               "EpisodeIDs":[{"ID":30514,"AniDB":271834,"TvDB":[],"ReleaseGroup":null,
                 "Percentage":{"Start":0,"End":100,"Size":100,"Group":1},"Source":"AniDB"}]}]}""";

    /** A v3 Series (search results add Match/Distance/ExactMatch/Index to the same shape). */
    static final String SERIES = """
            {"IDs":{"ID":1187,"ParentGroup":1090,"TopLevelGroup":1090,"AniDB":17617,"TvDB":[424536],
              "IMDB":[],"TMDB":{"Movie":[],"Show":[209867]},"MAL":[52991]},
             "Name":"Frieren: Beyond Journey's End","Size":28,"Created":"2024-05-01T10:00:00Z"}""";

    /** One request as the server saw it: raw path, decoded query, lower-case header names, body. */
    record Call(String method, String rawPath, Map<String, String> query, Map<String, String> headers, String body) {
        String param(String name) {
            return query.get(name);
        }
    }

    record Reply(int status, String body) {
    }

    /** A JDK HTTP server that records method and body too (FakeUpstream records GETs only). */
    static final class FakeShoko implements AutoCloseable {
        final List<Call> calls = new CopyOnWriteArrayList<>();
        private final HttpServer server;
        private volatile Function<Call, Reply> handler = call -> new Reply(404, "{\"message\":\"Not Found\"}");

        FakeShoko() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                Map<String, String> query = new LinkedHashMap<>();
                String raw = exchange.getRequestURI().getRawQuery();
                if (raw != null) {
                    for (String pair : raw.split("&")) {
                        int eq = pair.indexOf('=');
                        query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                                eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
                Map<String, String> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                        values.get(0)));
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), query,
                        headers, body);
                calls.add(call);
                Reply reply;
                try {
                    reply = handler.apply(call);
                } catch (RuntimeException e) {
                    reply = new Reply(599, "{}");
                }
                byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    exchange.getResponseBody().write(bytes);
                }
                exchange.close();
            });
            server.start();
        }

        FakeShoko answer(Function<Call, Reply> handler) {
            this.handler = handler;
            return this;
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static Reply ok(String body) {
        return new Reply(200, body);
    }

    static Reply status(int status) {
        return new Reply(status, "{\"message\":\"HTTP " + status + "\"}");
    }

    Vertx vertx;
    FakeShoko fake;
    ShokoClient client;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        fake = new FakeShoko();
        client = new ShokoClient(fake.baseUrl(), KEY, vertx, MAPPER);
    }

    @AfterEach
    void stop() {
        fake.close();
        vertx.closeAndAwait();
    }

    @Test
    void importFolders() {
        fake.answer(call -> call.rawPath().equals("/api/v3/ImportFolder") ? ok("""
                [{"ID":1,"WatchForNewFiles":true,"DropFolderType":"Destination","Path":"/mnt/anime/","FileSize":0,
                  "Size":120,"Name":"Anime"},
                 {"id":2,"path":"D:\\\\Anime\\\\Movies","name":"Movies"},{"ID":0,"Path":"/x"},{"ID":3}]""")
                : status(404));

        Map<Integer, String> folders = client.importFolders().await().atMost(WAIT);

        assertEquals(Map.of(1, "/mnt/anime/", 2, "D:\\Anime\\Movies"), folders);
        assertEquals(1, fake.calls.size());
        assertEquals("GET", fake.calls.get(0).method());
        assertEquals(KEY, fake.calls.get(0).headers().get("apikey"));
    }

    @Test
    void managedFoldersWhenThereAreNoImportFolders() {
        fake.answer(call -> call.rawPath().equals("/api/v3/ManagedFolder") ? ok("[{\"ID\":4,\"Path\":\"/media\"}]")
                : status(404));

        assertEquals(Map.of(4, "/media"), client.importFolders().await().atMost(WAIT));
        assertEquals(List.of("/api/v3/ImportFolder", "/api/v3/ManagedFolder"),
                fake.calls.stream().map(Call::rawPath).toList());
    }

    @Test
    void aFileWithItsLocationsAndLinks() {
        fake.answer(call -> call.rawPath().equals("/api/v3/File/5121") ? ok(FILE) : status(404));

        ShokoFile file = client.file(5121).await().atMost(WAIT).orElseThrow();

        assertEquals(new ShokoFile(5121, List.of(new ShokoFile.Location(1,
                "Frieren - Beyond Journey's End (2023)/Season 01/Frieren - S01E05.mkv")),
                List.of(new ShokoFile.CrossReference(1187L, 17617L, List.of(30514L), List.of(271834L)))), file);
        assertTrue(file.matched());
        assertEquals("Frieren - S01E05.mkv", file.fileName());
        Call call = fake.calls.get(0);
        assertEquals("XRefs", call.param("include"));
        assertEquals("true", call.param("includeXRefs"));
        assertEquals(KEY, call.headers().get("apikey"));
    }

    @Test
    void aFileReadTolerantly() {
        // camelCase, Shoko 6's managed folder, an older build's flat ids, a file not linked yet.
        fake.answer(call -> ok("""
                {"id":"77","locations":[{"managedFolderId":2,"relativePath":"/a/b.mkv"},{}],
                 "seriesIDs":[{"seriesID":9,"episodeIDs":[5,"6",0]},{"SeriesID":{"ID":null,"AniDB":400}}]}"""));

        ShokoFile file = client.file(77).await().atMost(WAIT).orElseThrow();

        assertEquals(77, file.id());
        assertEquals(List.of(new ShokoFile.Location(2, "a/b.mkv")), file.locations());
        assertEquals(List.of(new ShokoFile.CrossReference(9L, null, List.of(5L, 6L), List.of()),
                new ShokoFile.CrossReference(null, 400L, List.of(), List.of())), file.crossReferences());
        assertEquals(List.of(9L), file.seriesIds());

        fake.answer(call -> ok("{\"ID\":78,\"Locations\":[],\"SeriesIDs\":null}"));
        ShokoFile unlinked = client.file(78).await().atMost(WAIT).orElseThrow();
        assertFalse(unlinked.matched());
        assertNull(unlinked.fileName());
    }

    @Test
    void anUnknownFileIsEmpty() {
        assertEquals(Optional.empty(), client.file(9999).await().atMost(WAIT));
        assertEquals(1, fake.calls.size(), "a 404 is an answer, not retried");
    }

    @Test
    void aFileByTheEndOfItsPath() {
        fake.answer(call -> call.rawPath().equals("/api/v3/File/PathEndsWith") ? ok("[" + FILE + "]") : status(404));

        ShokoFile file = client.fileByPathEnd("\\Season 01\\Frieren - S01E05.mkv").await().atMost(WAIT)
                .orElseThrow();

        assertEquals(5121, file.id());
        Call call = fake.calls.get(0);
        assertEquals("Season 01/Frieren - S01E05.mkv", call.param("path"));
        assertEquals("XRefs", call.param("include"));
        assertEquals("10", call.param("limit"));
        assertEquals(KEY, call.headers().get("apikey"));

        assertEquals(Optional.empty(), client.fileByPathEnd("Other - S01E05.mkv").await().atMost(WAIT),
                "an answer for another file is not taken");
        fake.answer(call2 -> ok("[]"));
        assertEquals(Optional.empty(), client.fileByPathEnd("Frieren - S01E05.mkv").await().atMost(WAIT));
        int calls = fake.calls.size();
        assertEquals(Optional.empty(), client.fileByPathEnd(" / ").await().atMost(WAIT));
        assertEquals(calls, fake.calls.size(), "no tail, no call");
    }

    @Test
    void anOlderServerIsAskedWithThePathInTheRoute() {
        fake.answer(call -> call.rawPath().equals("/api/v3/File/PathEndsWith") ? status(400)
                : call.rawPath().startsWith("/api/v3/File/PathEndsWith/") ? ok("[" + FILE + "]") : status(404));

        ShokoFile file = client.fileByPathEnd("Season 01/Frieren - S01E05.mkv").await().atMost(WAIT).orElseThrow();

        assertEquals(5121, file.id());
        assertEquals("/api/v3/File/PathEndsWith/Season%2001/Frieren%20-%20S01E05.mkv", fake.calls.get(1).rawPath());
        assertEquals(KEY, fake.calls.get(1).headers().get("apikey"));
    }

    @Test
    void searchSeries() {
        fake.answer(call -> call.rawPath().equals("/api/v3/Series/Search") ? ok("""
                [{"IDs":{"ID":1187,"ParentGroup":1090,"TopLevelGroup":1090,"AniDB":17617,"TvDB":[424536],
                   "IMDB":[],"TMDB":{"Movie":[],"Show":[209867]},"MAL":[52991]},
                  "Name":"Frieren: Beyond Journey's End","Size":28,"ExactMatch":false,"Index":0,
                  "Distance":0.12,"Match":"Sousou no Frieren"},
                 {"IDs":{"ID":12},"Name":"Frieren Specials"},{"IDs":{},"Name":"no id"}]""")
                : status(404));

        List<ShokoSeriesHit> hits = client.searchSeries(" Frieren ").await().atMost(WAIT);

        assertEquals(List.of(new ShokoSeriesHit(1187, "Frieren: Beyond Journey's End"),
                new ShokoSeriesHit(12, "Frieren Specials")), hits);
        Call call = fake.calls.get(0);
        assertEquals("Frieren", call.param("query"));
        assertEquals("true", call.param("fuzzy"));
        assertEquals("10", call.param("limit"));
        assertEquals(KEY, call.headers().get("apikey"));
        assertEquals(List.of(), client.searchSeries(" ").await().atMost(WAIT));
        assertEquals(1, fake.calls.size(), "no title, no call");
    }

    @Test
    void searchSeriesWithAccentsAndAmpersands() {
        fake.answer(call -> ok("[]"));

        client.searchSeries("Pokémon & Friends?").await().atMost(WAIT);

        assertEquals("Pokémon & Friends?", fake.calls.get(0).param("query"));
    }

    @Test
    void linkFromSeriesPostsTheRange() throws IOException {
        fake.answer(call -> call.method().equals("POST") && call.rawPath().equals("/api/v3/File/5122/LinkFromSeries")
                ? new Reply(200, "")
                : status(404));

        client.linkFromSeries(5122, 1201, "1", "1").await().atMost(WAIT);

        Call call = fake.calls.get(0);
        assertEquals("POST", call.method());
        assertEquals(KEY, call.headers().get("apikey"));
        assertTrue(call.headers().get("content-type").startsWith("application/json"), call.headers().toString());
        JsonNode body = MAPPER.readTree(call.body());
        assertEquals(MAPPER.readTree("{\"seriesID\":1201,\"rangeStart\":\"1\",\"rangeEnd\":\"1\"}"), body);
        assertTrue(body.get("rangeStart").isTextual(), "Shoko parses the range from text (\"S1\" is a special)");
    }

    @Test
    void aRefusedLinkIsNotRetried() {
        fake.answer(call -> status(400));

        UpstreamException refused = assertThrows(UpstreamException.class,
                () -> client.linkFromSeries(5122, 1201, "30", "30").await().atMost(WAIT));

        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().startsWith("shoko POST /api/v3/File/5122/LinkFromSeries"),
                refused.getMessage());
        assertEquals(1, fake.calls.size());

        fake.calls.clear();
        fake.answer(call -> status(500));
        UpstreamException failed = assertThrows(UpstreamException.class,
                () -> client.linkFromSeries(5122, 1201, "1", "1").await().atMost(WAIT));
        assertEquals(500, failed.status());
        assertEquals(1, fake.calls.size(), "a POST that reached Shoko is never sent twice");
    }

    @Test
    void aLinkThatCouldNotConnectIsTriedOnceMore() {
        ShokoClient closed = new ShokoClient(FakeUpstream.closedPortUrl(), KEY, vertx, MAPPER);

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> closed.linkFromSeries(1, 2, "1", "1").await().atMost(WAIT));

        assertNull(e.status());
        assertTrue(e.getMessage().contains("connection refused") && e.getMessage().contains("also on the retry"),
                e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
    }

    @Test
    void aSeriesWithItsIds() {
        fake.answer(call -> call.rawPath().equals("/api/v3/Series/1187") ? ok(SERIES) : status(404));

        ShokoSeries series = client.series(1187).await().atMost(WAIT).orElseThrow();

        assertEquals(new ShokoSeries(1187, "Frieren: Beyond Journey's End", 17617L, List.of(424536L), List.of(),
                List.of(209867L)), series);
        assertEquals(KEY, fake.calls.get(0).headers().get("apikey"));
        assertEquals(Optional.empty(), client.series(1).await().atMost(WAIT));
    }

    @Test
    void anAnimeMovieSeriesAndAnOlderIdsShape() {
        fake.answer(call -> call.rawPath().endsWith("/17") ? ok("""
                {"IDs":{"ID":17,"AniDB":18889,"TvDB":[],"TMDB":{"Movie":[1086591],"Show":[]}},"Name":"Reze"}""")
                : ok("{\"IDs\":{\"ID\":18,\"AniDB\":1,\"TMDB\":[550]},\"Name\":\"Old\"}"));

        assertEquals(List.of(1086591L), client.series(17).await().atMost(WAIT).orElseThrow().tmdbMovieIds());
        ShokoSeries old = client.series(18).await().atMost(WAIT).orElseThrow();
        assertEquals(List.of(550L), old.tmdbMovieIds());
        assertEquals(List.of(), old.tvdbIds());
    }

    @Test
    void aRefusedKeyIsNamedButNeverQuoted() {
        fake.answer(call -> status(401));

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client.searchSeries("Frieren").await().atMost(WAIT));

        assertEquals(401, e.status());
        assertEquals("shoko", e.upstream());
        assertTrue(e.getMessage().contains("SHOKO_API_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertFalse(e.getMessage().contains("Frieren"), "no query in messages: " + e.getMessage());
        assertEquals(1, fake.calls.size());
        assertThrows(UpstreamException.class, () -> client.file(1).await().atMost(WAIT), "401 is not a 404");
    }

    @Test
    void anAnswerOfTheWrongShapeIsAClearError() {
        fake.answer(call -> ok("{\"message\":\"oops\"}"));

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client.searchSeries("Frieren").await().atMost(WAIT));

        assertTrue(e.getMessage().contains("expected a JSON array"), e.getMessage());
    }

    @Test
    void notConfigured() {
        ShokoClient none = new ShokoClient(null, null, vertx, MAPPER);

        assertFalse(none.configured());
        UpstreamException e = assertThrows(UpstreamException.class, () -> none.series(1).await().atMost(WAIT));
        assertTrue(e.getMessage().contains("SHOKO_API_KEY"), e.getMessage());
    }

    @Test
    void removeMissingFilesIsShokosActionAskedOnce() {
        fake.answer(call -> call.method().equals("GET") && call.rawPath().equals("/api/v3/Action/RemoveMissingFiles/true")
                ? new Reply(200, "")
                : status(404));

        client.removeMissingFiles().await().atMost(WAIT);

        assertEquals(1, fake.calls.size());
        assertEquals(KEY, fake.calls.get(0).headers().get("apikey"));

        fake.calls.clear();
        fake.answer(call -> status(500));
        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client.removeMissingFiles().await().atMost(WAIT));
        assertTrue(e.getMessage().startsWith("shoko GET /api/v3/Action/RemoveMissingFiles/true"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
        assertEquals(1, fake.calls.size(), "an action that reached Shoko is never sent twice");
    }
}
