package app.statustracker.client;

import java.time.LocalDate;

/**
 * One episode as Sonarr's {@code GET /api/v3/episode} lists it.
 *
 * @param airDate {@code airDate}, else the date part of {@code airDateUtc}; null when Sonarr knows neither
 */
public record SonarrEpisode(long id, int seasonNumber, int episodeNumber, String title, LocalDate airDate,
        boolean monitored, boolean hasFile) {
}
