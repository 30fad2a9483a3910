package app.statustracker.ingest;

import java.util.List;

/**
 * Descriptive facts an input carries about the media; used to create a request or fill in what it lacks.
 *
 * @param isAnime        the upstream's anime signal (Sonarr series type, Radarr tag or anime folder); null when it
 *                       gives none. A non-null value replaces the request's.
 * @param finalPath      where the import put the file (movie) or the season folder (TV); replaces the request's
 * @param downloadPath   where qBittorrent put the download
 * @param totalEpisodes  how many episodes the request expects, when the input knows
 * @param release        release details; replace the request's when present
 * @param alternateTitles other titles of the media (Sonarr's and Radarr's alternate titles); added to the request's
 */
public record MediaFacts(String title, Integer year, String posterUrl, String overview, String requestedBy,
        List<Integer> requestedSeasons, Boolean isAnime, String finalPath, String downloadPath, Integer totalEpisodes,
        ReleaseFacts release, List<String> alternateTitles) {

    public MediaFacts(String title, Integer year, String posterUrl, String overview, String requestedBy,
            List<Integer> requestedSeasons, Boolean isAnime, String finalPath, String downloadPath,
            Integer totalEpisodes, ReleaseFacts release) {
        this(title, year, posterUrl, overview, requestedBy, requestedSeasons, isAnime, finalPath, downloadPath,
                totalEpisodes, release, List.of());
    }

    public MediaFacts withAlternateTitles(List<String> titles) {
        return new MediaFacts(title, year, posterUrl, overview, requestedBy, requestedSeasons, isAnime, finalPath,
                downloadPath, totalEpisodes, release, titles);
    }

    public MediaFacts(String title, Integer year, String posterUrl, String overview, String requestedBy,
            List<Integer> requestedSeasons) {
        this(title, year, posterUrl, overview, requestedBy, requestedSeasons, null, null, null, null, null);
    }

    public static MediaFacts none() {
        return new MediaFacts(null, null, null, null, null, List.of());
    }
}
