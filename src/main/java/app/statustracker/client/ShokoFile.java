package app.statustracker.client;

import java.util.List;
import java.util.Objects;

/**
 * A Shoko file (VideoLocal) as {@code GET /api/v3/File/{id}?include=XRefs} describes it.
 *
 * @param id              Shoko file id
 * @param locations       where it lies, never null
 * @param crossReferences the series (and their episodes) it is linked to; empty when not linked, never null
 */
public record ShokoFile(long id, List<Location> locations, List<CrossReference> crossReferences) {

    public ShokoFile {
        locations = locations == null ? List.of() : List.copyOf(locations);
        crossReferences = crossReferences == null ? List.of() : List.copyOf(crossReferences);
    }

    /**
     * One location of the file.
     *
     * @param importFolderId import (Shoko 6: managed) folder id; null when not given
     * @param relativePath   path below that folder, {@code /} separators, no leading separator; null when not given
     */
    public record Location(Integer importFolderId, String relativePath) {

        /** The last segment of the path; null without one. */
        public String fileName() {
            if (relativePath == null) {
                return null;
            }
            int slash = relativePath.lastIndexOf('/');
            return slash < 0 ? relativePath : relativePath.substring(slash + 1);
        }
    }

    /**
     * The file's link to one series.
     *
     * @param seriesId        Shoko series id; null when the Shoko series does not exist yet
     * @param anidbAnimeId    AniDB anime id; null when not given
     * @param episodeIds      Shoko episode ids (those that exist), never null
     * @param anidbEpisodeIds AniDB episode ids, never null
     */
    public record CrossReference(Long seriesId, Long anidbAnimeId, List<Long> episodeIds, List<Long> anidbEpisodeIds) {

        public CrossReference {
            episodeIds = episodeIds == null ? List.of() : List.copyOf(episodeIds);
            anidbEpisodeIds = anidbEpisodeIds == null ? List.of() : List.copyOf(anidbEpisodeIds);
        }
    }

    /** Linked to at least one Shoko series. */
    public boolean matched() {
        return crossReferences.stream().anyMatch(x -> x.seriesId() != null);
    }

    /** The distinct Shoko series ids it is linked to. */
    public List<Long> seriesIds() {
        return crossReferences.stream().map(CrossReference::seriesId).filter(Objects::nonNull).distinct().toList();
    }

    /** The first location's relative path; null when there is none. */
    public String relativePath() {
        return locations.stream().map(Location::relativePath).filter(Objects::nonNull).findFirst().orElse(null);
    }

    /** The first location's file name; null when there is none. */
    public String fileName() {
        return locations.stream().map(Location::fileName).filter(Objects::nonNull).findFirst().orElse(null);
    }
}
