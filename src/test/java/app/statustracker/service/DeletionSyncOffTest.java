package app.statustracker.service;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.Database;
import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Deletion with {@code ENABLE_DELETION_SYNC} off (the default): only the tracker's row is removed, every upstream is
 * skipped and none is called, though Sonarr, Radarr, Jellyseerr and Jellyfin are configured. And a deletion a stop
 * interrupted is marked failed at the next start, so that it can be retried.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
@TestSecurity(user = "admin-user", roles = { "user", "admin" })
class DeletionSyncOffTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Database db;
    @Inject
    DeletionSync sync;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
    }

    private static JsonPath finished(long logId) {
        await().atMost(WAIT).untilAsserted(() -> get("/api/deletion-logs/" + logId).then().statusCode(200)
                .body("status", not(equalTo("in_progress"))));
        return get("/api/deletion-logs/" + logId).then().extract().jsonPath();
    }

    @Test
    void withSyncOffOnlyTheTrackersRowIsRemoved() {
        int id = given().contentType("application/json").body(Paprika.request().toString()).post("/hooks/jellyseerr")
                .then().statusCode(200).extract().path("request_id");
        given().contentType("application/json").body(Paprika.grab().toString()).post("/hooks/radarr").then()
                .statusCode(200);

        get("/api/requests/" + id + "/delete-preview").then().statusCode(200)
                .body("deletion_sync_enabled", equalTo(false))
                .body("services.status", equalTo(List.of("not_applicable", "skipped", "skipped", "not_applicable",
                        "skipped", "skipped")))
                .body("services.find { it.service == 'radarr' }.details",
                        equalTo("Deletion sync is off (ENABLE_DELETION_SYNC)"));

        int logId = given().contentType("application/json").body("{\"delete_files\":true}")
                .post("/api/requests/" + id + "/delete").then().statusCode(202)
                .body("steps.find { it.service == 'radarr' }.status", equalTo("pending")).extract().path("id");
        JsonPath log = finished(logId);

        assertEquals("complete", log.getString("status"));
        for (String service : List.of("radarr", "qbittorrent", "jellyfin", "jellyseerr")) {
            assertEquals("skipped", log.getString("steps.find { it.service == '" + service + "' }.status"), service);
            assertEquals("Deletion sync is off (ENABLE_DELETION_SYNC)",
                    log.getString("steps.find { it.service == '" + service + "' }.details"));
        }
        assertEquals(List.of(Paprika.HASH.toLowerCase()), log.getList("download_hashes"));
        assertTrue(FakeArr.WRITES.isEmpty(), FakeArr.WRITES.toString());
        assertFalse(FakeMediaServer.REQUESTS.stream().anyMatch(r -> !r.startsWith("GET ")), FakeMediaServer.REQUESTS
                .toString());
        get("/api/requests/" + id).then().statusCode(200).body("state", equalTo("removed"));
    }

    @Test
    void aDeletionAStopInterruptedIsMarkedFailedAtTheNextStartAndCanBeRetried() {
        // given a deletion left in progress by a stop: Radarr's step running, Jellyseerr's still pending
        db.run("INSERT INTO deletion_log (id, title, media_type, delete_files, source, deleted_by_username, status,"
                + " initiated_at, radarr_id, tmdb_id) OVERRIDING SYSTEM VALUE VALUES (900001, 'Paprika', 'movie',"
                + " true, 'dashboard', 'admin-user', 'in_progress', now() - interval '1 hour', 18, 4977)");
        db.run("INSERT INTO deletion_step (deletion_log_id, service, status, details, occurred_at) VALUES"
                + " (900001, 'sonarr', 'not_applicable', 'Movies are not in Sonarr', now() - interval '1 hour'),"
                + " (900001, 'radarr', 'pending', 'Delete movie 18 (files too)', now() - interval '1 hour'),"
                + " (900001, 'jellyseerr', 'pending', 'Delete the media entry of TMDB 4977', now() - interval '1 hour'),"
                + " (900001, 'radarr', 'running', 'Deleting movie 18 in Radarr (files too)', now() - interval '1 hour')");

        // when the service starts again
        sync.interrupted(null);

        // then its unfinished steps failed, and it is incomplete
        await().atMost(WAIT).untilAsserted(() -> get("/api/deletion-logs/900001").then().statusCode(200)
                .body("status", equalTo("incomplete")));
        JsonPath log = get("/api/deletion-logs/900001").then().extract().jsonPath();
        assertEquals(List.of("not_applicable", "failed", "failed"), log.getList("steps.status"));
        assertEquals("interrupted by a restart; retry to run it again",
                log.getString("steps.find { it.service == 'radarr' }.error"));

        // and a retry runs them again (skipped: the sync is off here)
        given().post("/api/deletion-logs/900001/retry").then().statusCode(202);
        JsonPath retried = finished(900001);
        assertEquals("complete", retried.getString("status"));
        assertEquals(List.of("not_applicable", "skipped", "skipped"), retried.getList("steps.status"));
        assertTrue(FakeArr.WRITES.isEmpty());
    }
}
