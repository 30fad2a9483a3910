package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.repository.FileOwners;
import app.statustracker.service.EventPipeline;
import app.statustracker.support.Database;
import app.statustracker.support.Payload;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Finding the request a file belongs to by where the import put it (PRODUCT.md §1.12), as Shoko reports files:
 * by path, with its own folder names, never by a Sonarr or Radarr id. Real import payloads make the requests.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class FileOwnersTest {

    static final String MOVIE_FILE = "Perfect Blue (1997) {tmdb-10494} [Bluray-1080p][FLAC 2.0][x265]-Beatrice-Raws.mkv";
    static final String MOVIE_PATH = "/data/media/anime-movies/Perfect Blue (1997)/" + MOVIE_FILE;
    static final String EPISODE_FILE = "Frieren - Beyond Journey's End - S01E05 - 005 - Phantoms of the Dead"
            + " [WEBDL-1080p][8bit][x264][AAC 2.0][JA]-SubsPlease.mkv";
    static final String EPISODE_PATH = "/data/media/anime/Frieren - Beyond Journey's End (2023)/Season 01/"
            + EPISODE_FILE;

    @Inject
    Database db;

    @Inject
    FileOwners owners;

    @Inject
    EventPipeline pipeline;

    @BeforeEach
    void clean() {
        db.clean();
    }

    private FileOwners.Owner find(List<String> paths, String name) {
        return pipeline.execute(() -> owners.find(paths, name)).await().indefinitely();
    }

    @Test
    void anImportedAnimeMovieIsFoundByItsPathOrByItsFileNameUnderAnotherFolder() {
        deliver("radarr", Payload.of("protocol/radarr-grab.json"));
        deliver("radarr", Payload.of("protocol/radarr-download.json"));
        long id = db.count("SELECT id FROM media_request");

        FileOwners.Owner exact = find(List.of(MOVIE_PATH), MOVIE_FILE);
        assertEquals(id, exact.request().id);
        assertTrue(exact.exact());
        assertTrue(exact.episodes().isEmpty());

        // Shoko's import folder is mounted elsewhere in its container: only the name (and the folder) agree
        FileOwners.Owner byName = find(List.of("/mnt/anime-movies/Perfect Blue (1997)/" + MOVIE_FILE), MOVIE_FILE);
        assertEquals(id, byName.request().id);
        assertEquals(false, byName.exact());

        // a file nobody imported, or a name whose LIKE wildcards must not match everything
        assertNull(find(List.of("/mnt/other/Another Film.mkv"), "Another Film.mkv"));
        assertNull(find(List.of(), "%"));
        assertNull(find(List.of(), "_erfect Blue (1997) {tmdb-10494} [Bluray-1080p][FLAC 2.0][x265]-Beatrice-Raws.mkv"));
    }

    @Test
    void anImportedEpisodeIsFoundWithItsRequestAndAnAvailableOneIsNot() {
        deliver("sonarr", Payload.of("protocol/sonarr-grab.json"));
        deliver("sonarr", Payload.of("protocol/sonarr-download.json"));
        long id = db.count("SELECT id FROM media_request");

        FileOwners.Owner owner = find(List.of("/anime/Frieren/Season 01/" + EPISODE_FILE), EPISODE_FILE);
        assertEquals(id, owner.request().id);
        assertEquals(1, owner.episodes().size());
        assertEquals(5, owner.episodes().get(0).episodeNumber);

        db.run("UPDATE media_request SET state = 'available'");
        db.run("UPDATE episode SET state = 'available'");
        assertNull(find(List.of(EPISODE_PATH), EPISODE_FILE), "a file of an available request moves nothing");
    }
}
