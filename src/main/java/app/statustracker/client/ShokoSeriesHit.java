package app.statustracker.client;

/**
 * One result of Shoko's series search ({@code GET /api/v3/Series/Search}).
 *
 * @param id   Shoko series id
 * @param name the series' name as Shoko shows it
 */
public record ShokoSeriesHit(long id, String name) {
}
