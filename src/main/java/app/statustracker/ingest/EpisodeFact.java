package app.statustracker.ingest;

import java.time.LocalDate;

/**
 * One episode an input talks about. Season and episode numbers identify it within its request; the other fields
 * are filled in where the upstream knows them.
 *
 * @param sonarrEpisodeId Sonarr's episode id
 * @param tvdbId          the episode's own TVDB id (Sonarr {@code episodes[].tvdbId}, Jellyfin {@code Provider_tvdb}
 *                        on an Episode item)
 * @param airDate         first air date, when known
 * @param finalPath       the imported file, for imports
 * @param jellyfinId      the Jellyfin item id of the episode
 */
public record EpisodeFact(int season, int episode, String title, Long sonarrEpisodeId, Long tvdbId,
        LocalDate airDate, String finalPath, String jellyfinId) {

    public EpisodeFact withFinalPath(String path) {
        return new EpisodeFact(season, episode, title, sonarrEpisodeId, tvdbId, airDate, path, jellyfinId);
    }

    public String label() {
        return String.format(java.util.Locale.ROOT, "S%02dE%02d", season, episode);
    }
}
