package app.statustracker.service;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import app.statustracker.Episode;
import app.statustracker.InboundEvent;
import app.statustracker.MediaRequest;
import app.statustracker.MediaType;
import app.statustracker.RequestState;
import app.statustracker.TimelineEvent;

/** Maps entities to the API's views, with the prototype's display formats (original-system.md Appendix B). */
public final class RequestViews {

    private RequestViews() {
    }

    public static RequestView of(MediaRequest r, List<Episode> episodes, boolean withEpisodeList) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Episode e : episodes) {
            counts.merge(e.state.value(), 1, Integer::sum);
        }
        return new RequestView(r.id, r.title, r.mediaType, r.state, r.state.label(), r.problemStage, r.is4k,
                r.jellyseerrId, r.tmdbId, r.tvdbId, r.imdbId, r.sonarrId, r.radarrId, r.isAnime, r.downloadProgress,
                r.downloadSpeedBps == null ? null : formatSpeed(r.downloadSpeedBps),
                r.downloadEtaSeconds == null ? null : formatEta(r.downloadEtaSeconds),
                r.quality, r.indexer, r.releaseGroup, r.fileSize, r.requestedBy, r.posterUrl, r.year, r.overview,
                r.season, seasons(r.requestedSeasons), r.totalEpisodes, counts,
                withEpisodeList ? episodes.stream().map(RequestViews::of).toList() : null,
                r.jellyfinId, nextStep(r), r.stuckReason, r.createdAt, r.updatedAt, r.stateChangedAt, r.availableAt);
    }

    public static EpisodeView of(Episode e) {
        return new EpisodeView(e.id, e.seasonNumber, e.episodeNumber, e.episodeTitle, e.state, e.downloadProgress,
                e.airDate, e.finalPath, e.jellyfinId);
    }

    public static TimelineView of(TimelineEvent t) {
        return new TimelineView(t.id, t.service, t.eventType, t.state, t.details, t.occurredAt);
    }

    public static InboundEventView of(InboundEvent e) {
        return new InboundEventView(e.id, e.source, e.eventType, e.receivedAt, e.outcome, e.outcomeReason,
                e.requestId, e.contentType, SecretMasker.mask(e.payload));
    }

    public static List<Integer> seasons(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
    }

    /** What the request waits for, and from which service. */
    public static String nextStep(MediaRequest r) {
        String arr = r.mediaType == MediaType.TV ? "Sonarr" : "Radarr";
        return switch (r.state) {
            case REQUESTED -> "Waiting for approval in Jellyseerr";
            case APPROVED -> "Waiting for " + arr + " to take the request";
            case SEARCHING -> arr + " is searching for a release";
            case GRABBING -> "Waiting for qBittorrent to start the download";
            case DOWNLOADING -> "Downloading in qBittorrent";
            case DOWNLOADED -> "Waiting for " + arr + " to import the files";
            case IMPORTING -> Boolean.TRUE.equals(r.isAnime) ? "Waiting for Shoko to match the files"
                    : "Waiting for Jellyfin to show a playable item";
            case ANIME_MATCHING -> "Waiting for Shokofin to show it in Jellyfin";
            case MATCH_FAILED -> "Link the files manually in Shoko";
            case FAILED, TIMEOUT -> "Retry it, or request it again in Jellyseerr";
            case AVAILABLE, REMOVED -> null;
        };
    }

    /** {@code 512 B/s}, {@code 1.5 KB/s}, {@code 5.2 MB/s}, {@code 1.25 GB/s} (1024-based). */
    public static String formatSpeed(long bytesPerSecond) {
        return formatSize(bytesPerSecond) + "/s";
    }

    public static String formatSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double kb = bytes / 1024.0;
        if (kb < 1024) {
            return String.format(Locale.ROOT, "%.1f KB", kb);
        }
        double mb = kb / 1024.0;
        if (mb < 1024) {
            return String.format(Locale.ROOT, "%.1f MB", mb);
        }
        return String.format(Locale.ROOT, "%.2f GB", mb / 1024.0);
    }

    /** qBittorrent's 8640000 (and anything negative) means "unknown". */
    public static String formatEta(long seconds) {
        if (seconds < 0 || seconds >= 8_640_000L) {
            return "Unknown";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + "m " + (seconds % 60) + "s";
        }
        if (seconds < 86400) {
            return (seconds / 3600) + "h " + (seconds % 3600 / 60) + "m";
        }
        return (seconds / 86400) + "d " + (seconds % 86400 / 3600) + "h";
    }

    /** Every state with its count, zero included. */
    public static Map<String, Long> allStates(Map<RequestState, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (RequestState s : RequestState.values()) {
            out.put(s.value(), counts.getOrDefault(s, 0L));
        }
        return out;
    }
}
