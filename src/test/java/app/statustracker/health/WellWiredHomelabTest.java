package app.statustracker.health;

import static app.statustracker.health.DoctorReports.check;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.FakeShokoHub;
import app.statustracker.support.PostgresTestResource;
import app.statustracker.support.QbittorrentNox;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;

/**
 * The "well-wired homelab": every upstream configured and wired to the tracker as README says — Sonarr, Radarr
 * and Jellyseerr faked with their real shapes, a real qbittorrent-nox, Jellyfin with the Webhook plugin and Shokofin,
 * Shoko with its import folders, a webhook secret — and every one of the setup doctor's checks says ok. A check added
 * later must be wired here too: the test counts them.
 */
@QuarkusTest
@TestProfile(WellWiredHomelabTest.Homelab.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
@WithTestResource(value = FakeShokoHub.class)
@WithTestResource(value = QbittorrentNox.class)
@TestSecurity(user = "jf-admin", roles = { "user", "admin" })
class WellWiredHomelabTest {

    static final String URL = "http://status-tracker:8000";
    static final String SECRET = "homelab-webhook-secret-5d0c2b";

    public static class Homelab implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracker.public-url", URL, "tracker.webhook.secret", SECRET,
                    "tracker.doctor.delay", "1h", "tracker.verification.enabled", "true",
                    "tracker.verification.delay", "1h",
                    "tracker.shoko.path-map", "/mnt/anime-movies=/data/media/anime-movies,/mnt/anime=/data/media/anime");
        }
    }

    @BeforeEach
    void wire() throws Exception {
        FakeMediaServer.reset();
        // Sonarr and Radarr: webhook connections, root folders, qBittorrent with a category each
        FakeArr.wellWiredArrs(URL);
        FakeArr.RADARR.rootFolder(2, "/data/media/anime-movies");
        // Jellyseerr: the webhook agent with every request notification
        FakeArr.jellyseerrWebhook(true, 2 + 4 + 8 + 16 + 64 + 128, URL + "/hooks/jellyseerr");
        // qBittorrent: categories beside the media, and the completion hook with the secret
        QbittorrentNox nox = QbittorrentNox.current();
        nox.setPreferences("{\"auto_tmm_enabled\": true, \"autorun_enabled\": true, \"autorun_program\": \"curl -X POST"
                + " \\\"" + URL + "/hooks/qbittorrent?token=" + SECRET + "\\\" -H \\\"Content-Type: application/json\\\""
                + " -d '{\\\"hash\\\": \\\"%I\\\"}'\"}");
        nox.category("tv-sonarr", "/data/downloads/tv-sonarr");
        nox.category("radarr", "/data/downloads/radarr");
        // Shoko's import folders, and Jellyfin's plugins mapping its libraries onto them
        FakeShokoHub hub = FakeShokoHub.hub();
        hub.resetLibrary();
        hub.importFolder(1, "/mnt/anime-movies");
        hub.importFolder(2, "/mnt/anime");
        FakeMediaServer.wellWiredJellyfin(URL, 2, 1);
        ObjectNode destination = (ObjectNode) FakeMediaServer.pluginConfiguration(FakeMediaServer.WEBHOOK_PLUGIN_ID)
                .get("GenericOptions").get(0);
        destination.withArray("Headers").addObject().put("Key", "X-Webhook-Secret").put("Value", SECRET);
    }

    @AfterEach
    void unwire() throws Exception {
        QbittorrentNox.current().setPreferences("{\"auto_tmm_enabled\": false, \"autorun_enabled\": false,"
                + " \"autorun_program\": \"\"}");
    }

    @Test
    void everyCheckIsOk() throws Exception {
        // The clock check needs one reading by the reachability check (every UPSTREAM_CHECK_EVERY, first after 2 s).
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonPath report;
        do {
            report = given().post("/api/doctor/run").then().statusCode(200).extract().jsonPath();
            if (!"unknown".equals(check(report, "tracker.clock", "result"))) {
                break;
            }
            Thread.sleep(300);
        } while (System.nanoTime() < until);

        // One more run, counted: each thing the checks need is read once per run, however many checks use it.
        FakeMediaServer.REQUESTS.clear();
        report = given().post("/api/doctor/run").then().statusCode(200).extract().jsonPath();
        for (String read : new String[] { "GET /api/v3/health", "GET /api/v3/notification", "GET /api/v3/rootfolder" }) {
            assertEquals(2, FakeMediaServer.REQUESTS.stream().filter(read::equals).count(),
                    read + ": once for Sonarr, once for Radarr");
        }
        // (not /System/Info: the reachability check asks that too)
        for (String read : new String[] { "GET /Plugins", "GET /Library/VirtualFolders" }) {
            assertEquals(1, FakeMediaServer.REQUESTS.stream().filter(read::equals).count(), read);
        }

        List<Map<String, Object>> checks = report.getList("checks");
        List<String> notOk = new ArrayList<>();
        for (Map<String, Object> c : checks) {
            if (!"ok".equals(c.get("result"))) {
                notOk.add(c.get("id") + " " + c.get("result") + ": " + c.get("found"));
            }
        }
        assertEquals(List.of(), notOk, "a well-wired homelab has nothing to fix");
        assertEquals(List.of("jellyfin.api-key", "jellyfin.shokofin-libraries", "jellyfin.shokofin-signalr",
                "jellyfin.webhook-plugin", "jellyseerr.webhook", "qbittorrent.completion-hook", "radarr.import-paths",
                "radarr.queue-stuck", "radarr.webhook", "radarr.webhook-delivery", "shoko.import-folders",
                "sonarr.import-paths", "sonarr.queue-stuck", "sonarr.webhook", "sonarr.webhook-delivery",
                "tracker.clock", "tracker.dashboard-access", "tracker.database", "tracker.webhook-secret"),
                report.getList("checks.id"),
                "every check, in id order");
        assertEquals(List.of(), FakeMediaServer.REQUESTS.stream().filter(r -> !r.startsWith("GET ")).toList(),
                "the doctor only reads: Jellyfin, Sonarr, Radarr and Jellyseerr got nothing but GETs");
        // nothing secret is repeated back
        String all = given().get("/api/doctor").asString();
        assertThat(all, not(containsString(SECRET)));
        assertThat(all, not(containsString(FakeMediaServer.SHOKOFIN_API_KEY)));
        assertThat(all, not(containsString(FakeMediaServer.SONARR_KEY)));
        assertThat(all, not(containsString(FakeShokoHub.KEY)));
        assertThat(check(report, "jellyfin.shokofin-libraries", "found"), containsString("/mnt/anime"));
    }
}
