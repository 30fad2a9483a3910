package app.statustracker.health;

import static app.statustracker.health.DoctorReports.run;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.FakeShokoHub;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;

/**
 * The setup doctor's Shoko check (issue 8): Shoko's import folders (its v3 ImportFolder shape) against Sonarr's and
 * Radarr's root folders, through SHOKO_PATH_MAP ({@code /mnt/anime-movies=/data/media/anime-movies,
 * /mnt/anime=/data/media/anime}), the folder as is and MEDIA_PATH_PREFIX, as ShokoIntake correlates paths.
 */
@QuarkusTest
@TestProfile(JellyfinDoctorChecksTest.Homelab.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
@WithTestResource(value = FakeShokoHub.class)
@TestSecurity(user = "jf-admin", roles = { "user", "admin" })
class ShokoDoctorChecksTest {

    FakeShokoHub hub;

    @BeforeEach
    void clean() {
        FakeMediaServer.reset();
        hub = FakeShokoHub.hub();
        hub.resetLibrary();
    }

    private static String check(JsonPath report, String field) {
        return report.getString("checks.find { it.id == 'shoko.import-folders' }." + field);
    }

    @Test
    void foldersThatLeadIntoTheRootFoldersAreOk() {
        hub.importFolder(1, "/mnt/anime-movies");
        hub.importFolder(2, "/mnt/anime");
        hub.importFolder(3, "/data/downloads/anime", "Source"); // a drop source: files leave it
        FakeArr.SONARR.rootFolder(1, "/data/media/anime");
        FakeArr.RADARR.rootFolder(1, "/data/media/anime-movies");
        JsonPath report = run();
        assertEquals("ok", check(report, "result"), check(report, "found"));
        assertThat(check(report, "found"), containsString("/mnt/anime → /data/media/anime (SHOKO_PATH_MAP) is"
                + " Sonarr's root folder /data/media/anime"));
        assertThat(check(report, "found"), containsString("/mnt/anime-movies → /data/media/anime-movies"
                + " (SHOKO_PATH_MAP) is Radarr's root folder /data/media/anime-movies"));
        assertThat(check(report, "found"), containsString("drop sources not compared: /data/downloads/anime"));
    }

    @Test
    void aFolderNoRootFolderHoldsIsAWarningWithTheMapToSet() {
        hub.importFolder(1, "/mnt/anime-movies");
        hub.importFolder(2, "/mnt/anime");
        hub.importFolder(3, "/srv/shoko/tv-anime");
        FakeArr.SONARR.rootFolder(1, "/data/media/anime");
        FakeArr.SONARR.rootFolder(2, "/data/media/tv-anime");
        FakeArr.RADARR.rootFolder(1, "/data/media/anime-movies");
        JsonPath report = run();
        assertEquals("warning", check(report, "result"));
        assertThat(check(report, "found"), containsString("Shoko's import folder /srv/shoko/tv-anime leads into no"
                + " Sonarr or Radarr root folder (Sonarr /data/media/anime, Sonarr /data/media/tv-anime, Radarr"
                + " /data/media/anime-movies) with SHOKO_PATH_MAP, as is or with MEDIA_PATH_PREFIX=/data"));
        assertThat(check(report, "why"), containsString("falls back to the file name alone"));
        assertThat(check(report, "fix"), containsString("Set SHOKO_PATH_MAP=/mnt/anime-movies=/data/media/anime-movies,"
                + "/mnt/anime=/data/media/anime,/srv/shoko/tv-anime=/data/media/tv-anime (each Shoko folder = the same"
                + " folder as Sonarr and Radarr see it), then restart the tracker."));
    }

    @Test
    void shokoWithoutImportFoldersIsAProblem() {
        FakeArr.SONARR.rootFolder(1, "/data/media/anime");
        JsonPath report = run();
        assertEquals("problem", check(report, "result"));
        assertThat(check(report, "found"), containsString("Shoko has no import folders"));
        assertThat(check(report, "fix"), containsString("Shoko → Settings → Import Folders → Add: the folder where"
                + " Sonarr and Radarr put anime (their root folders: /data/media/anime)"));
    }

    @Test
    void withoutRootFoldersNothingCanBeCompared() {
        hub.importFolder(2, "/mnt/anime");
        JsonPath report = run();
        assertEquals("unknown", check(report, "result"));
        assertThat(check(report, "found"), containsString("Shoko answers with 1 import folder (/mnt/anime), but no"
                + " Sonarr or Radarr root folder was read to compare them with (Sonarr has no root folders; Radarr has"
                + " no root folders)"));
    }
}
