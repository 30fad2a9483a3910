package app.statustracker.health;

import static app.statustracker.health.DoctorReports.run;
import static app.statustracker.health.DoctorReports.check;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.FakeShokoHub;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;

/**
 * The setup doctor's Jellyfin checks (issue 8) against Jellyfin faked with its real shapes (PluginInfo,
 * VirtualFolderInfo, the Webhook plugin's and Shokofin's configurations as Jellyfin serialises them) and Shoko's
 * import folders: a well-wired homelab is all ok; the seed deployment's failures (Shokofin's SignalR off, a library
 * mapped to ManagedFolderId 0) are problems with the exact fix; no Webhook plugin is a warning that verification
 * relies on polling; a refused key is a problem and Jellyfin down is unknown.
 */
@QuarkusTest
@TestProfile(JellyfinDoctorChecksTest.Homelab.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
@WithTestResource(value = FakeShokoHub.class)
@TestSecurity(user = "jf-admin", roles = { "user", "admin" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JellyfinDoctorChecksTest {

    /** The tracker's address, Shoko's folders as Sonarr and Radarr see them; no scheduled doctor run in the way. */
    public static class Homelab implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Jellyfin verification on as in production (its first cycle far away), so that without the webhook
            // the tracker polls.
            return Map.of("tracker.public-url", "http://status-tracker:8000", "tracker.doctor.delay", "1h",
                    "tracker.verification.enabled", "true", "tracker.verification.delay", "1h",
                    "tracker.verification.every", "30s",
                    "tracker.shoko.path-map", "/mnt/anime-movies=/data/media/anime-movies,/mnt/anime=/data/media/anime");
        }
    }

    static final String URL = "http://status-tracker:8000";

    @BeforeEach
    void clean() {
        FakeMediaServer.reset();
        FakeShokoHub hub = FakeShokoHub.hub();
        hub.resetLibrary();
        hub.importFolder(1, "/mnt/anime-movies");
        hub.importFolder(2, "/mnt/anime");
        FakeArr.SONARR.rootFolder(1, "/data/media/anime");
        FakeArr.RADARR.rootFolder(1, "/data/media/anime-movies");
    }

    @Test
    @Order(1)
    void aWellWiredJellyfinWithShokofinAndShokoIsAllOk() {
        FakeMediaServer.wellWiredJellyfin(URL, 2, 1);
        JsonPath report = run();
        for (String id : new String[] { "jellyfin.api-key", "jellyfin.webhook-plugin", "jellyfin.shokofin-signalr",
                "jellyfin.shokofin-libraries", "shoko.import-folders" }) {
            assertEquals("ok", check(report, id, "result"), id + ": " + check(report, id, "found"));
        }
        assertThat(check(report, "jellyfin.api-key", "found"),
                containsString("Jellyfin \"fake-jellyfin\" 10.10.7 answers with the key"));
        assertThat(check(report, "jellyfin.webhook-plugin", "found"), containsString(
                "Destination \"status-tracker\" → http://status-tracker:8000/hooks/jellyfin sends Item Added"));
        assertThat(check(report, "jellyfin.shokofin-libraries", "found"), containsString(
                "\"Anime Shows\" (media folder /media/anime) → Shoko import folder 2 (/mnt/anime)"));
    }

    @Test
    @Order(2)
    void shokofinsSignalRTurnedOffIsAProblemWithTheFix() {
        FakeMediaServer.wellWiredJellyfin(URL, 2, 1);
        FakeMediaServer.pluginConfiguration(FakeMediaServer.SHOKOFIN_PLUGIN_ID).put("SignalR_AutoConnectEnabled",
                false);
        JsonPath report = run();
        assertEquals("problem", check(report, "jellyfin.shokofin-signalr", "result"));
        assertThat(check(report, "jellyfin.shokofin-signalr", "found"), containsString(
                "Shokofin's SignalR connection to Shoko is off (\"Auto Connect on Start\" is not ticked)"));
        assertThat(check(report, "jellyfin.shokofin-signalr", "why"), containsString(
                "its virtual file system is not regenerated when Shoko matches a file"));
        assertThat(check(report, "jellyfin.shokofin-signalr", "fix"), containsString(
                "Jellyfin → Dashboard → Plugins → Shokofin → SignalR: tick \"Auto Connect on Start\", Save, then press"
                        + " Connect"));
        assertEquals("ok", check(report, "jellyfin.shokofin-libraries", "result"));
    }

    @Test
    @Order(3)
    void aLibraryMappedToNoShokoFolderIsAProblemNamingItAndNoSecretLeaves() {
        FakeMediaServer.wellWiredJellyfin(URL, 0, 1);
        JsonPath report = run();
        assertEquals("problem", check(report, "jellyfin.shokofin-libraries", "result"));
        assertThat(check(report, "jellyfin.shokofin-libraries", "found"), containsString(
                "\"Anime Shows\" (media folder /media/anime) is mapped to no Shoko import folder (ManagedFolderId 0)"));
        assertThat(check(report, "jellyfin.shokofin-libraries", "why"),
                containsString("Unable to create a file checker because the folder is empty"));
        assertThat(check(report, "jellyfin.shokofin-libraries", "fix"), containsString(
                "Jellyfin → Dashboard → Plugins → Shokofin → Library: select \"Anime Shows\" (its Import Folder"
                        + " Mapping reads \"/media/anime | Not Mapped\"; it cannot be edited) and remove the library's"
                        + " settings there, so that Shokofin maps it again at the next library scan (it should become"
                        + " Shoko's import folder 2 \"folder 2\", /mnt/anime)"));
        assertEquals("ok", check(report, "jellyfin.shokofin-signalr", "result"));

        // Shokofin's settings hold Shoko's password and key: none of it may reach a finding.
        String all = given().get("/api/doctor").asString();
        for (String secret : new String[] { FakeMediaServer.SHOKOFIN_API_KEY, FakeMediaServer.SHOKOFIN_PASSWORD,
                FakeMediaServer.JELLYFIN_KEY, FakeShokoHub.KEY, FakeMediaServer.SONARR_KEY,
                FakeMediaServer.RADARR_KEY }) {
            assertFalse(all.contains(secret), secret);
        }
    }

    @Test
    @Order(4)
    void aLibraryMappedToAFolderShokoDoesNotHaveIsAProblem() {
        FakeMediaServer.wellWiredJellyfin(URL, 2, 7);
        JsonPath report = run();
        assertEquals("problem", check(report, "jellyfin.shokofin-libraries", "result"));
        assertThat(check(report, "jellyfin.shokofin-libraries", "found"), containsString(
                "\"Anime Movies\" (media folder /media/anime-movies) is mapped to Shoko import folder 7, which Shoko"
                        + " does not have"));
        assertThat(check(report, "jellyfin.shokofin-libraries", "found"),
                containsString("Shoko's import folders: 1 /mnt/anime-movies, 2 /mnt/anime."));
    }

    @Test
    @Order(5)
    void noWebhookPluginIsAWarningThatVerificationReliesOnPolling() {
        // Shokofin, but no Webhook plugin
        FakeMediaServer.plugin(FakeMediaServer.SHOKOFIN_PLUGIN_ID, "Shoko", "5.0.4.0", "Active",
                FakeMediaServer.shokofinConfiguration(true,
                        new Object[] { FakeMediaServer.ANIME_SHOWS_ID, "Anime Shows", "/media/anime", 2 }));
        JsonPath report = run();
        assertEquals("warning", check(report, "jellyfin.webhook-plugin", "result"));
        assertThat(check(report, "jellyfin.webhook-plugin", "found"),
                containsString("The Webhook plugin is not installed"));
        assertThat(check(report, "jellyfin.webhook-plugin", "why"), containsString(
                "only from its scheduled check of Jellyfin (ENABLE_JELLYFIN_VERIFICATION, every VERIFY_EVERY = 30s)"));
        assertThat(check(report, "jellyfin.webhook-plugin", "why"), containsString("verification then relies on polling"));
        assertThat(check(report, "jellyfin.webhook-plugin", "fix"), containsString(
                "Jellyfin → Dashboard → Plugins → Webhook → Add Generic Destination: Webhook Name \"status-tracker\","
                        + " Webhook Url http://status-tracker:8000/hooks/jellyfin, tick Enable, Notification Type"
                        + " \"Item Added\", Item Type Movies, Episodes and Series, tick \"Send All Properties\""));
    }

    @Test
    @Order(6)
    void aWebhookDestinationThatSendsNoItemAddedIsAProblem() {
        FakeMediaServer.wellWiredJellyfin(URL, 2, 1);
        ObjectNode destination = (ObjectNode) FakeMediaServer.pluginConfiguration(FakeMediaServer.WEBHOOK_PLUGIN_ID)
                .get("GenericOptions").get(0);
        destination.put("EnableWebhook", false).put("EnableEpisodes", false);
        destination.putArray("NotificationTypes").add("PlaybackStart");
        JsonPath report = run();
        assertEquals("problem", check(report, "jellyfin.webhook-plugin", "result"));
        assertThat(check(report, "jellyfin.webhook-plugin", "found"), containsString(
                "Destination \"status-tracker\" → http://status-tracker:8000/hooks/jellyfin: the destination is"
                        + " disabled; Item Added is not among its notification types; item type Episodes not ticked"));
        assertThat(check(report, "jellyfin.webhook-plugin", "fix"), containsString(
                "Jellyfin → Dashboard → Plugins → Webhook → \"status-tracker\": tick Enable, Notification Type"
                        + " \"Item Added\", Item Type Episodes. Save."));
    }

    @Test
    @Order(7)
    void aRefusedKeyIsAProblem() {
        FakeMediaServer.wellWiredJellyfin(URL, 2, 1);
        FakeMediaServer.jellyfinKeyRevoked();
        JsonPath report = run();
        assertEquals("problem", check(report, "jellyfin.api-key", "result"));
        assertThat(check(report, "jellyfin.api-key", "found"),
                containsString("Jellyfin refuses the tracker's key (HTTP 401 on /System/Info)"));
        assertThat(check(report, "jellyfin.api-key", "fix"), containsString(
                "Jellyfin → Dashboard → API Keys → + → App name \"status-tracker\"; put the new key in"
                        + " JELLYFIN_API_KEY"));
        assertEquals("unknown", check(report, "jellyfin.webhook-plugin", "result"));
        assertThat(check(report, "jellyfin.webhook-plugin", "found"), containsString("HTTP 401"));
    }

    @Test
    @Order(100) // last: the outage opens Jellyfin's circuit breaker for a moment
    void jellyfinDownIsUnknownWithoutHoldingShokoUp() {
        FakeMediaServer.wellWiredJellyfin(URL, 2, 1);
        FakeMediaServer.jellyfinDown();
        JsonPath report = run();
        for (String id : new String[] { "jellyfin.api-key", "jellyfin.webhook-plugin", "jellyfin.shokofin-signalr",
                "jellyfin.shokofin-libraries" }) {
            assertEquals("unknown", check(report, id, "result"), id + ": " + check(report, id, "found"));
        }
        assertThat(check(report, "jellyfin.api-key", "found"), containsString("jellyfin could not be asked"));
        assertThat(check(report, "jellyfin.api-key", "fix"), containsString("Check that jellyfin is up"));
        assertEquals("ok", check(report, "shoko.import-folders", "result"));
    }
}
