package app.statustracker.health;

import static app.statustracker.health.DoctorReports.run;
import static app.statustracker.health.DoctorReports.check;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.PostgresTestResource;
import app.statustracker.support.QbittorrentNox;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;

/**
 * The setup doctor's Sonarr and Radarr delivery and import checks: Sonarr and Radarr faked with their real API v3
 * shapes (HealthResource, DownloadClientResource with {@code fields}, RootFolderResource, QueueResource with
 * {@code trackedDownloadState} and {@code statusMessages}), qBittorrent real (qbittorrent-nox, its categories made
 * through its Web API).
 */
@QuarkusTest
@TestProfile(SetupDoctorTest.WithAddress.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
@WithTestResource(value = QbittorrentNox.class)
@TestSecurity(user = "jf-admin", roles = { "user", "admin" })
class ArrDoctorChecksTest {

    private static final String TRACKER = "http://status-tracker:8000";
    private static final String[] IDS = { "sonarr.webhook-delivery", "sonarr.import-paths", "sonarr.queue-stuck",
            "radarr.webhook-delivery", "radarr.import-paths", "radarr.queue-stuck" };

    @BeforeEach
    void wellWired() throws Exception {
        FakeMediaServer.reset();
        FakeArr.wellWiredArrs(TRACKER);
        // qBittorrent as the TRaSH guides set it up: automatic torrent management, categories beside the media
        QbittorrentNox.current().setPreferences("{\"auto_tmm_enabled\": true}");
        QbittorrentNox.current().category("tv-sonarr", "/data/downloads/tv-sonarr");
        QbittorrentNox.current().category("radarr", "/data/downloads/radarr");
    }

    @AfterEach
    void manualAgain() throws Exception {
        QbittorrentNox.current().setPreferences("{\"auto_tmm_enabled\": false,"
                + " \"use_category_paths_in_manual_mode\": false}");
    }

    @Test
    void aWellWiredSonarrAndRadarrAreOkOnEveryCheck() {
        JsonPath report = run();
        for (String id : IDS) {
            assertEquals("ok", check(report, id, "result"), id + ": " + check(report, id, "found"));
        }
        assertThat(check(report, "sonarr.import-paths", "found"), containsString("\"qBittorrent\" (category"
                + " \"tv-sonarr\") → /data/downloads/tv-sonarr (the category's save path), outside the root folders"
                + " /data/media/tv, /data/media/anime"));
        assertThat(check(report, "radarr.import-paths", "found"), containsString("/data/downloads/radarr"));
        assertThat(check(report, "sonarr.queue-stuck", "found"), containsString("Sonarr's queue is empty"));
        assertThat(check(report, "radarr.webhook-delivery", "found"),
                containsString("does not report the Webhook \"status-tracker\" as failing"));
    }

    @Test
    void aHeldBackTrackerConnectionIsAProblemWithWhereToLook() {
        FakeArr.SONARR.healthIssue("NotificationStatusCheck", "warning",
                "Notifications unavailable due to failures: status-tracker",
                "notifications-are-unavailable-due-to-failures");
        // Radarr holds back another connection only: the tracker's still gets its webhooks
        FakeArr.RADARR.notifications.add(FakeArr.webhookConnection(2, "Discord", "https://discord.com/api/webhooks/1/x",
                "onGrab"));
        FakeArr.RADARR.healthIssue("NotificationStatusCheck", "warning",
                "Notifications unavailable due to failures: Discord", "notifications-are-unavailable-due-to-failures");

        JsonPath report = run();
        assertEquals("problem", check(report, "sonarr.webhook-delivery", "result"));
        assertThat(check(report, "sonarr.webhook-delivery", "found"), containsString(
                "Sonarr's health says \"Notifications unavailable due to failures: status-tracker\""));
        assertThat(check(report, "sonarr.webhook-delivery", "why"), containsString("reconciliation"));
        assertThat(check(report, "sonarr.webhook-delivery", "fix"), containsString("Check that"
                + " http://status-tracker:8000/hooks/sonarr is reachable from Sonarr"));
        assertThat(check(report, "sonarr.webhook-delivery", "fix"),
                containsString("Sonarr → Settings → Connect → \"status-tracker\" → Test"));
        assertThat(check(report, "sonarr.webhook-delivery", "fix"), containsString("Sonarr → System → Logs"));
        assertEquals("ok", check(report, "radarr.webhook-delivery", "result"));
    }

    @Test
    void allNotificationsFailingIsAProblemToo() {
        FakeArr.RADARR.healthIssue("NotificationStatusCheck", "error",
                "All notifications are unavailable due to failures", "notifications-are-unavailable-due-to-failures");
        JsonPath report = run();
        assertEquals("problem", check(report, "radarr.webhook-delivery", "result"));
        assertThat(check(report, "radarr.webhook-delivery", "found"),
                containsString("\"All notifications are unavailable due to failures\""));
    }

    @Test
    void aCategorySavedInsideTheRootFolderIsAProblemWithTheExactFix() throws Exception {
        // the seed's "Radarr could not import because of category paths"
        QbittorrentNox.current().category("radarr", "/data/media/movies/downloads");

        JsonPath report = run();
        assertEquals("problem", check(report, "radarr.import-paths", "result"));
        assertThat(check(report, "radarr.import-paths", "found"), containsString("qBittorrent saves \"qBittorrent\""
                + " (category \"radarr\") downloads in /data/media/movies/downloads (the category's save path),"
                + " inside Radarr's root folder /data/media/movies"));
        assertThat(check(report, "radarr.import-paths", "why"),
                containsString("Radarr does not import from its own root folder"));
        assertEquals("qBittorrent → Categories (side panel) → right-click \"radarr\" → Edit category → Save path:"
                + " /data/downloads/radarr (outside /data/media/movies); then move what already finished there"
                + " (select the torrents → Set location).", check(report, "radarr.import-paths", "fix"));
        assertEquals("ok", check(report, "sonarr.import-paths", "result"));
    }

    @Test
    void inManualModeWithCategoryPathsTheCategorysPathIsJudgedToo() throws Exception {
        // Manual torrent management, but "Use Category paths in Manual Mode" ticked: qBittorrent saves in the category's
        // path, so a category inside the root folder is still the seed's import failure.
        QbittorrentNox.current().setPreferences("{\"auto_tmm_enabled\": false,"
                + " \"use_category_paths_in_manual_mode\": true}");
        QbittorrentNox.current().category("radarr", "/data/media/movies/incoming");

        JsonPath report = run();
        assertEquals("problem", check(report, "radarr.import-paths", "result"));
        assertThat(check(report, "radarr.import-paths", "found"), containsString(
                "/data/media/movies/incoming (the category's save path), inside Radarr's root folder /data/media/movies"));

        // without that box, Manual mode saves in the default save path whatever the category says
        QbittorrentNox.current().setPreferences("{\"use_category_paths_in_manual_mode\": false}");
        report = run();
        assertThat(check(report, "radarr.import-paths", "found"), containsString("the default save path"));
        assertThat(check(report, "radarr.import-paths", "found"), not(containsString("/data/media/movies/incoming")));
    }

    @Test
    void theArrsOwnImportHealthMessageIsQuotedAsAProblem() {
        FakeArr.SONARR.healthIssue("RemotePathMappingCheck", "error", "You are using docker; download client"
                + " qBittorrent places downloads in /downloads/tv-sonarr but this directory does not appear to exist"
                + " inside the container. Review your remote path mappings and container volume settings.",
                "docker-bad-remote-path-mapping");
        // not about imports: not this check's business
        FakeArr.SONARR.healthIssue("IndexerStatusCheck", "warning", "Indexers unavailable due to failures: Nyaa",
                "indexers-are-unavailable-due-to-failures");

        JsonPath report = run();
        assertEquals("problem", check(report, "sonarr.import-paths", "result"));
        assertThat(check(report, "sonarr.import-paths", "found"), containsString("Sonarr's health says \"You are using"
                + " docker; download client qBittorrent places downloads in /downloads/tv-sonarr but this directory"
                + " does not appear to exist inside the container."));
        assertThat(check(report, "sonarr.import-paths", "found"), not(containsString("Nyaa")));
        assertThat(check(report, "sonarr.import-paths", "fix"), containsString(
                "Sonarr → Settings → Download Clients → Remote Path Mappings → +"));
    }

    @Test
    void anEmptyCategoryIsAWarningNamingTheField() {
        FakeArr.SONARR.downloadClients.removeAll();
        FakeArr.SONARR.qbittorrentClient(1, "qBittorrent", "qbittorrent", 8080, null);

        JsonPath report = run();
        assertEquals("warning", check(report, "sonarr.import-paths", "result"));
        assertThat(check(report, "sonarr.import-paths", "found"),
                containsString("Download client \"qBittorrent\" has no Category"));
        assertThat(check(report, "sonarr.import-paths", "why"), containsString("downloadId"));
        assertEquals("Sonarr → Settings → Download Clients → qBittorrent → Category: tv-sonarr. Save.",
                check(report, "sonarr.import-paths", "fix"));
    }

    @Test
    void noQbittorrentClientIsAWarning() {
        FakeArr.RADARR.downloadClients.removeAll();
        JsonPath report = run();
        assertEquals("warning", check(report, "radarr.import-paths", "result"));
        assertThat(check(report, "radarr.import-paths", "found"), containsString("Radarr has no enabled download client"));
        assertThat(check(report, "radarr.import-paths", "fix"),
                containsString("Radarr → Settings → Download Clients → + → qBittorrent"));
    }

    @Test
    void aDownloadBlockedFromImportIsListedWithItsMessage() {
        // a season pack: Sonarr lists one record per episode, all with the pack's downloadId
        String pack = "Frieren.S01.1080p.WEB-DL";
        String message = "No files found are eligible for import in /downloads/tv-sonarr/" + pack;
        FakeArr.SONARR.queueRecord(1, pack, "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678", "importBlocked", pack, message);
        FakeArr.SONARR.queueRecord(2, pack, "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678", "importBlocked", pack, message);
        FakeArr.SONARR.queueRecord(3, "Dandadan.S01E05.1080p", "B1B2C3D4E5F60718293A4B5C6D7E8F9012345678",
                "downloading", null);
        // finished a moment ago, imported at Sonarr's next pass: not stuck
        FakeArr.SONARR.queueRecord(4, "Dandadan.S01E04.1080p", "C1B2C3D4E5F60718293A4B5C6D7E8F9012345678",
                "importPending", null);
        // Radarr keeps failing to import one: a warning
        FakeArr.RADARR.queueRecord(1, "Paprika.2006.1080p.BluRay", "D1B2C3D4E5F60718293A4B5C6D7E8F9012345678",
                "importPending", "Paprika.2006.1080p.BluRay.sample.mkv", "Sample");

        JsonPath report = run();
        assertEquals("problem", check(report, "sonarr.queue-stuck", "result"));
        String found = check(report, "sonarr.queue-stuck", "found");
        assertEquals("1 download(s) wait for an import in Sonarr: \"Frieren.S01.1080p.WEB-DL\" (import blocked): No"
                + " files found are eligible for import in /downloads/tv-sonarr/Frieren.S01.1080p.WEB-DL", found);
        assertThat(check(report, "sonarr.queue-stuck", "why"), containsString("\"downloaded\""));
        String fix = check(report, "sonarr.queue-stuck", "fix");
        assertThat(fix, containsString("Sonarr → Activity → Queue → \"Frieren.S01.1080p.WEB-DL\" → Manual Import"));
        assertThat(fix, containsString("Unpackerr"));

        assertEquals("warning", check(report, "radarr.queue-stuck", "result"));
        assertThat(check(report, "radarr.queue-stuck", "found"), containsString("\"Paprika.2006.1080p.BluRay\" (import"
                + " pending): Paprika.2006.1080p.BluRay.sample.mkv: Sample"));
        assertThat(check(report, "radarr.queue-stuck", "fix"),
                containsString("Radarr → Activity → Queue → \"Paprika.2006.1080p.BluRay\" → Manual Import"));
    }

    @Test
    void anArrThatIsDownIsUnknownQuicklyAndNoSecretIsInAnyResult() {
        FakeArr.SONARR.failWith = 500;
        long started = System.nanoTime();
        JsonPath report = run();
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        for (String id : new String[] { "sonarr.webhook-delivery", "sonarr.import-paths", "sonarr.queue-stuck" }) {
            assertEquals("unknown", check(report, id, "result"), id);
            assertThat(check(report, id, "found"), containsString("sonarr could not be asked"));
        }
        assertEquals("ok", check(report, "radarr.import-paths", "result"), "Radarr is not held up by Sonarr");
        assertTrue(seconds < 8, "took " + seconds + " s");

        String all = given().get("/api/doctor").asString();
        for (String secret : new String[] { FakeMediaServer.SONARR_KEY, FakeMediaServer.RADARR_KEY,
                QbittorrentNox.PASSWORD, "********" }) {
            assertFalse(all.contains(secret), secret);
        }
    }
}
