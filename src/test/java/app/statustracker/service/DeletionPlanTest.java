package app.statustracker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import app.statustracker.DeletionLog;
import app.statustracker.DeletionStep;
import app.statustracker.DeletionStep.Service;
import app.statustracker.DeletionStep.Status;
import app.statustracker.Episode;
import app.statustracker.MediaRequest;
import app.statustracker.MediaType;

/** What a deletion decides for each service from the snapshot alone, and how the overall status follows. */
class DeletionPlanTest {

    private static DeletionLog log(MediaType type, Boolean anime, boolean deleteFiles) {
        DeletionLog log = new DeletionLog();
        log.mediaType = type;
        log.isAnime = anime;
        log.deleteFiles = deleteFiles;
        return log;
    }

    private static List<Status> statuses(List<DeletionPlan.Decision> plan) {
        return plan.stream().map(DeletionPlan.Decision::status).toList();
    }

    @Test
    void aMovieWithNoIdsKnownNeedsNothingButJellyfin() {
        List<DeletionPlan.Decision> plan = DeletionPlan.initial(log(MediaType.MOVIE, null, true));

        assertEquals(List.of(Service.values()), plan.stream().map(DeletionPlan.Decision::service).toList());
        assertEquals(List.of(Status.NOT_APPLICABLE, Status.NOT_NEEDED, Status.NOT_NEEDED, Status.NOT_APPLICABLE,
                Status.PENDING, Status.NOT_NEEDED), statuses(plan));
        assertEquals("No Radarr id known", plan.get(1).details());
        assertEquals("No torrent known", plan.get(2).details());
        assertEquals("Not anime: Shoko does not manage it", plan.get(3).details());
        assertEquals("No Jellyseerr request or TMDB id known", plan.get(5).details());
    }

    @Test
    void anAnimeSeriesWithEverythingKnownAsksEveryServiceButRadarr() {
        DeletionLog log = log(MediaType.TV, true, true);
        log.sonarrId = 42L;
        log.tmdbId = 209867L;
        log.downloadHashes = "aa,bb";

        List<DeletionPlan.Decision> plan = DeletionPlan.initial(log);

        assertEquals(List.of(Status.PENDING, Status.NOT_APPLICABLE, Status.PENDING, Status.PENDING, Status.PENDING,
                Status.PENDING), statuses(plan));
        assertEquals("Delete series 42 (files too)", plan.get(0).details());
        assertEquals("Remove 2 torrents with their data", plan.get(2).details());
        assertEquals("Delete the media entry of TMDB 209867", plan.get(5).details());
    }

    @Test
    void whyAPendingServiceIsNotAsked() {
        DeletionLog keep = log(MediaType.TV, true, false);
        assertEquals(DeletionPlan.SYNC_OFF, DeletionPlan.skipReason(Service.SONARR, keep, false, true));
        assertEquals("Files kept: Shoko unchanged", DeletionPlan.skipReason(Service.SHOKO, keep, true, true));
        assertEquals("Files kept: Jellyfin unchanged", DeletionPlan.skipReason(Service.JELLYFIN, keep, true, false));
        assertEquals("qBittorrent is not configured",
                DeletionPlan.skipReason(Service.QBITTORRENT, keep, true, false));
        assertNull(DeletionPlan.skipReason(Service.QBITTORRENT, keep, true, true), "torrents go, data stays");
        assertNull(DeletionPlan.skipReason(Service.SHOKO, log(MediaType.TV, true, true), true, true));
    }

    @Test
    void theLatestRowOfEachServiceDecidesTheStatus() {
        List<DeletionStep> rows = new java.util.ArrayList<>(List.of(
                DeletionRecords.step(1, Service.RADARR, Status.PENDING, null, null),
                DeletionRecords.step(1, Service.JELLYFIN, Status.PENDING, null, null),
                DeletionRecords.step(1, Service.RADARR, Status.RUNNING, null, null)));
        assertEquals(DeletionLog.Status.IN_PROGRESS, DeletionPlan.statusOf(rows));
        rows.add(DeletionRecords.step(1, Service.RADARR, Status.FAILED, null, "HTTP 500"));
        rows.add(DeletionRecords.step(1, Service.JELLYFIN, Status.DONE, null, null));
        assertEquals(DeletionLog.Status.INCOMPLETE, DeletionPlan.statusOf(rows));
        assertEquals(List.of(Service.RADARR), DeletionPlan.failed(rows));
        rows.add(DeletionRecords.step(1, Service.RADARR, Status.DONE, null, null));
        assertEquals(DeletionLog.Status.COMPLETE, DeletionPlan.statusOf(rows));
    }

    @Test
    void anExternalDeletionIsDoneAtItsSourceAndLeavesTheRestAlone() {
        List<DeletionPlan.Decision> plan = DeletionPlan.external(DeletionLog.Source.RADARR, false);

        assertEquals(List.of(Status.SKIPPED, Status.DONE, Status.SKIPPED, Status.SKIPPED, Status.SKIPPED,
                Status.SKIPPED), statuses(plan));
        assertEquals("Deleted in Radarr, files kept", plan.get(1).details());
        assertEquals(DeletionPlan.LEFT_ALONE, plan.get(0).details());
    }

    @Test
    void everyTorrentOfTheRequestAndItsEpisodesOnceLowerCase() {
        MediaRequest r = new MediaRequest();
        r.downloadHash = "AB12";
        Episode e1 = new Episode();
        e1.downloadHash = "ab12";
        Episode e2 = new Episode();
        e2.downloadHash = "CD34 ";
        Episode e3 = new Episode();

        assertEquals(List.of("ab12", "cd34"), DeletionRecords.hashes(r, List.of(e1, e2, e3)));
    }
}
