package app.statustracker.client;

import java.util.Map;

/**
 * The parts of a Jellyfin {@code BaseItemDto} the tracker uses.
 *
 * @param id               32 lower-case hex characters, no dashes
 * @param name             {@code Name}
 * @param type             {@code Type}: {@code Movie}, {@code Series}, {@code Episode}, ...
 * @param year             {@code ProductionYear}
 * @param providerIds      {@code ProviderIds} with lower-cased keys ({@code tmdb}, {@code tvdb}, {@code imdb}, ...);
 *                         empty, never null, when Jellyfin sent none
 * @param path             {@code Path} as seen inside the Jellyfin container
 * @param playable         not a virtual (missing) item and has a media source or a path; always false for series
 * @param seriesId         {@code SeriesId} of an episode, normalised like {@code id}
 * @param seasonNumber     {@code ParentIndexNumber} of an episode
 * @param episodeNumber    {@code IndexNumber} of an episode
 * @param episodeNumberEnd {@code IndexNumberEnd}: the last episode of a multi-episode file
 * @param originalTitle    {@code OriginalTitle} (only when asked for with {@code fields=OriginalTitle}); may be null
 */
public record JellyfinItem(String id, String name, String type, Integer year, Map<String, String> providerIds,
        String path, boolean playable, String seriesId, Integer seasonNumber, Integer episodeNumber,
        Integer episodeNumberEnd, String originalTitle) {

    public JellyfinItem(String id, String name, String type, Integer year, Map<String, String> providerIds,
            String path, boolean playable, String seriesId, Integer seasonNumber, Integer episodeNumber,
            Integer episodeNumberEnd) {
        this(id, name, type, year, providerIds, path, playable, seriesId, seasonNumber, episodeNumber,
                episodeNumberEnd, null);
    }

    /** The provider id under a key such as {@code tmdb}, compared case-insensitively; null when absent. */
    public String providerId(String provider) {
        return providerIds == null || provider == null ? null
                : providerIds.get(provider.toLowerCase(java.util.Locale.ROOT));
    }
}
