package app.statustracker.support;

/**
 * Paprika (2006) as a regular (not anime) movie, made from the real fixtures: the Jellyseerr request, Radarr's
 * events, Jellyfin's item. Shared by the flow and dashboard tests, so both follow the same movie.
 */
public final class Paprika {

    /** The torrent's info-hash as Radarr sends it (upper case). */
    public static final String HASH = "7E1B2C3D4E5F60718293A4B5C6D7E8F901234567";
    public static final String JELLYFIN_ITEM = "5d41402abc4b2a76b9719d911017c592";

    private Paprika() {
    }

    /** Jellyseerr's MEDIA_AUTO_APPROVED for request 301. */
    public static Payload request() {
        return Payload.of("protocol/jellyseerr-media-auto-approved.json")
                .set("subject", "Paprika (2006)").set("media.tmdbId", "4977").set("request.request_id", "301");
    }

    /** Turns a Radarr fixture (Perfect Blue, tagged anime) into Paprika, untagged in a regular folder. */
    public static Payload radarr(Payload radarr) {
        radarr.set("movie.id", 18).set("movie.title", "Paprika").set("movie.year", 2006).set("movie.tmdbId", 4977)
                .set("movie.imdbId", "tt0851578").set("movie.tags", new String[0])
                .set("movie.folderPath", "/data/media/movies/Paprika (2006)");
        if (radarr.has("remoteMovie")) {
            radarr.set("remoteMovie.tmdbId", 4977).set("remoteMovie.imdbId", "tt0851578").set("remoteMovie.title", "Paprika");
        }
        return radarr;
    }

    public static Payload grab() {
        return radarr(Payload.of("protocol/radarr-grab.json")).set("downloadId", HASH);
    }

    public static Payload imported() {
        return radarr(Payload.of("protocol/radarr-download.json")).set("downloadId", HASH)
                .set("movieFile.id", 901)
                .set("movieFile.relativePath", "Paprika (2006) [Bluray-1080p].mkv")
                .set("movieFile.path", "/data/media/movies/Paprika (2006)/Paprika (2006) [Bluray-1080p].mkv");
    }

    public static Payload inJellyfin() {
        return Payload.of("protocol/jellyfin-item-added-movie.json").set("Name", "Paprika").set("Year", 2006)
                .set("ItemId", JELLYFIN_ITEM).set("Provider_tmdb", "4977").set("Provider_imdb", "tt0851578");
    }
}
