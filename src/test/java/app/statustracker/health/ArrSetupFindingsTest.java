package app.statustracker.health;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.health.DoctorCheck.Result;

/** {@link ArrSetupFindings}' judgements on their own: paths, qBittorrent's save path rules, long queues. */
class ArrSetupFindingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void insideMeansTheFolderItselfOrBelowItNotAFolderWithTheSamePrefix() {
        assertTrue(ArrSetupFindings.inside("/data/media/tv", "/data/media/tv/"));
        assertTrue(ArrSetupFindings.inside("/data/media/tv/downloads", "/data/media/tv"));
        assertFalse(ArrSetupFindings.inside("/data/media/tv-downloads", "/data/media/tv"));
        assertTrue(ArrSetupFindings.inside("D:\\Media\\TV\\dl", "d:/media/tv"));
    }

    @Test
    void qbittorrentsSavePathFollowsItsTorrentManagementMode() {
        JsonNode categories = json("{'radarr': {'name': 'radarr', 'savePath': ''},"
                + " 'tv-sonarr': {'name': 'tv-sonarr', 'savePath': 'tv'}}");
        JsonNode auto = json("{'save_path': '/data/downloads/', 'auto_tmm_enabled': true}");
        assertEquals("/data/downloads/radarr", ArrSetupFindings.savePath("radarr", categories, auto).path());
        assertEquals("/data/downloads/tv", ArrSetupFindings.savePath("tv-sonarr", categories, auto).path());
        assertEquals("/data/downloads/new", ArrSetupFindings.savePath("new", categories, auto).path());
        // Manual mode (qBittorrent's default): the category's path is not used at all
        ArrSetupFindings.SavePath manual = ArrSetupFindings.savePath("tv-sonarr", categories,
                json("{'save_path': '/data/media/tv', 'auto_tmm_enabled': false}"));
        assertEquals("/data/media/tv", manual.path());
        assertFalse(manual.fromCategory());
    }

    @Test
    void aRemotePathMappingIsAppliedBeforeComparingWithTheRootFolders() {
        List<JsonNode> mappings = List.of(json("{'host': 'qbittorrent', 'remotePath': '/downloads/',"
                + " 'localPath': '/data/media/movies/incoming/', 'id': 1}"));
        assertEquals("/data/media/movies/incoming/radarr", ArrSetupFindings.mapped("/downloads/radarr", "qbittorrent",
                mappings));
        assertEquals("/downloads/radarr", ArrSetupFindings.mapped("/downloads/radarr", "other-host", mappings));

        JsonNode client = json("{'enable': true, 'name': 'qBit', 'implementation': 'QBittorrent', 'fields': ["
                + "{'name': 'host', 'value': 'qbittorrent'}, {'name': 'movieCategory', 'value': 'radarr'}]}");
        DoctorCheck check = ArrSetupFindings.importPaths("radarr", "Radarr", List.of(), List.of(client),
                List.of(json("{'path': '/data/media/movies'}")), mappings, new ArrSetupFindings.Qbittorrent(
                        json("{'radarr': {'name': 'radarr', 'savePath': '/downloads/radarr'}}"),
                        json("{'save_path': '/downloads', 'auto_tmm_enabled': true}"), null));
        assertEquals(Result.PROBLEM, check.result());
        assertThat(check.found(), containsString("/downloads/radarr (Radarr sees /data/media/movies/incoming/radarr)"));
    }

    @Test
    void aDefaultSavePathInsideTheRootFolderIsFixedInQbittorrentsOptions() {
        JsonNode client = json("{'enable': true, 'name': 'qBittorrent', 'implementation': 'QBittorrent', 'fields': ["
                + "{'name': 'host', 'value': 'qbittorrent'}, {'name': 'tvCategory', 'value': 'tv-sonarr'}]}");
        DoctorCheck check = ArrSetupFindings.importPaths("sonarr", "Sonarr", List.of(), List.of(client),
                List.of(json("{'path': '/data/media/tv'}")), List.of(), new ArrSetupFindings.Qbittorrent(json("{}"),
                        json("{'save_path': '/data/media/tv', 'auto_tmm_enabled': false}"), null));
        assertEquals(Result.PROBLEM, check.result());
        assertThat(check.found(), containsString("which is Sonarr's root folder /data/media/tv"));
        assertThat(check.fix(), containsString("qBittorrent → Options → Downloads → Default Save Path: /data/downloads"
                + " (outside /data/media/tv)"));
    }

    @Test
    void qbittorrentThatCannotBeAskedIsSaidNotJudged() {
        JsonNode client = json("{'enable': true, 'name': 'qBittorrent', 'implementation': 'QBittorrent', 'fields': ["
                + "{'name': 'tvCategory', 'value': 'tv-sonarr'}]}");
        DoctorCheck check = ArrSetupFindings.importPaths("sonarr", "Sonarr", List.of(), List.of(client), List.of(),
                List.of(), new ArrSetupFindings.Qbittorrent(null, null, "no answer within 5000 ms"));
        assertEquals(Result.OK, check.result());
        assertThat(check.found(), containsString("qBittorrent could not be asked: no answer within 5000 ms"));
    }

    @Test
    void aLongQueueListsTenThenCountsTheRest() {
        List<JsonNode> queue = new ArrayList<>();
        for (int i = 1; i <= 13; i++) {
            queue.add(json("{'id': " + i + ", 'title': 'Show.S01E" + i + "', 'downloadId': 'H" + i + "',"
                    + " 'trackedDownloadState': 'importBlocked', 'statusMessages': [{'title': 'Show.S01E" + i + "',"
                    + " 'messages': ['Found matching series via grab history, but release was matched to series by"
                    + " ID. Automatic import is not possible. See the FAQ for details.']}]}"));
        }
        DoctorCheck check = ArrSetupFindings.queueStuck("sonarr", "Sonarr", queue);
        assertEquals(Result.PROBLEM, check.result());
        assertThat(check.found(), endsWith("; and 3 more"));
        assertThat(check.found(), containsString("13 download(s)"));
        assertThat(check.fix(), containsString("the release name does not match"));
    }

    @Test
    void anotherConnectionFailingIsNotTheTrackersProblem() {
        List<JsonNode> connections = List.of(json("{'name': 'status-tracker', 'implementation': 'Webhook', 'fields':"
                + " [{'name': 'url', 'value': 'http://t:8000/hooks/sonarr'}]}"));
        DoctorCheck other = ArrSetupFindings.webhookDelivery("sonarr", "Sonarr", List.of(json("{'source':"
                + " 'NotificationStatusCheck', 'type': 'warning', 'message': 'Notifications unavailable due to failures:"
                + " status-tracker-old'}")), connections, "http://t:8000");
        assertEquals(Result.OK, other.result());
        DoctorCheck ours = ArrSetupFindings.webhookDelivery("sonarr", "Sonarr", List.of(json("{'source':"
                + " 'NotificationStatusCheck', 'type': 'warning', 'message': 'Notifications unavailable due to failures:"
                + " Discord, status-tracker'}")), connections, "http://t:8000");
        assertEquals(Result.PROBLEM, ours.result());
    }
}
