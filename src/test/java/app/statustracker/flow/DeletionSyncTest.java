package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.deliverAndGetRequestId;
import static app.statustracker.flow.Scenario.request;
import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.support.Database;
import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.FakeShokoHub;
import app.statustracker.support.Paprika;
import app.statustracker.support.Payload;
import app.statustracker.support.PostgresTestResource;
import app.statustracker.support.QbittorrentNox;
import app.statustracker.support.SseTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

/**
 * Deletion sync (issue 7) with {@code ENABLE_DELETION_SYNC} on, against Sonarr, Radarr and Jellyseerr faked at the
 * HTTP level, Shoko's fake REST side and a real qbittorrent-nox: the order of the calls and their parameters, what
 * each step records, the request kept as removed, the live SSE updates, a failing service and its retry, a 404 as
 * "already gone", bulk deletes, deletions seen in Sonarr and Radarr, and no key anywhere.
 */
@QuarkusTest
@TestProfile(DeletionSyncTest.SyncOn.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
@WithTestResource(value = FakeShokoHub.class)
@WithTestResource(value = QbittorrentNox.class)
@TestSecurity(user = "admin-user", roles = { "user", "admin" },
        attributes = @SecurityAttribute(key = "jellyfin_user_id", value = DeletionSyncTest.ADMIN_ID))
class DeletionSyncTest {

    public static class SyncOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracker.deletion-sync.enabled", "true");
        }
    }

    static final String ADMIN_ID = "0f5e3c2a9b8d47e6a1c0d9e8f7a6b5c4";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every secret the application is configured with: none may ever show in a log, a step or an answer. */
    static final List<String> SECRETS = List.of(FakeMediaServer.SONARR_KEY, FakeMediaServer.RADARR_KEY,
            FakeMediaServer.JELLYSEERR_KEY, FakeMediaServer.JELLYFIN_KEY, FakeShokoHub.KEY, QbittorrentNox.PASSWORD);

    @Inject
    Database db;
    @TestHTTPResource("/")
    URL base;
    @TempDir
    Path dir;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
        FakeShokoHub.hub().resetLibrary();
    }

    // --- set-up: requests as the webhooks create them ---

    /** Paprika requested in Jellyseerr (request 301, TMDB 4977) and grabbed in Radarr (movie 18) with this torrent. */
    private static int paprika(String hash) {
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.grab().set("downloadId", hash.toUpperCase(Locale.ROOT)));
        return id;
    }

    /** Frieren (anime) requested in Jellyseerr (request 400) and its episode 5 grabbed in Sonarr (series 42). */
    private static int frieren(String hash) {
        int id = deliverAndGetRequestId("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json")
                .set("subject", "Frieren: Beyond Journey's End (2023)").set("media.media_type", "tv")
                .set("media.tmdbId", "209867").set("media.tvdbId", "424536").set("request.request_id", "400"));
        deliver("sonarr", Payload.of("protocol/sonarr-grab.json").set("downloadId", hash.toUpperCase(Locale.ROOT)));
        return id;
    }

    /** A torrent qBittorrent holds with its data on disk (complete at once); returns its hash. */
    private String torrent(String name) throws Exception {
        return QbittorrentNox.current().addTorrent(dir, name, 200_000, dir);
    }

    private static ValidatableResponse delete(int requestId, String body) {
        return given().contentType("application/json").body(body).post("/api/requests/" + requestId + "/delete")
                .then();
    }

    /** Waits until the deletion has finished; returns its detail view. */
    private static JsonPath finished(int logId) {
        await().atMost(WAIT).untilAsserted(() -> get("/api/deletion-logs/" + logId).then().statusCode(200)
                .body("status", not(equalTo("in_progress"))));
        String body = get("/api/deletion-logs/" + logId).then().statusCode(200).extract().asString();
        assertNoSecret(body);
        return JsonPath.from(body);
    }

    private static String step(JsonPath log, String service) {
        return log.getString("steps.find { it.service == '" + service + "' }.status");
    }

    private static String details(JsonPath log, String service) {
        return log.getString("steps.find { it.service == '" + service + "' }.details");
    }

    static void assertNoSecret(String text) {
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), "a secret leaked into: " + text);
        }
    }

    /** The SSE deletion updates of one deletion, in order, until its deletion_completed (or fails after the wait). */
    private static List<JsonNode> deletionUpdates(SseTestClient sse, long logId) throws Exception {
        List<JsonNode> updates = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            SseTestClient.Frame f = sse.nextEvent(WAIT);
            if (!"update".equals(f.event())) {
                continue;
            }
            assertNoSecret(f.data());
            JsonNode data = JSON.readTree(f.data());
            if (data.path("deletion_log_id").asLong() == logId) {
                assertNotNull(f.id(), "a deletion update carries its stream id, for Last-Event-ID");
                updates.add(data);
                if ("deletion_completed".equals(data.path("event_type").asText())) {
                    return updates;
                }
            }
        }
        throw new AssertionError("no deletion_completed for deletion " + logId);
    }

    // --- the tests ---

    @Test
    void aMovieIsDeletedEverywhereWithItsFilesInTheBackground() throws Exception {
        // given Paprika requested, grabbed, its torrent in qBittorrent with the data, and Jellyseerr's media entry
        String hash = torrent("Paprika.2006.1080p.BluRay.x264.mkv");
        int id = paprika(hash);
        FakeArr.jellyseerrMediaInfo("movie", 4977, 77);
        try (SseTestClient sse = SseTestClient.connect(base, null)) {
            assertEquals("connected", sse.nextEvent(WAIT).event());

            // when an admin deletes it with its files
            String answer = delete(id, "{\"delete_files\":true}").statusCode(202)
                    // answered at once: nothing was asked yet, the upstreams come in the background
                    .body("status", equalTo("in_progress")).body("source", equalTo("dashboard"))
                    .body("request_id", equalTo(id)).body("title", equalTo("Paprika"))
                    .body("media_type", equalTo("movie")).body("delete_files", equalTo(true))
                    .body("deleted_by_username", equalTo("admin-user")).body("deleted_by_user_id", equalTo(ADMIN_ID))
                    .body("radarr_id", equalTo(18)).body("tmdb_id", equalTo(4977)).body("jellyseerr_id", equalTo(301))
                    .body("download_hashes", equalTo(List.of(hash)))
                    .body("steps.service", equalTo(List.of("sonarr", "radarr", "qbittorrent", "shoko", "jellyfin",
                            "jellyseerr")))
                    .body("steps.status", equalTo(List.of("not_applicable", "pending", "pending", "not_applicable",
                            "pending", "pending")))
                    .body("completed_at", nullValue())
                    .extract().asString();
            assertNoSecret(answer);
            int logId = JsonPath.from(answer).getInt("id");

            // then every service is asked, in order, and the deletion completes
            JsonPath log = finished(logId);
            assertEquals("complete", log.getString("status"));
            assertNotNull(log.getString("completed_at"));
            assertEquals("not_applicable", step(log, "sonarr"));
            assertEquals("Movies are not in Sonarr", details(log, "sonarr"));
            assertEquals("done", step(log, "radarr"));
            assertEquals("done", step(log, "qbittorrent"));
            assertEquals("not_applicable", step(log, "shoko"));
            assertEquals("done", step(log, "jellyfin"));
            assertEquals("done", step(log, "jellyseerr"));
            assertEquals("Request 301 deleted; media 77 deleted", details(log, "jellyseerr"));
            // each asked service went pending -> running -> done, in service order
            assertEquals(List.of("pending", "running", "done"),
                    log.getList("events.findAll { it.service == 'radarr' }.status"));
            List<String> running = log.getList("events.findAll { it.status == 'running' }.service");
            assertEquals(List.of("radarr", "qbittorrent", "jellyfin", "jellyseerr"), running);

            // Radarr: the movie with its files, no import exclusion (it may be requested again)
            List<FakeArr.Write> radarr = FakeArr.writesTo("radarr");
            assertEquals(1, radarr.size(), radarr.toString());
            assertEquals("DELETE", radarr.get(0).method());
            assertEquals("/api/v3/movie/18", radarr.get(0).path());
            assertEquals(Map.of("deleteFiles", "true", "addImportExclusion", "false"), radarr.get(0).query());
            assertEquals(FakeMediaServer.RADARR_KEY, radarr.get(0).apiKey());
            assertTrue(FakeArr.writesTo("sonarr").isEmpty());
            // qBittorrent: the torrent and its data are gone
            await().atMost(WAIT).until(() -> QbittorrentNox.current().state(hash) == null);
            await().atMost(WAIT).until(() -> !Files.exists(dir.resolve("Paprika.2006.1080p.BluRay.x264.mkv")));
            // Shoko: not anime, not asked; Jellyfin: a library scan
            assertTrue(FakeShokoHub.hub().actions().isEmpty());
            assertTrue(FakeMediaServer.REQUESTS.contains("POST /Library/Refresh"));
            // Jellyseerr: the request, then the media entry found by TMDB id
            List<String> seerr = FakeArr.writesTo("jellyseerr").stream().map(w -> w.method() + " " + w.path()).toList();
            assertEquals(List.of("DELETE /api/v1/request/301", "DELETE /api/v1/media/77"), seerr);
            assertTrue(FakeMediaServer.REQUESTS.contains("GET /api/v1/movie/4977"));
            // Radarr before qBittorrent before Jellyfin before Jellyseerr (the fake records every request in order)
            List<String> order = FakeMediaServer.REQUESTS.stream().filter(r -> r.startsWith("DELETE ")
                    || r.equals("POST /Library/Refresh")).toList();
            assertEquals(List.of("DELETE /api/v3/movie/18", "POST /Library/Refresh", "DELETE /api/v1/request/301",
                    "DELETE /api/v1/media/77"), order);

            // the request is kept, removed, with a line in its timeline
            request(id).body("state", equalTo("removed"))
                    .body("timeline_events.find { it.event_type == 'Deleted' }.details",
                            equalTo("Deleted by an admin (files too)"))
                    .body("timeline_events.find { it.event_type == 'Deleted' }.service", equalTo("admin"));

            // and dashboards saw it live: started, each step, completed; never who deleted it
            List<JsonNode> updates = deletionUpdates(sse, logId);
            assertEquals("deletion_started", updates.get(0).path("event_type").asText());
            assertEquals("deletion_completed", updates.get(updates.size() - 1).path("event_type").asText());
            assertTrue(updates.stream().anyMatch(u -> u.path("event_type").asText().equals("deletion_progress")
                    && u.path("deletion").path("steps").toString().contains("\"running\"")));
            for (JsonNode u : updates) {
                assertEquals(id, u.path("request_id").asInt());
                assertFalse(u.path("deletion").has("deleted_by_username"), u.toString());
                assertFalse(u.path("deletion").has("deleted_by_user_id"), u.toString());
                assertFalse(u.toString().contains("admin-user"), u.toString());
            }
            assertEquals("complete", updates.get(updates.size() - 1).path("deletion").path("status").asText());
        }
        // the removal went through the pipeline as an event: stored, with who and what, never a token
        String events = get("/api/events?source=admin").then().statusCode(200).extract().asString();
        assertTrue(events.contains("admin-user") && events.contains("Delete"), events);
        assertNoSecret(events);
    }

    @Test
    void anAnimeSeriesIsDeletedEverywhereAndItsOwnSeriesDeleteWebhookLandsOnTheRemovedRequest() throws Exception {
        // given Frieren (anime) grabbed with a torrent qBittorrent holds, and Jellyseerr's media entry
        String hash = torrent("Frieren.S01E05.1080p.WEB.mkv");
        int id = frieren(hash);
        FakeArr.jellyseerrMediaInfo("tv", 209867, 88);

        int logId = delete(id, "{}").statusCode(202) // no body field: files are deleted
                .body("delete_files", equalTo(true)).body("is_anime", equalTo(true)).body("sonarr_id", equalTo(42))
                .body("download_hashes", equalTo(List.of(hash)))
                .body("steps.find { it.service == 'shoko' }.status", equalTo("pending"))
                .body("steps.find { it.service == 'radarr' }.status", equalTo("not_applicable"))
                .extract().path("id");
        JsonPath log = finished(logId);

        assertEquals("complete", log.getString("status"));
        assertEquals(List.of("done", "not_applicable", "done", "done", "done", "done"), log.getList("steps.status"));
        List<FakeArr.Write> sonarr = FakeArr.writesTo("sonarr");
        assertEquals(1, sonarr.size(), sonarr.toString());
        assertEquals("DELETE /api/v3/series/42", sonarr.get(0).method() + " " + sonarr.get(0).path());
        assertEquals(Map.of("deleteFiles", "true", "addImportListExclusion", "false"), sonarr.get(0).query());
        assertEquals(FakeMediaServer.SONARR_KEY, sonarr.get(0).apiKey());
        assertEquals(List.of("GET /api/v3/Action/RemoveMissingFiles/true"), FakeShokoHub.hub().actions());
        await().atMost(WAIT).until(() -> QbittorrentNox.current().state(hash) == null);
        await().atMost(WAIT).until(() -> !Files.exists(dir.resolve("Frieren.S01E05.1080p.WEB.mkv")));
        assertTrue(FakeMediaServer.REQUESTS.contains("POST /Library/Refresh"));
        assertTrue(FakeMediaServer.REQUESTS.contains("GET /api/v1/tv/209867"));
        assertEquals(List.of("DELETE /api/v1/request/400", "DELETE /api/v1/media/88"), FakeArr.writesTo("jellyseerr")
                .stream().map(w -> w.method() + " " + w.path()).toList());

        // when Sonarr then reports its own deletion of the series (which the tracker caused)
        deliver("sonarr", Payload.of("protocol/sonarr-series-delete.json")).body("outcome", equalTo("applied"))
                .body("request_id", equalTo(id)).body("reason", containsString("already removed"));

        // then it lands on the removed request: no second log, nothing left waiting as unmatched
        get("/api/deletion-logs").then().statusCode(200).body("total", equalTo(1))
                .body("logs[0].id", equalTo(logId));
        assertEquals(0, db.count("SELECT count(*) FROM inbound_event WHERE outcome = 'unmatched'"));
        request(id).body("state", equalTo("removed"));
    }

    @Test
    void whatAnotherRequestStillUsesIsLeftAlone() throws Exception {
        // given Frieren season 1 grabbed in Sonarr (series 42), and a second, open request for the same show that
        // Sonarr tracks in the same series (season 2, asked for later)
        String hash = torrent("Frieren.S01E05.1080p.WEB.mkv");
        int first = frieren(hash);
        int second = deliverAndGetRequestId("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json")
                .set("subject", "Frieren: Beyond Journey's End (2023)").set("media.media_type", "tv")
                .set("media.tmdbId", "209867").set("media.tvdbId", "424536").set("request.request_id", "401"));
        assertTrue(first != second, "two requests");
        db.run("UPDATE media_request SET sonarr_id = 42 WHERE id = " + second);
        FakeArr.jellyseerrMediaInfo("tv", 209867, 88);

        // the preview already says so
        given().get("/api/requests/" + first + "/delete-preview").then().statusCode(200)
                .body("services.find { it.service == 'sonarr' }.status", equalTo("skipped"))
                .body("services.find { it.service == 'sonarr' }.details",
                        containsString("request #" + second + " (Frieren: Beyond Journey's End) is tracked there too"))
                .body("services.find { it.service == 'jellyseerr' }.details", containsString("media entry stays"));

        // when the first is deleted with its files
        int logId = delete(first, "{\"delete_files\":true}").statusCode(202).extract().path("id");
        JsonPath log = finished(logId);

        // then the series and the Jellyseerr media entry stay for the second; its own request and torrent go
        assertEquals("skipped", log.getString("steps.find { it.service == 'sonarr' }.status"));
        assertEquals(List.of(), FakeArr.writesTo("sonarr"), "series 42 is not deleted");
        assertEquals(List.of("DELETE /api/v1/request/400"), FakeArr.writesTo("jellyseerr").stream()
                .map(w -> w.method() + " " + w.path()).toList());
        assertEquals("done", log.getString("steps.find { it.service == 'qbittorrent' }.status"));
        request(second).body("state", equalTo("approved"));
    }

    @Test
    void oneFailingServiceDoesNotStopTheOthersAndARetryFinishesTheDeletion() throws Exception {
        // given a Radarr that fails every write
        String hash = torrent("Paprika.2006.Retry.mkv");
        int id = paprika(hash);
        FakeArr.RADARR.failWith = 500;

        int logId = delete(id, "{\"delete_files\":true}").statusCode(202).extract().path("id");
        JsonPath log = finished(logId);

        // then Radarr's step failed with its answer (masked), the others ran, the deletion is incomplete
        assertEquals("incomplete", log.getString("status"));
        assertNotNull(log.getString("completed_at"));
        assertEquals("failed", step(log, "radarr"));
        String error = log.getString("steps.find { it.service == 'radarr' }.error");
        assertTrue(error.contains("HTTP 500") && error.contains("DELETE /api/v3/movie/18"), error);
        assertEquals("done", step(log, "qbittorrent"));
        assertEquals("done", step(log, "jellyfin"));
        assertEquals("done", step(log, "jellyseerr"));
        assertEquals(1, FakeArr.writesTo("radarr").size(), "a write is never retried once sent");
        int seerrWrites = FakeArr.writesTo("jellyseerr").size();
        request(id).body("state", equalTo("removed"));

        // when Radarr works again and the admin retries
        FakeArr.RADARR.failWith = null;
        given().post("/api/deletion-logs/" + logId + "/retry").then().statusCode(202)
                .body("status", equalTo("in_progress"))
                .body("steps.find { it.service == 'radarr' }.status", equalTo("pending"))
                .body("steps.find { it.service == 'radarr' }.details", equalTo("Retry requested by an admin"));
        log = finished(logId);

        // then only Radarr was asked again, and the deletion is complete
        assertEquals("complete", log.getString("status"));
        assertEquals("done", step(log, "radarr"));
        assertEquals(2, FakeArr.writesTo("radarr").size());
        assertEquals(seerrWrites, FakeArr.writesTo("jellyseerr").size());
        assertEquals(List.of("pending", "running", "failed", "pending", "running", "done"),
                log.getList("events.findAll { it.service == 'radarr' }.status"));
        // a second retry has nothing to do
        given().post("/api/deletion-logs/" + logId + "/retry").then().statusCode(409)
                .body("detail", containsString("nothing to retry"));
    }

    @Test
    void aServiceThatNoLongerHasTheMediaIsDoneAlreadyGone() throws Exception {
        String hash = torrent("Paprika.2006.Gone.mkv");
        int id = paprika(hash);
        FakeArr.RADARR.gone.add(18L);
        FakeArr.JELLYSEERR_GONE.add("request/301");

        int logId = delete(id, "{\"delete_files\":true}").statusCode(202).extract().path("id");
        JsonPath log = finished(logId);

        assertEquals("complete", log.getString("status"));
        assertEquals("done", step(log, "radarr"));
        assertEquals("Already gone: Radarr no longer had movie 18", details(log, "radarr"));
        assertEquals("done", step(log, "jellyseerr"));
        assertTrue(details(log, "jellyseerr").startsWith("Request 301 already gone"), details(log, "jellyseerr"));
    }

    @Test
    void keepingTheFilesKeepsTheTorrentsDataAndLeavesShokoAndJellyfinAlone() throws Exception {
        String hash = torrent("Frieren.S01E05.Keep.mkv");
        int id = frieren(hash);

        int logId = delete(id, "{\"delete_files\":false}").statusCode(202).body("delete_files", equalTo(false))
                .extract().path("id");
        JsonPath log = finished(logId);

        assertEquals("complete", log.getString("status"));
        assertEquals(Map.of("deleteFiles", "false", "addImportListExclusion", "false"),
                FakeArr.writesTo("sonarr").get(0).query());
        assertEquals("skipped", step(log, "shoko"));
        assertEquals("Files kept: Shoko unchanged", details(log, "shoko"));
        assertEquals("skipped", step(log, "jellyfin"));
        assertEquals("Files kept: Jellyfin unchanged", details(log, "jellyfin"));
        assertTrue(FakeShokoHub.hub().actions().isEmpty());
        assertFalse(FakeMediaServer.REQUESTS.contains("POST /Library/Refresh"));
        // the torrent is removed (a re-request must not complete at once), its data stays
        await().atMost(WAIT).until(() -> QbittorrentNox.current().state(hash) == null);
        assertTrue(Files.exists(dir.resolve("Frieren.S01E05.Keep.mkv")));
        request(id).body("timeline_events.find { it.event_type == 'Deleted' }.details",
                equalTo("Deleted by an admin (files kept)"));
    }

    @Test
    void aSecondDeleteOrARetryWhileTheDeletionRunsIsAConflict() throws Exception {
        // given a Radarr that holds the delete until the test lets it answer
        int id = paprika(torrent("Paprika.2006.Slow.mkv"));
        CountDownLatch radarr = new CountDownLatch(1);
        FakeArr.RADARR.holdWrites = radarr;
        try {
            int logId = delete(id, "{}").statusCode(202).extract().path("id");
            await().atMost(WAIT).untilAsserted(() -> get("/api/deletion-logs/" + logId).then()
                    .body("steps.find { it.service == 'radarr' }.status", equalTo("running")));

            delete(id, "{}").statusCode(409).body("detail", containsString("still running"));
            given().post("/api/deletion-logs/" + logId + "/retry").then().statusCode(409)
                    .body("detail", containsString("still running"));

            radarr.countDown();
            assertEquals("complete", finished(logId).getString("status"));
            // once it has finished, the request (removed) may be deleted again, e.g. to clean up what was kept
            delete(id, "{}").statusCode(202);
        } finally {
            radarr.countDown();
        }
    }

    @Test
    void bulkDeleteStartsEachRequestAndNamesTheUnknownOnes() throws Exception {
        int movie = paprika(torrent("Paprika.2006.Bulk.mkv"));
        int series = frieren(torrent("Frieren.S01E05.Bulk.mkv"));

        JsonPath bulk = given().contentType("application/json")
                .body("{\"request_ids\":[" + movie + ",999999," + series + "," + movie + "],\"delete_files\":true}")
                .post("/api/requests/bulk-delete").then().statusCode(202)
                .body("deletions", hasSize(2)).body("not_found", equalTo(List.of(999999)))
                .body("deletions.request_id", equalTo(List.of(movie, series)))
                .extract().jsonPath();

        for (int logId : bulk.<Integer>getList("deletions.id")) {
            assertEquals("complete", finished(logId).getString("status"));
        }
        request(movie).body("state", equalTo("removed"));
        request(series).body("state", equalTo("removed"));
        assertEquals(1, FakeArr.writesTo("radarr").size());
        assertEquals(1, FakeArr.writesTo("sonarr").size());
        get("/api/deletion-logs?source=dashboard").then().statusCode(200).body("total", equalTo(2))
                .body("counts.dashboard", equalTo(2)).body("counts.sonarr", equalTo(0))
                .body("logs.events", everyItem(nullValue()))
                // newest first
                .body("logs[0].request_id", equalTo(series));
    }

    @Test
    void deletionsInSonarrAndRadarrAreRecordedOnceAndNotPropagated() throws Exception {
        // given Frieren tracked from Sonarr and Perfect Blue requested in Jellyseerr
        int series = frieren("8F3A2C1D9E7B6A5F4E3D2C1B0A9F8E7D6C5B4A39");
        int movie = deliverAndGetRequestId("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json"));
        try (SseTestClient sse = SseTestClient.connect(base, null)) {
            assertEquals("connected", sse.nextEvent(WAIT).event());

            // when Sonarr deletes the series (with its files), twice (a redelivery)
            Payload seriesDelete = Payload.of("protocol/sonarr-series-delete.json");
            deliver("sonarr", seriesDelete).body("outcome", equalTo("applied")).body("request_id", equalTo(series));
            deliver("sonarr", seriesDelete).body("outcome", equalTo("duplicate"));

            // then one log, complete, from Sonarr; the other services are left as they are
            JsonPath logs = get("/api/deletion-logs?source=sonarr").then().statusCode(200).body("total", equalTo(1))
                    .extract().jsonPath();
            int logId = logs.getInt("logs[0].id");
            JsonPath log = JsonPath.from(get("/api/deletion-logs/" + logId).then().statusCode(200).extract().asString());
            assertEquals(series, log.getInt("request_id"));
            assertEquals("sonarr", log.getString("source"));
            assertEquals("Sonarr (external)", log.getString("deleted_by_username"));
            assertEquals(null, log.getString("deleted_by_user_id"));
            assertTrue(log.getBoolean("delete_files"));
            assertEquals("complete", log.getString("status"));
            assertNotNull(log.getString("completed_at"));
            assertEquals("done", step(log, "sonarr"));
            assertEquals("Deleted in Sonarr, files deleted", details(log, "sonarr"));
            for (String other : List.of("radarr", "qbittorrent", "shoko", "jellyfin", "jellyseerr")) {
                assertEquals("skipped", step(log, other), other);
                assertEquals("Deleted outside the tracker; other services left as they are", details(log, other));
            }
            assertEquals(List.of("8f3a2c1d9e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39"), log.getList("download_hashes"));
            request(series).body("state", equalTo("removed"));
            List<JsonNode> updates = deletionUpdates(sse, logId);
            assertEquals(1, updates.size());
            assertEquals("sonarr", updates.get(0).path("deletion").path("source").asText());

            // and Radarr's MovieDelete the same way
            Payload movieDelete = Payload.of("protocol/radarr-movie-delete.json");
            deliver("radarr", movieDelete).body("outcome", equalTo("applied")).body("request_id", equalTo(movie));
            deliver("radarr", movieDelete).body("outcome", equalTo("duplicate"));
            get("/api/deletion-logs?source=radarr").then().statusCode(200).body("total", equalTo(1))
                    .body("logs[0].deleted_by_username", equalTo("Radarr (external)"))
                    .body("logs[0].request_id", equalTo(movie)).body("logs[0].delete_files", equalTo(true))
                    .body("logs[0].steps.find { it.service == 'radarr' }.status", equalTo("done"));
            get("/api/deletion-logs").then().body("total", equalTo(2)).body("counts.sonarr", equalTo(1))
                    .body("counts.radarr", equalTo(1)).body("counts.dashboard", equalTo(0));
        }
        // recorded, not propagated: nothing was asked anywhere
        assertTrue(FakeArr.WRITES.isEmpty(), FakeArr.WRITES.toString());
        assertTrue(FakeShokoHub.hub().actions().isEmpty());
        assertFalse(FakeMediaServer.REQUESTS.contains("POST /Library/Refresh"));
    }

    @Test
    void noKeyReachesAStepAnAnswerOrTheLogWhenEveryServiceFails() throws Exception {
        // given every upstream failing
        String hash = torrent("Frieren.S01E05.Fail.mkv");
        int id = frieren(hash);
        FakeArr.SONARR.failWith = 401;
        FakeArr.jellyseerrFailWith = 503;
        FakeShokoHub.hub().failActionsWith(500);
        FakeMediaServer.jellyfinDown();

        int logId = delete(id, "{}").statusCode(202).extract().path("id");
        JsonPath log = finished(logId);

        assertEquals("incomplete", log.getString("status"));
        assertEquals(List.of("sonarr", "shoko", "jellyfin", "jellyseerr"),
                log.getList("steps.findAll { it.status == 'failed' }.service"));
        assertEquals("done", step(log, "qbittorrent"), "one failure never stops the next service");
        assertThat(log.getString("steps.find { it.service == 'sonarr' }.error"), "HTTP 401");
        assertThat(log.getString("steps.find { it.service == 'shoko' }.error"), "GET /api/v3/Action/RemoveMissingFiles");
        for (String answer : List.of(get("/api/deletion-logs").asString(), get("/api/deletion-logs/" + logId).asString(),
                get("/api/requests/" + id + "/delete-preview").asString(), get("/api/requests/" + id).asString())) {
            assertNoSecret(answer);
        }
        assertEquals(0, db.count("SELECT count(*) FROM deletion_step WHERE " + String.join(" OR ",
                SECRETS.stream().map(s -> "coalesce(error, '') || coalesce(details, '') LIKE '%" + s + "%'")
                        .toList())));
        // the key did reach Sonarr, as the header it belongs in
        assertEquals(FakeMediaServer.SONARR_KEY, FakeArr.writesTo("sonarr").get(0).apiKey());
        assertEquals(List.of("done", "not_applicable", "failed"), List.of(step(log, "qbittorrent"),
                step(log, "radarr"), step(log, "jellyseerr")));
    }

    private static void assertThat(String text, String part) {
        assertNotNull(text);
        assertTrue(text.contains(part), "'" + part + "' not in: " + text);
    }

    @Test
    void thePreviewSaysWhatEachServiceWouldDo() throws Exception {
        int id = frieren(torrent("Frieren.S01E05.Preview.mkv"));

        get("/api/requests/" + id + "/delete-preview").then().statusCode(200)
                .body("request_id", equalTo(id)).body("media_type", equalTo("tv"))
                .body("deletion_sync_enabled", equalTo(true)).body("delete_files_default", equalTo(true))
                .body("services.service", equalTo(List.of("sonarr", "radarr", "qbittorrent", "shoko", "jellyfin",
                        "jellyseerr")))
                .body("services.status", equalTo(List.of("pending", "not_applicable", "pending", "pending",
                        "pending", "pending")))
                .body("services.find { it.service == 'sonarr' }.details", equalTo("Delete series 42 (files too)"));
        get("/api/requests/" + id + "/delete-preview?delete_files=false").then().statusCode(200)
                .body("services.find { it.service == 'shoko' }.status", equalTo("skipped"))
                .body("services.find { it.service == 'jellyfin' }.details", equalTo("Files kept: Jellyfin unchanged"))
                .body("services.status", everyItem(in(List.of("pending", "not_applicable", "not_needed", "skipped"))));
        // nothing was deleted by looking
        request(id).body("state", not(equalTo("removed")));
        assertTrue(FakeArr.WRITES.isEmpty());
        get("/api/deletion-logs").then().body("total", equalTo(0)).body("logs", hasSize(0))
                .body("counts.keySet()", hasItems("dashboard", "sonarr", "radarr"));
        get("/api/deletion-logs").then().body("counts.values()", everyItem(equalTo(0)))
                .body("page", equalTo(1)).body("per_page", equalTo(20)).body("logs", not(hasItem(nullValue())));
    }
}
