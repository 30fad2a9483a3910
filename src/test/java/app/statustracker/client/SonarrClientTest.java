package app.statustracker.client;

import static app.statustracker.client.FakeUpstream.MAPPER;
import static app.statustracker.client.FakeUpstream.WAIT;
import static app.statustracker.client.FakeUpstream.ok;
import static app.statustracker.client.FakeUpstream.resource;
import static app.statustracker.client.FakeUpstream.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.mutiny.core.Vertx;

// Inside Quarkus: the REST client is generated at build time and only built in a running application.
@io.quarkus.test.junit.QuarkusTest
class SonarrClientTest {

    static final String KEY = "5a4b3c2d1e0f5a4b3c2d1e0f5a4b3c2d";

    Vertx vertx;
    FakeUpstream fake;
    SonarrClient client;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        fake = new FakeUpstream(vertx);
        client = new SonarrClient(fake.baseUrl(), KEY, vertx, MAPPER);
    }

    @AfterEach
    void stop() {
        fake.close();
        vertx.closeAndAwait();
    }

    @Test
    void episodesWithAirDateFallbackMonitoredAndHasFile() {
        fake.answer(call -> call.path().equals("/api/v3/episode") && "42".equals(call.param("seriesId"))
                ? ok(resource("sonarr-episodes.json"))
                : status(404));

        List<SonarrEpisode> episodes = client.episodes(42).await().atMost(WAIT);

        assertEquals(KEY, fake.calls.get(0).headers().get("x-api-key"));
        assertEquals(List.of(
                new SonarrEpisode(1001, 1, 1, "Easy does it", LocalDate.of(2022, 7, 3), true, true),
                new SonarrEpisode(1002, 1, 2, "The more the merrier", LocalDate.of(2022, 7, 9), true, false),
                new SonarrEpisode(1003, 2, 1, "TBA", null, false, false),
                new SonarrEpisode(1004, 0, 1, "Special", LocalDate.of(2023, 1, 1), false, false)), episodes);
    }

    @Test
    void seriesIdByTvdb() {
        fake.answer(call -> "414057".equals(call.param("tvdbId")) ? ok(resource("sonarr-series.json")) : ok("[]"));

        assertEquals(Optional.of(42L), client.seriesIdByTvdb(414057).await().atMost(WAIT));
        assertEquals(Optional.empty(), client.seriesIdByTvdb(123).await().atMost(WAIT));
        assertEquals("/api/v3/series", fake.calls.get(1).path());
        assertEquals(KEY, fake.calls.get(1).headers().get("x-api-key"));
    }

    @Test
    void seriesFromASonarrThatIgnoredTheFilterIsNotTakenForAnother() {
        fake.answer(call -> ok(resource("sonarr-series.json")));

        assertEquals(Optional.empty(), client.seriesIdByTvdb(123).await().atMost(WAIT));
    }

    @Test
    void a500FollowedBySuccessIsRetriedOnce() {
        AtomicInteger calls = new AtomicInteger();
        fake.answer(call -> calls.incrementAndGet() == 1 ? status(500) : ok(resource("sonarr-episodes.json")));

        List<SonarrEpisode> episodes = client.episodes(42).await().atMost(WAIT);

        assertEquals(4, episodes.size());
        assertEquals(2, fake.calls.size());
    }

    @Test
    void a503TwiceFails() {
        fake.answer(call -> status(503));

        UpstreamException e = assertThrows(UpstreamException.class, () -> client.episodes(42).await().atMost(WAIT));

        assertEquals(2, fake.calls.size(), "one retry, no more");
        assertEquals(503, e.status());
        assertEquals("sonarr", e.upstream());
        assertEquals("/api/v3/episode", e.path());
        assertTrue(e.getMessage().startsWith("sonarr GET /api/v3/episode"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 503") && e.getMessage().contains("retry"), e.getMessage());
        assertFalse(e.getMessage().contains("seriesId"), "no query in the message: " + e.getMessage());
    }

    @Test
    void clientErrorsAreNotRetriedAndNeverQuoteTheKey() {
        fake.answer(call -> status(401));

        UpstreamException unauthorized = assertThrows(UpstreamException.class,
                () -> client.seriesIdByTvdb(414057).await().atMost(WAIT));

        assertEquals(1, fake.calls.size());
        assertEquals(401, unauthorized.status());
        assertTrue(unauthorized.getMessage().contains("SONARR_API_KEY"), unauthorized.getMessage());
        assertFalse(unauthorized.getMessage().contains(KEY), unauthorized.getMessage());

        fake.answer(call -> status(404));
        UpstreamException notFound = assertThrows(UpstreamException.class,
                () -> client.episodes(7).await().atMost(WAIT));
        assertTrue(notFound.notFound());
        assertEquals(2, fake.calls.size());
    }

    @Test
    void notJsonOrNotAnArrayFails() {
        fake.answer(call -> ok("<html>Sonarr is starting</html>"));
        UpstreamException notJson = assertThrows(UpstreamException.class,
                () -> client.episodes(42).await().atMost(WAIT));
        assertTrue(notJson.getMessage().contains("not JSON"), notJson.getMessage());

        fake.answer(call -> ok("{\"message\":\"NotFound\"}"));
        UpstreamException notArray = assertThrows(UpstreamException.class,
                () -> client.episodes(42).await().atMost(WAIT));
        assertTrue(notArray.getMessage().contains("expected a JSON array"), notArray.getMessage());
        assertEquals(2, fake.calls.size(), "neither is retried");
    }

    @Test
    void connectionRefusedFailsWithUpstreamException() {
        SonarrClient down = new SonarrClient(FakeUpstream.closedPortUrl(), KEY, vertx, MAPPER);

        UpstreamException e = assertThrows(UpstreamException.class, () -> down.episodes(42).await().atMost(WAIT));

        assertNull(e.status());
        assertTrue(e.getMessage().startsWith("sonarr GET /api/v3/episode"), e.getMessage());
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
    }

    @Test
    void urlBaseIsKept() {
        fake.answer(call -> call.path().equals("/sonarr/api/v3/series") ? ok("[]") : status(404));
        SonarrClient behindUrlBase = new SonarrClient(fake.baseUrl() + "/sonarr/", KEY, vertx, MAPPER);

        assertEquals(Optional.empty(), behindUrlBase.seriesIdByTvdb(1).await().atMost(WAIT));
    }

    @Test
    void notConfiguredFails() {
        SonarrClient unconfigured = new SonarrClient("http://sonarr:8989", null, vertx, MAPPER);

        assertFalse(unconfigured.configured());
        UpstreamException e = assertThrows(UpstreamException.class,
                () -> unconfigured.episodes(42).await().atMost(WAIT));
        assertTrue(e.getMessage().contains("sonarr is not configured"), e.getMessage());
        assertThrows(UpstreamException.class, () -> unconfigured.seriesIdByTvdb(1).await().atMost(WAIT));
        assertEquals(0, fake.calls.size());
    }

    // --- writes (deletion sync, search), against a fake that records the method and the body ---

    @Test
    void deleteSeriesSendsOneDeleteWithItsFlagsAndTakesA404AsAlreadyGone() throws Exception {
        try (ShokoClientTest.FakeShoko writes = new ShokoClientTest.FakeShoko()) {
            writes.answer(call -> call.rawPath().equals("/api/v3/series/42") ? new ShokoClientTest.Reply(200, "")
                    : new ShokoClientTest.Reply(404, "{\"message\":\"NotFound\"}"));
            SonarrClient sonarr = new SonarrClient(writes.baseUrl(), KEY, vertx, MAPPER);

            assertTrue(sonarr.deleteSeries(42, true).await().atMost(WAIT));
            assertFalse(sonarr.deleteSeries(43, false).await().atMost(WAIT), "404: Sonarr no longer has it");

            ShokoClientTest.Call first = writes.calls.get(0);
            assertEquals("DELETE", first.method());
            assertEquals("/api/v3/series/42", first.rawPath());
            assertEquals("true", first.param("deleteFiles"));
            assertEquals("false", first.param("addImportListExclusion"));
            assertEquals(KEY, first.headers().get("x-api-key"));
            assertEquals("false", writes.calls.get(1).param("deleteFiles"));
            assertEquals(2, writes.calls.size());
        }
    }

    @Test
    void aFailedDeleteIsSentOnceAndNamesTheMethodButNeverTheKey() {
        try (ShokoClientTest.FakeShoko writes = new ShokoClientTest.FakeShoko()) {
            writes.answer(call -> new ShokoClientTest.Reply(500, "{\"message\":\"boom\"}"));
            SonarrClient sonarr = new SonarrClient(writes.baseUrl(), KEY, vertx, MAPPER);

            UpstreamException e = assertThrows(UpstreamException.class,
                    () -> sonarr.deleteSeries(42, true).await().atMost(WAIT));

            assertEquals(500, e.status());
            assertTrue(e.getMessage().startsWith("sonarr DELETE /api/v3/series/42") && e.getMessage().contains("HTTP 500"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(KEY));
            assertEquals(1, writes.calls.size(), "a write that reached Sonarr is never sent twice");
        }
    }

    @Test
    void everySeriesAndASearchCommand() throws Exception {
        try (ShokoClientTest.FakeShoko fakeSonarr = new ShokoClientTest.FakeShoko()) {
            fakeSonarr.answer(call -> call.method().equals("GET") && call.rawPath().equals("/api/v3/series")
                    ? new ShokoClientTest.Reply(200, resource("sonarr-series.json"))
                    : call.method().equals("POST") && call.rawPath().equals("/api/v3/command")
                            ? new ShokoClientTest.Reply(201, "{\"id\":310,\"name\":\"SeriesSearch\",\"status\":\"queued\"}")
                            : new ShokoClientTest.Reply(404, "{}"));
            SonarrClient sonarr = new SonarrClient(fakeSonarr.baseUrl(), KEY, vertx, MAPPER);

            List<com.fasterxml.jackson.databind.JsonNode> all = sonarr.allSeries().await().atMost(WAIT);
            assertEquals(MAPPER.readTree(resource("sonarr-series.json")).size(), all.size());
            assertTrue(fakeSonarr.calls.get(0).query().isEmpty(), "every series: no filter");

            assertEquals(310, sonarr.searchSeries(42).await().atMost(WAIT).get("id").asInt());
            ShokoClientTest.Call search = fakeSonarr.calls.get(1);
            assertEquals("POST", search.method());
            assertEquals(MAPPER.readTree("{\"name\":\"SeriesSearch\",\"seriesId\":42}"), MAPPER.readTree(search.body()));
            assertTrue(search.headers().get("content-type").startsWith("application/json"));
            assertEquals(KEY, search.headers().get("x-api-key"));
        }
    }

    @Test
    void downloadClientsKeepOnlyTheSettingsTheDoctorReadsAndNoCredential() {
        String clients = "[{\"enable\": true, \"protocol\": \"torrent\", \"priority\": 1, \"name\": \"qBittorrent\","
                + " \"fields\": [{\"order\": 0, \"name\": \"host\", \"value\": \"qbittorrent\"},"
                + " {\"order\": 1, \"name\": \"port\", \"value\": 8080},"
                + " {\"order\": 4, \"name\": \"username\", \"value\": \"admin\", \"privacy\": \"userName\"},"
                + " {\"order\": 5, \"name\": \"password\", \"value\": \"********\", \"privacy\": \"password\"},"
                + " {\"order\": 6, \"name\": \"tvCategory\", \"value\": \"tv-sonarr\"}],"
                + " \"implementationName\": \"qBittorrent\", \"implementation\": \"QBittorrent\","
                + " \"configContract\": \"QBittorrentSettings\", \"tags\": [], \"id\": 1}]";
        fake.answer(call -> switch (call.path()) {
            case "/api/v3/downloadclient" -> ok(clients);
            case "/api/v3/health" -> ok("[{\"source\": \"ImportMechanismCheck\", \"type\": \"warning\","
                    + " \"message\": \"Enable Completed Download Handling if possible\", \"wikiUrl\":"
                    + " \"https://wiki.servarr.com/sonarr/system#completed-failed-download-handling\"}]");
            case "/api/v3/remotepathmapping" -> ok("[{\"host\": \"qbittorrent\", \"remotePath\": \"/downloads/\","
                    + " \"localPath\": \"/data/downloads/\", \"id\": 1}]");
            default -> status(404);
        });

        com.fasterxml.jackson.databind.JsonNode client0 = client.downloadClients().await().atMost(WAIT).get(0);
        assertEquals("qBittorrent", client0.get("name").asText());
        assertEquals("QBittorrent", client0.get("implementation").asText());
        assertEquals("[{\"name\":\"host\",\"value\":\"qbittorrent\"},{\"name\":\"port\",\"value\":8080},"
                + "{\"name\":\"tvCategory\",\"value\":\"tv-sonarr\"}]", client0.get("fields").toString());
        assertFalse(client0.toString().contains("admin"), "no username");
        assertEquals("ImportMechanismCheck", client.health().await().atMost(WAIT).get(0).get("source").asText());
        assertEquals("/data/downloads/", client.remotePathMappings().await().atMost(WAIT).get(0).get("localPath")
                .asText());
        assertEquals(KEY, fake.calls.get(0).headers().get("x-api-key"));
    }
}
