package app.statustracker.client;

import static app.statustracker.client.FakeUpstream.MAPPER;
import static app.statustracker.client.FakeUpstream.WAIT;
import static app.statustracker.client.FakeUpstream.json;
import static app.statustracker.client.FakeUpstream.ok;
import static app.statustracker.client.FakeUpstream.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.mutiny.core.Vertx;

// Inside Quarkus: the REST client is generated at build time and only built in a running application.
@io.quarkus.test.junit.QuarkusTest
class JellyfinClientTest {

    static final String KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    static final String TARGET_ID = "8b5e2f1c3d4a4b6e9f0a1c2d3e4f5a6b";
    static final String SERIES_ID = "c6b9a1e0d2f34a7b8e5c4d3f2a1b0c9d";

    Vertx vertx;
    FakeUpstream fake;
    JellyfinClient client;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        fake = new FakeUpstream(vertx);
        client = new JellyfinClient(fake.baseUrl(), KEY, vertx, MAPPER);
    }

    @AfterEach
    void stop() {
        fake.close();
        vertx.closeAndAwait();
    }

    @Test
    void movieFoundByTitleSearchWithMatchingProviderIdsAndAuthHeaderSent() {
        JsonNode sequel = movie("a0a0a0a0b1b1c2c2d3d3e4e4e4e4e4e4", "Blade Runner 2049", 2017, "335984", "tt1856101",
                true);
        fake.answer(call -> ok(envelope(List.of(sequel, json("jellyfin-movie.json")), 0, 2)));

        Optional<JellyfinItem> found = client.findPlayableMovie(78L, "tt0083658", "Blade Runner", 1982).await()
                .atMost(WAIT);

        JellyfinItem movie = found.orElseThrow();
        assertEquals(TARGET_ID, movie.id());
        assertEquals("Blade Runner", movie.name());
        assertEquals("Movie", movie.type());
        assertEquals(1982, movie.year());
        assertEquals(Map.of("tmdb", "78", "imdb", "tt0083658", "tmdbcollection", "422837"), movie.providerIds());
        assertEquals("78", movie.providerId("Tmdb"));
        assertEquals("/data/media/movies/Blade Runner (1982)/Blade Runner (1982).mkv", movie.path());
        assertTrue(movie.playable());
        assertNull(movie.seriesId());
        assertNull(movie.episodeNumber());

        assertEquals(1, fake.calls.size(), "found by the search: no paging");
        FakeUpstream.Call call = fake.calls.get(0);
        assertEquals("/Items", call.path());
        assertEquals("MediaBrowser Token=\"" + KEY + "\"", call.headers().get("authorization"));
        assertEquals("Blade Runner", call.param("searchTerm"));
        assertEquals("Movie", call.param("includeItemTypes"));
        assertEquals("true", call.param("recursive"));
        assertEquals("ProviderIds,Path,MediaSources", call.param("fields"));
        assertTrue(call.params().keySet().stream().noneMatch(k -> k.toLowerCase().contains("key")),
                "the key is never sent in the query");
    }

    @Test
    void originalMockShapeWithDashedIdIsNormalised() {
        fake.answer(call -> ok(json("jellyfin-items-query-mock.json")));

        JellyfinItem found = client.findPlayableMovie(533514L, null, "Test Item", null).await().atMost(WAIT)
                .orElseThrow();

        assertEquals("testid", found.id());
        assertEquals(Map.of("tmdb", "533514"), found.providerIds());
        assertTrue(found.playable(), "MediaSources without a top-level Path is playable");
        assertNull(found.path());
        assertNull(found.year());
    }

    @Test
    void movieFoundOnlyThroughPagingWhenTheTitleSearchMisses() {
        List<JsonNode> library = library(650, 600);
        String title = "Tom & Jerry: 100% Café?";
        fake.answer(call -> call.param("searchTerm") != null ? ok(envelope(List.of(), 0, 0)) : page(library, call));

        JellyfinItem found = client.findPlayableMovie(78L, null, title, 1982).await().atMost(WAIT).orElseThrow();

        assertEquals(TARGET_ID, found.id());
        assertEquals(title, fake.calls.get(0).param("searchTerm"), "the search term is URL-encoded");
        List<FakeUpstream.Call> pages = fake.calls.subList(1, fake.calls.size());
        assertEquals(List.of("0", "500"), pages.stream().map(c -> c.param("startIndex")).toList());
        for (FakeUpstream.Call page : pages) {
            assertNull(page.param("searchTerm"));
            assertEquals("500", page.param("limit"));
            assertEquals("true", page.param("hasTmdbId"));
            assertEquals("Movie", page.param("includeItemTypes"));
            assertEquals("ProviderIds,Path,MediaSources", page.param("fields"));
        }
    }

    @Test
    void movieKnownOnlyByImdbIdPagesMoviesThatHaveOne() {
        List<JsonNode> library = library(3, 1);
        fake.answer(call -> page(library, call));

        JellyfinItem found = client.findPlayableMovie(null, "TT0083658", null, null).await().atMost(WAIT)
                .orElseThrow();

        assertEquals(TARGET_ID, found.id());
        assertEquals(1, fake.calls.size(), "no title: no search");
        assertEquals("true", fake.calls.get(0).param("hasImdbId"));
        assertNull(fake.calls.get(0).param("hasTmdbId"));
    }

    @Test
    void titleHitWithADifferentTmdbIdIsNotAMatch() {
        // Same title, same year, even the same IMDb id: Jellyfin says TMDB 78, the request is for another TMDB id.
        List<JsonNode> library = library(650, 10);
        fake.answer(call -> call.param("searchTerm") != null
                ? ok(envelope(List.of(json("jellyfin-movie.json")), 0, 1))
                : page(library, call));

        Optional<JellyfinItem> found = client.findPlayableMovie(99999L, "tt0083658", "Blade Runner", 1982).await()
                .atMost(WAIT);

        assertTrue(found.isEmpty());
        assertEquals(List.of("0", "500"), fake.calls.subList(1, fake.calls.size()).stream()
                .map(c -> c.param("startIndex")).toList(), "paging stops at TotalRecordCount");
    }

    @Test
    void movieWithoutMediaSourcesOrPathIsNotPlayable() {
        ObjectNode unplayable = (ObjectNode) json("jellyfin-movie.json");
        unplayable.remove("MediaSources");
        unplayable.remove("Path");
        List<JsonNode> items = List.of(json("jellyfin-item-not-playable-test.json"), unplayable);
        fake.answer(call -> page(items, call));

        Optional<JellyfinItem> found = client.findPlayableMovie(78L, "tt0083658", "Blade Runner", 1982).await()
                .atMost(WAIT);

        assertTrue(found.isEmpty());
        assertFalse(JellyfinClient.toItem(unplayable).playable());
        ObjectNode emptySources = (ObjectNode) json("jellyfin-movie.json");
        emptySources.putArray("MediaSources");
        emptySources.put("Path", " ");
        assertFalse(JellyfinClient.toItem(emptySources).playable(), "empty MediaSources and a blank Path");
        assertEquals(2, fake.calls.size(), "search, then one page");
    }

    @Test
    void noProviderIdMeansNothingToMatchAndNoCall() {
        assertTrue(client.findPlayableMovie(null, " ", "Blade Runner", 1982).await().atMost(WAIT).isEmpty());
        assertTrue(client.findSeries(null, null, "Lycoris Recoil").await().atMost(WAIT).isEmpty());
        assertEquals(0, fake.calls.size());
    }

    @Test
    void seriesFoundByTitleSearchThenItsEpisodes() {
        fake.answer(call -> switch (call.path()) {
            case "/Items" -> ok(envelope(List.of(json("jellyfin-item-series-path-only-test.json"),
                    json("jellyfin-series.json")), 0, 2));
            case "/Shows/" + SERIES_ID + "/Episodes" -> ok(json("jellyfin-episodes.json"));
            default -> status(404);
        });

        JellyfinItem series = client.findSeries(414057L, null, "Lycoris Recoil").await().atMost(WAIT).orElseThrow();

        assertEquals(SERIES_ID, series.id());
        assertEquals("Series", series.type());
        assertEquals("414057", series.providerId("tvdb"));
        assertEquals("/data/anime/shows/Lycoris Recoil", series.path());
        assertFalse(series.playable(), "series are never playable, even with a Path");
        FakeUpstream.Call search = fake.calls.get(0);
        assertEquals("Series", search.param("includeItemTypes"));
        assertEquals("Lycoris Recoil", search.param("searchTerm"));

        List<JellyfinItem> episodes = client.episodes("C6B9A1E0-D2F3-4A7B-8E5C-4D3F2A1B0C9D").await().atMost(WAIT);

        FakeUpstream.Call call = fake.calls.get(1);
        assertEquals("/Shows/" + SERIES_ID + "/Episodes", call.path(), "the dashed id is normalised");
        assertEquals("ProviderIds,Path,MediaSources", call.param("fields"));
        assertEquals("MediaBrowser Token=\"" + KEY + "\"", call.headers().get("authorization"));
        assertEquals(4, episodes.size());

        JellyfinItem first = episodes.get(0);
        assertEquals(1, first.seasonNumber());
        assertEquals(1, first.episodeNumber());
        assertNull(first.episodeNumberEnd());
        assertTrue(first.playable());
        assertEquals(SERIES_ID, first.seriesId());
        assertEquals("9196221", first.providerId("Tvdb"));

        JellyfinItem multi = episodes.get(1);
        assertEquals(1, multi.seasonNumber());
        assertEquals(2, multi.episodeNumber());
        assertEquals(3, multi.episodeNumberEnd());
        assertTrue(multi.playable());

        JellyfinItem missing = episodes.get(2);
        assertEquals(4, missing.episodeNumber());
        assertFalse(missing.playable(), "a Virtual episode is not playable");
        assertNull(missing.path());

        JellyfinItem special = episodes.get(3);
        assertEquals(0, special.seasonNumber());
        assertTrue(special.playable(), "a Path alone is enough");
        assertEquals(Map.of(), special.providerIds());
    }

    @Test
    void seriesThroughPagingByEitherId() {
        List<JsonNode> series = List.of(json("jellyfin-item-series-path-only-test.json"), json("jellyfin-series.json"));
        fake.answer(call -> page(series, call));

        JellyfinItem byBoth = client.findSeries(414057L, 154494L, null).await().atMost(WAIT).orElseThrow();
        assertEquals(SERIES_ID, byBoth.id());
        FakeUpstream.Call all = fake.calls.get(0);
        assertEquals("Series", all.param("includeItemTypes"));
        assertNull(all.param("hasTvdbId"), "both ids known: a series with only one of them must still be found");
        assertNull(all.param("hasTmdbId"));

        JellyfinItem byTmdb = client.findSeries(null, 154494L, null).await().atMost(WAIT).orElseThrow();
        assertEquals(SERIES_ID, byTmdb.id());
        assertEquals("true", fake.calls.get(1).param("hasTmdbId"));

        assertTrue(client.findSeries(999L, 154494L, null).await().atMost(WAIT).isEmpty(),
                "a TVDB id that disagrees is another show");
    }

    @Test
    void itemByDashedId() {
        fake.answer(call -> SERIES_ID.equals(call.param("ids"))
                ? ok(envelope(List.of(json("jellyfin-series.json")), 0, 1))
                : ok(envelope(List.of(), 0, 0)));

        JellyfinItem item = client.item("C6B9A1E0-D2F3-4A7B-8E5C-4D3F2A1B0C9D").await().atMost(WAIT).orElseThrow();

        assertEquals(SERIES_ID, item.id());
        assertEquals("Lycoris Recoil", item.name());
        assertEquals(2022, item.year());
        assertEquals("154494", item.providerId("tmdb"));
        assertEquals("ProviderIds,Path,MediaSources", fake.calls.get(0).param("fields"));
        assertTrue(client.item("00000000-0000-0000-0000-000000000000").await().atMost(WAIT).isEmpty());
    }

    @Test
    void unauthorizedIsNotRetriedAndTheKeyStaysOutOfTheMessage() {
        fake.answer(call -> status(401));

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client.findPlayableMovie(78L, null, "Blade Runner", 1982).await().atMost(WAIT));

        assertEquals(1, fake.calls.size(), "a 401 is not retried");
        assertEquals(401, e.status());
        assertEquals("jellyfin", e.upstream());
        assertEquals("/Items", e.path());
        assertTrue(e.getMessage().contains("jellyfin") && e.getMessage().contains("/Items")
                && e.getMessage().contains("401"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertFalse(e.getMessage().contains("Blade"), "no query values: " + e.getMessage());
        assertFalse(String.valueOf(e).contains(KEY));
    }

    @Test
    void keyWithALineBreakIsRefusedWithoutQuotingIt() {
        JellyfinClient broken = new JellyfinClient(fake.baseUrl(), KEY + "\r\n", vertx, MAPPER);

        assertTrue(broken.configured());
        UpstreamException e = assertThrows(UpstreamException.class,
                () -> broken.item(SERIES_ID).await().atMost(WAIT));

        assertTrue(e.getMessage().contains("JELLYFIN_API_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
        assertEquals(0, fake.calls.size());
    }

    @Test
    void connectionRefusedFailsWithUpstreamException() {
        JellyfinClient down = new JellyfinClient(FakeUpstream.closedPortUrl(), KEY, vertx, MAPPER);

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> down.episodes(SERIES_ID).await().atMost(WAIT));

        assertNull(e.status());
        assertTrue(e.getMessage().startsWith("jellyfin GET /Shows/" + SERIES_ID + "/Episodes"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
    }

    @Test
    void notConfiguredFailsEveryCall() {
        for (JellyfinClient unconfigured : List.of(new JellyfinClient(null, null, vertx, MAPPER),
                new JellyfinClient(fake.baseUrl(), " ", vertx, MAPPER),
                new JellyfinClient("", KEY, vertx, MAPPER))) {
            assertFalse(unconfigured.configured());
            for (var call : List.<java.util.function.Supplier<io.smallrye.mutiny.Uni<?>>>of(
                    () -> unconfigured.findPlayableMovie(78L, null, "Blade Runner", 1982),
                    () -> unconfigured.findSeries(414057L, null, null),
                    () -> unconfigured.episodes(SERIES_ID),
                    () -> unconfigured.item(SERIES_ID))) {
                UpstreamException e = assertThrows(UpstreamException.class, () -> call.get().await().atMost(WAIT));
                assertTrue(e.getMessage().contains("jellyfin is not configured"), e.getMessage());
            }
        }
        assertTrue(client.configured());
        assertEquals(0, fake.calls.size());
    }

    // --- real-shaped responses ---

    static ObjectNode movie(String id, String name, int year, String tmdb, String imdb, boolean playable) {
        ObjectNode movie = (ObjectNode) json("jellyfin-movie.json");
        movie.put("Id", id).put("Name", name).put("ProductionYear", year);
        ObjectNode ids = movie.putObject("ProviderIds");
        ids.put("Tmdb", tmdb).put("Imdb", imdb);
        if (!playable) {
            movie.remove("MediaSources");
            movie.remove("Path");
        }
        return movie;
    }

    /** {@code size} movies; the one at {@code targetIndex} is Blade Runner (TMDB 78), the others other films. */
    @Test
    void theWholeLibraryIsReadPageByPageAndWhatChangedWithMinDateLastSaved() {
        List<JsonNode> library = library(1203, 600);
        ((ObjectNode) library.get(600)).put("OriginalTitle", "Bureido Rannā");
        fake.answer(call -> page(library, call));

        List<JellyfinItem> all = client.library(null).await().atMost(WAIT);

        assertEquals(1203, all.size());
        assertEquals("Bureido Rannā", all.get(600).originalTitle());
        assertEquals(List.of("0", "500", "1000"), fake.calls.stream().map(c -> c.param("startIndex")).toList());
        for (FakeUpstream.Call call : fake.calls) {
            assertEquals("/Items", call.path());
            assertEquals("true", call.param("recursive"));
            assertEquals("Movie,Series,Episode", call.param("includeItemTypes"));
            assertEquals("ProviderIds,Path,MediaSources,OriginalTitle", call.param("fields"));
            assertEquals("500", call.param("limit"));
            assertNull(call.param("minDateLastSaved"));
        }

        fake.calls.clear();
        client.library(java.time.Instant.parse("2026-01-05T11:30:12.345Z")).await().atMost(WAIT);
        assertEquals("2026-01-05T11:30:12Z", fake.calls.get(0).param("minDateLastSaved"));
    }

    @Test
    void itemsByIdAreAskedForAHundredAtATimeAndOnlyThoseAskedForAreKept() {
        List<JsonNode> library = library(250, 0);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i < 250; i++) {
            ids.add(String.format("%032x", i + 1).replaceFirst("^(.{8})", "$1-")); // dashed, as webhooks send them
        }
        // An old server that ignores "ids" answers with the whole library (up to the limit).
        fake.answer(call -> page(library, call));

        List<JellyfinItem> found = client.itemsByIds(ids).await().atMost(WAIT);

        assertEquals(3, fake.calls.size(), "249 ids: 100 + 100 + 49");
        assertEquals(100, fake.calls.get(0).param("ids").split(",").length);
        assertFalse(fake.calls.get(0).param("ids").contains("-"));
        assertTrue(found.stream().allMatch(i -> ids.contains(i.id().replaceFirst("^(.{8})", "$1-"))),
                "nothing that was not asked for");
    }

    static List<JsonNode> library(int size, int targetIndex) {
        List<JsonNode> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            items.add(i == targetIndex ? json("jellyfin-movie.json")
                    : movie(String.format("%032x", i + 1), "Film " + i, 1990 + i % 30, String.valueOf(100000 + i),
                            String.format("tt%07d", 5000000 + i), true));
        }
        return items;
    }

    static ObjectNode envelope(List<JsonNode> items, int start, int total) {
        ObjectNode envelope = MAPPER.createObjectNode();
        ArrayNode array = envelope.putArray("Items");
        items.forEach(array::add);
        envelope.put("TotalRecordCount", total);
        envelope.put("StartIndex", start);
        return envelope;
    }

    /** Serves {@code all} the way Jellyfin pages: startIndex/limit, TotalRecordCount = everything. */
    static FakeUpstream.Reply page(List<JsonNode> all, FakeUpstream.Call call) {
        int start = call.param("startIndex") == null ? 0 : Integer.parseInt(call.param("startIndex"));
        int limit = call.param("limit") == null ? all.size() : Integer.parseInt(call.param("limit"));
        List<JsonNode> slice = all.subList(Math.min(start, all.size()), Math.min(start + limit, all.size()));
        return ok(envelope(slice, start, all.size()));
    }
}
