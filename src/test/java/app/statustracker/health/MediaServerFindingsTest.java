package app.statustracker.health;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.client.ShokoClient.ImportFolder;
import app.statustracker.health.DoctorCheck.Result;

/** The judgements alone, on the older configuration shapes the Quarkus tests do not use. */
class MediaServerFindingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    /** Shokofin 4.x: one MediaFolders entry per media folder, the Shoko folder as ImportFolderId. */
    @Test
    void olderShokofinWithImportFolderIdZeroIsAProblem() throws Exception {
        JsonNode config = json("""
                {"Username":"Default","ApiKey":"old-shokofin-key-99","SignalR_AutoConnectEnabled":true,
                 "SignalR_FileEvents":false,
                 "MediaFolders":[{"LibraryId":"29391378-c411-8b35-b77f-84980d25f0a6","LibraryName":"Anime Shows",
                   "MediaFolderId":"11111111111111111111111111111111","MediaFolderPath":"/media/anime",
                   "ImportFolderId":0,"ImportFolderName":null,"ImportFolderRelativePath":"","IsMapped":false,
                   "IsFileEventsEnabled":true,"IsRefreshEventsEnabled":true,"IsVirtualFileSystemEnabled":true,
                   "LibraryFilteringMode":"Auto"}]}""");
        JsonNode plugin = json("{\"Name\":\"Shoko\",\"Version\":\"4.2.2.0\",\"Id\":\"5216ccbfd24a4eb38a7e7da4230b7052\","
                + "\"Status\":\"Active\"}");
        DoctorCheck check = MediaServerFindings.shokofinLibraries(plugin, config, List.of(),
                List.of(new ImportFolder(2, "anime", "/mnt/anime", "None")), null);
        assertEquals(Result.PROBLEM, check.result());
        assertThat(check.found(), containsString("\"Anime Shows\" (media folder /media/anime) is mapped to no Shoko"
                + " import folder (ManagedFolderId 0)"));
        assertThat(check.fix(), containsString("(it should become Shoko's import folder 2 \"anime\", /mnt/anime)"));
        assertThat(check.found() + check.why() + check.fix(), not(containsString("old-shokofin-key-99")));
        // the per-folder file events count, not the default for new folders
        assertEquals(Result.OK, MediaServerFindings.shokofinSignalR(plugin, config, List.of()).result());
    }

    /** Shokofin 5.0: ManagedFolderId; negative ids are the VFS roots it adds itself; names from Jellyfin. */
    @Test
    void managedFolderIdsAndVfsRootsAreReadAndNamesComeFromJellyfin() throws Exception {
        JsonNode config = json("""
                {"SignalR_AutoConnectEnabled":true,
                 "MediaFolders":[
                  {"LibraryId":"abebc196cc1b8bbf6f8bb5ca7b5ad6f1","MediaFolderPath":"/media/anime-movies",
                   "ManagedFolderId":1,"IsFileEventsEnabled":false},
                  {"LibraryId":"abebc196cc1b8bbf6f8bb5ca7b5ad6f1","MediaFolderPath":"/config/vfs/x",
                   "ManagedFolderId":-1,"IsVirtualRoot":true}]}""");
        List<JsonNode> libraries = List.of(json("{\"Name\":\"Anime Movies\",\"Locations\":[\"/media/anime-movies\"],"
                + "\"CollectionType\":\"movies\",\"ItemId\":\"abebc196cc1b8bbf6f8bb5ca7b5ad6f1\"}"));
        JsonNode plugin = json("{\"Name\":\"Shoko\",\"Version\":\"5.0.0.0\",\"Status\":\"Active\"}");
        DoctorCheck libs = MediaServerFindings.shokofinLibraries(plugin, config, libraries, null,
                "Shoko is not configured in the tracker");
        assertEquals(Result.OK, libs.result(), libs.found());
        assertThat(libs.found(), containsString("\"Anime Movies\" (media folder /media/anime-movies) → Shoko import"
                + " folder 1 (not compared with Shoko's import folders: Shoko is not configured in the tracker)"));
        DoctorCheck signalR = MediaServerFindings.shokofinSignalR(plugin, config, libraries);
        assertEquals(Result.WARNING, signalR.result());
        assertThat(signalR.found(), containsString("File Events are off for \"Anime Movies\""));
    }

    /** A Generic Form destination posts a form, which the tracker refuses. */
    @Test
    void aGenericFormDestinationIsAProblem() throws Exception {
        JsonNode config = json("""
                {"ServerUrl":"","GenericOptions":[],"GenericFormOptions":[{"NotificationTypes":["ItemAdded"],
                 "WebhookName":"tracker","WebhookUri":"http://t:8000/hooks/jellyfin","EnableMovies":true,
                 "EnableEpisodes":true,"EnableWebhook":true,"Headers":[],"Fields":[]}]}""");
        DoctorCheck check = MediaServerFindings.webhookDestination(json("{\"Name\":\"Webhook\",\"Version\":\"17\"}"),
                config, "http://t:8000", false, new MediaServerFindings.Polling(true, "30s"));
        assertEquals(Result.PROBLEM, check.result());
        assertThat(check.found(), containsString("Generic Form destination, whose form posts the tracker refuses"));
    }

    /** With a webhook secret the destination must carry it, in a header or ?token=; numbers count as ItemAdded. */
    @Test
    void aDestinationWithoutTheSecretIsAProblem() throws Exception {
        JsonNode config = json("""
                {"GenericOptions":[{"NotificationTypes":[1],"WebhookName":"tracker",
                 "WebhookUri":"http://t:8000/hooks/jellyfin","EnableMovies":true,"EnableEpisodes":true,
                 "SendAllProperties":true,"Headers":[{"Key":"Content-Type","Value":"application/json"}]}]}""");
        DoctorCheck check = MediaServerFindings.webhookDestination(json("{\"Name\":\"Webhook\"}"), config,
                "http://t:8000", true, new MediaServerFindings.Polling(false, "30s"));
        assertEquals(Result.PROBLEM, check.result());
        assertThat(check.found(), containsString("WEBHOOK_SECRET is set but the destination sends no"
                + " X-Webhook-Secret header"));
        assertThat(check.why(), containsString("ENABLE_JELLYFIN_VERIFICATION is false"));
    }

    /** After an update Jellyfin lists both versions, the old one Superceded and first (it sorts by name only). */
    @Test
    void ofTheVersionsJellyfinListsThePluginThatRunsIsJudged() throws Exception {
        List<JsonNode> plugins = List.of(
                json("{\"Name\":\"Webhook\",\"Version\":\"17.0.0.0\",\"Id\":\"71552a5a5c5c4350a2aeebe451a30173\","
                        + "\"Status\":\"Superceded\"}"),
                json("{\"Name\":\"Webhook\",\"Version\":\"18.0.0.0\",\"Id\":\"71552a5a5c5c4350a2aeebe451a30173\","
                        + "\"Status\":\"Active\"}"));
        assertEquals("18.0.0.0", MediaServerFindings.plugin(plugins, "71552a5a5c5c4350a2aeebe451a30173", "Webhook")
                .path("Version").asText());
        // none running: the newest, so that the finding names the version that will run after a restart
        List<JsonNode> waiting = List.of(
                json("{\"Name\":\"Shoko\",\"Version\":\"5.0.10.0\",\"Id\":\"5216ccbfd24a4eb38a7e7da4230b7052\","
                        + "\"Status\":\"Disabled\"}"),
                json("{\"Name\":\"Shoko\",\"Version\":\"5.0.9.0\",\"Id\":\"5216ccbfd24a4eb38a7e7da4230b7052\","
                        + "\"Status\":\"Disabled\"}"));
        assertEquals("5.0.10.0", MediaServerFindings.plugin(waiting, "5216ccbfd24a4eb38a7e7da4230b7052", "Shoko")
                .path("Version").asText());
    }

    /** A destination URL carrying the secret (?token=, user:password@) is shown without it. */
    @Test
    void aSecretInTheWebhookDestinationsUrlIsNotRepeated() throws Exception {
        JsonNode plugin = json("{\"Name\":\"Webhook\",\"Version\":\"18.0.0.0\",\"Id\":\"71552a5a5c5c4350a2aeebe451a30173\","
                + "\"Status\":\"Active\"}");
        JsonNode config = app.statustracker.support.FakeMediaServer.webhookConfiguration(
                "http://hook:pa55-word-99@status-tracker:8000/hooks/jellyfin?token=S3CRET-jf");
        DoctorCheck check = MediaServerFindings.webhookDestination(plugin, config, "http://status-tracker:8000", false,
                new MediaServerFindings.Polling(true, "30s"));
        String all = check.found() + check.why() + check.fix();
        assertThat(all, not(containsString("S3CRET-jf")));
        assertThat(all, not(containsString("pa55-word-99")));
        assertThat(check.found(), containsString("http://status-tracker:8000/hooks/jellyfin?token=***"));
    }
}
