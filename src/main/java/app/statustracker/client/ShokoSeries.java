package app.statustracker.client;

import java.util.List;

/**
 * A Shoko series ({@code GET /api/v3/Series/{id}}) with the ids of its {@code IDs} object.
 *
 * @param id           Shoko series id
 * @param name         its name; null when not given
 * @param anidbId      AniDB anime id; null when not given
 * @param tvdbIds      TvDB show ids, never null
 * @param tmdbMovieIds TMDB movie ids ({@code IDs.TMDB.Movie}), never null
 * @param tmdbShowIds  TMDB show ids ({@code IDs.TMDB.Show}), never null
 */
public record ShokoSeries(long id, String name, Long anidbId, List<Long> tvdbIds, List<Long> tmdbMovieIds,
        List<Long> tmdbShowIds) {

    public ShokoSeries {
        tvdbIds = tvdbIds == null ? List.of() : List.copyOf(tvdbIds);
        tmdbMovieIds = tmdbMovieIds == null ? List.of() : List.copyOf(tmdbMovieIds);
        tmdbShowIds = tmdbShowIds == null ? List.of() : List.copyOf(tmdbShowIds);
    }
}
