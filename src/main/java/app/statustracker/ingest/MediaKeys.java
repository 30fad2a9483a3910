package app.statustracker.ingest;

import app.statustracker.MediaType;

/**
 * The correlation keys an input carries. Any of them may be null. Hashes are lower-case (Sonarr/Radarr send them
 * upper-case, qBittorrent lower-case).
 */
public record MediaKeys(MediaType mediaType, Long tmdbId, Long tvdbId, String imdbId, Long jellyseerrId,
        String downloadHash, boolean is4k) {

    public static MediaKeys none() {
        return new MediaKeys(null, null, null, null, null, null, false);
    }

    public boolean isEmpty() {
        return tmdbId == null && tvdbId == null && imdbId == null && jellyseerrId == null && downloadHash == null;
    }
}
