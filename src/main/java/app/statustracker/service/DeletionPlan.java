package app.statustracker.service;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import app.statustracker.DeletionLog;
import app.statustracker.DeletionStep;
import app.statustracker.DeletionStep.Service;
import app.statustracker.DeletionStep.Status;
import app.statustracker.MediaType;

/**
 * What a deletion does with each service, decided from the snapshot alone. Pure: decides, never writes or calls.
 *
 * <p>Services are asked in {@link Service} order: Sonarr/Radarr first, so that they stop tracking the media and do
 * not search for it again when its torrent disappears; then qBittorrent (the torrent, with its data when files are
 * deleted: a torrent left behind would complete a re-request at once); then Shoko and Jellyfin, which only need to
 * notice the files are gone; Jellyseerr last, so that it stops showing the media as available.
 */
public final class DeletionPlan {

    /** What happens to one service, and why. */
    public record Decision(Service service, Status status, String details) {
    }

    static final String SYNC_OFF = "Deletion sync is off (ENABLE_DELETION_SYNC)";
    static final String LEFT_ALONE = "Deleted outside the tracker; other services left as they are";

    private DeletionPlan() {
    }

    /** Each service's first status: pending (will be asked), not_applicable or not_needed, with the reason. */
    public static List<Decision> initial(DeletionLog log) {
        List<Decision> plan = new ArrayList<>();
        String files = log.deleteFiles ? " (files too)" : " (files kept)";
        boolean tv = log.mediaType == MediaType.TV;
        plan.add(!tv ? new Decision(Service.SONARR, Status.NOT_APPLICABLE, "Movies are not in Sonarr")
                : log.sonarrId == null ? new Decision(Service.SONARR, Status.NOT_NEEDED, "No Sonarr id known")
                        : new Decision(Service.SONARR, Status.PENDING, "Delete series " + log.sonarrId + files));
        plan.add(tv ? new Decision(Service.RADARR, Status.NOT_APPLICABLE, "Series are not in Radarr")
                : log.radarrId == null ? new Decision(Service.RADARR, Status.NOT_NEEDED, "No Radarr id known")
                        : new Decision(Service.RADARR, Status.PENDING, "Delete movie " + log.radarrId + files));
        int torrents = log.hashes().size();
        plan.add(torrents == 0 ? new Decision(Service.QBITTORRENT, Status.NOT_NEEDED, "No torrent known")
                : new Decision(Service.QBITTORRENT, Status.PENDING, "Remove " + torrents
                        + (torrents == 1 ? " torrent" : " torrents")
                        + (!log.deleteFiles ? ", keeping the data" : torrents == 1 ? " with its data"
                                : " with their data")));
        plan.add(!Boolean.TRUE.equals(log.isAnime)
                ? new Decision(Service.SHOKO, Status.NOT_APPLICABLE, "Not anime: Shoko does not manage it")
                : new Decision(Service.SHOKO, Status.PENDING, "Remove the deleted files from Shoko"));
        plan.add(new Decision(Service.JELLYFIN, Status.PENDING, "Rescan the library so Jellyfin drops the files"));
        plan.add(log.jellyseerrId == null && log.tmdbId == null
                ? new Decision(Service.JELLYSEERR, Status.NOT_NEEDED, "No Jellyseerr request or TMDB id known")
                : new Decision(Service.JELLYSEERR, Status.PENDING, log.jellyseerrId != null
                        ? "Delete request " + log.jellyseerrId + " and the media entry"
                        : "Delete the media entry of TMDB " + log.tmdbId));
        return plan;
    }

    /**
     * Why a pending service is not asked after all; null when it is. Checked when its turn comes (the setting or
     * the configuration may have changed for a retry).
     */
    public static String skipReason(Service service, DeletionLog log, boolean syncEnabled, boolean configured) {
        if (!syncEnabled) {
            return SYNC_OFF;
        }
        if (!log.deleteFiles && (service == Service.SHOKO || service == Service.JELLYFIN)) {
            return "Files kept: " + service.label() + " unchanged";
        }
        if (!configured) {
            return service.label() + " is not configured";
        }
        return null;
    }

    /**
     * Why a service must be left alone because another request still uses what it would delete (rows of
     * {@code MediaRequestRepository#sharing}); null when nothing is shared. Sonarr/Radarr keep a series or movie another
     * request tracks (season 2 of the same show), qBittorrent a torrent another request follows, Jellyseerr the media
     * entry of media another request is for (its request is still deleted).
     */
    public static String sharedReason(Service service, List<Object[]> sharers) {
        int column = switch (service) {
            case SONARR, RADARR -> 2;
            case JELLYSEERR -> 3;
            case QBITTORRENT -> 4;
            default -> -1;
        };
        if (column < 0) {
            return null;
        }
        for (Object[] row : sharers) {
            if (Boolean.TRUE.equals(row[column])) {
                String other = "request #" + row[0] + " (" + row[1] + ")";
                return switch (service) {
                    case QBITTORRENT -> "Left in qBittorrent: " + other + " follows the same torrent";
                    case JELLYSEERR -> "The media entry stays in Jellyseerr: " + other + " is for the same media";
                    default -> "Left in " + service.label() + ": " + other + " is tracked there too";
                };
            }
        }
        return null;
    }

    /**
     * A deletion made in Sonarr or Radarr: recorded, not propagated. The source service is done; the others are left
     * as they are.
     */
    public static List<Decision> external(DeletionLog.Source source, boolean deletedFiles) {
        Service origin = source == DeletionLog.Source.SONARR ? Service.SONARR : Service.RADARR;
        List<Decision> plan = new ArrayList<>();
        for (Service service : Service.values()) {
            plan.add(service == origin
                    ? new Decision(service, Status.DONE, "Deleted in " + origin.label()
                            + (deletedFiles ? ", files deleted" : ", files kept"))
                    : new Decision(service, Status.SKIPPED, LEFT_ALONE));
        }
        return plan;
    }

    /** The latest row of each service, in service order. Rows must be in the order they were written. */
    public static Map<Service, DeletionStep> latest(List<DeletionStep> rows) {
        Map<Service, DeletionStep> byService = new EnumMap<>(Service.class);
        for (DeletionStep row : rows) {
            byService.put(row.service, row);
        }
        return new LinkedHashMap<>(byService); // EnumMap iterates in service order
    }

    /** In progress while a service is pending or running; else incomplete if one failed; else complete. */
    public static DeletionLog.Status statusOf(List<DeletionStep> rows) {
        Map<Service, DeletionStep> latest = latest(rows);
        if (latest.values().stream().anyMatch(s -> s.status.open())) {
            return DeletionLog.Status.IN_PROGRESS;
        }
        return latest.values().stream().anyMatch(s -> s.status == Status.FAILED) ? DeletionLog.Status.INCOMPLETE
                : DeletionLog.Status.COMPLETE;
    }

    /** The services whose latest status is failed, in service order. */
    public static List<Service> failed(List<DeletionStep> rows) {
        return latest(rows).values().stream().filter(s -> s.status == Status.FAILED).map(s -> s.service).toList();
    }
}
