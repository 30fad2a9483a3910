package app.statustracker.service;

import app.statustracker.MediaRequest;
import app.statustracker.MediaType;
import app.statustracker.ingest.DomainEvent.FollowUp;

/**
 * A question to another service that an event raised, with what the question needs to know about the request
 * (taken when the event was applied, so that asking needs no database read).
 *
 * @param requestId   the request, or 0 when the question is about an upstream item not placed yet
 * @param jellyfinId  a Jellyfin item id to start from (a series an episode webhook named), or null
 */
public record FollowUpJob(FollowUp kind, long requestId, MediaType mediaType, Long tmdbId, Long tvdbId,
        String imdbId, String title, Integer year, Long sonarrId, String requestedSeasons, Long jellyseerrId,
        boolean is4k, String jellyfinId, Long radarrId) {

    public static FollowUpJob of(FollowUp kind, MediaRequest r) {
        return new FollowUpJob(kind, r.id, r.mediaType, r.tmdbId, r.tvdbId, r.imdbId, r.title, r.year, r.sonarrId,
                r.requestedSeasons, r.jellyseerrId, r.is4k, r.jellyfinId, r.radarrId);
    }

    /** An episode webhook whose series no request knows yet: Jellyfin can tell the series' provider ids. */
    public static FollowUpJob forJellyfinSeries(String seriesItemId) {
        return new FollowUpJob(FollowUp.VERIFY_IN_JELLYFIN, 0, MediaType.TV, null, null, null, null, null, null,
                null, null, false, seriesItemId, null);
    }

    /** Identifies the question, to avoid asking the same one again and again. */
    public String key() {
        return kind + ":" + (requestId != 0 ? "r" + requestId : "j" + jellyfinId);
    }
}
