package app.statustracker.ingest;

import java.util.Locale;

import app.statustracker.MediaType;

/**
 * The correlation keys an input carries. Any of them may be null. Hashes are lower-case (Sonarr/Radarr send them
 * upper-case, qBittorrent lower-case); Jellyfin ids are lower-case without dashes (the webhook plugin's templates
 * render them with dashes, its JSON mode and the REST API without).
 *
 * @param sonarrId   Sonarr's series id
 * @param radarrId   Radarr's movie id
 * @param jellyfinId the Jellyfin item id of the movie or series
 * @param requestId  this tracker's own request id: only the tracker's own checks know it (a time-out names the
 *                   request it found stuck)
 */
public record MediaKeys(MediaType mediaType, Long tmdbId, Long tvdbId, String imdbId, Long jellyseerrId,
        String downloadHash, boolean is4k, Long sonarrId, Long radarrId, String jellyfinId, Long requestId) {

    public MediaKeys(MediaType mediaType, Long tmdbId, Long tvdbId, String imdbId, Long jellyseerrId,
            String downloadHash, boolean is4k, Long sonarrId, Long radarrId, String jellyfinId) {
        this(mediaType, tmdbId, tvdbId, imdbId, jellyseerrId, downloadHash, is4k, sonarrId, radarrId, jellyfinId, null);
    }

    public MediaKeys(MediaType mediaType, Long tmdbId, Long tvdbId, String imdbId, Long jellyseerrId,
            String downloadHash, boolean is4k) {
        this(mediaType, tmdbId, tvdbId, imdbId, jellyseerrId, downloadHash, is4k, null, null, null);
    }

    /** The request itself, as the tracker's own checks name it. */
    public static MediaKeys ofRequest(long requestId, MediaType mediaType) {
        return new MediaKeys(mediaType, null, null, null, null, null, false, null, null, null, requestId);
    }

    /** These keys, naming the tracker's own request too (an answer to the tracker's own question about it). */
    public MediaKeys withRequestId(Long id) {
        return new MediaKeys(mediaType, tmdbId, tvdbId, imdbId, jellyseerrId, downloadHash, is4k, sonarrId, radarrId,
                jellyfinId, id);
    }

    public static MediaKeys none() {
        return new MediaKeys(null, null, null, null, null, null, false);
    }

    public boolean isEmpty() {
        return tmdbId == null && tvdbId == null && imdbId == null && jellyseerrId == null && downloadHash == null
                && sonarrId == null && radarrId == null && jellyfinId == null && requestId == null;
    }

    /** Jellyfin GUIDs compare without dashes, lower-case. */
    public static String jellyfinId(String raw) {
        if (raw == null) {
            return null;
        }
        String id = raw.replace("-", "").trim().toLowerCase(Locale.ROOT);
        return id.isEmpty() || id.length() > 64 ? null : id;
    }
}
