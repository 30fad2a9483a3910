package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.request;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.EventOutcome;
import app.statustracker.service.PipelineResult;
import app.statustracker.service.ShokoIntake;
import app.statustracker.support.Database;
import app.statustracker.support.Payload;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Shoko's hub messages as the pipeline applies them (issue 6), handed to the intake as the hub client hands them:
 * the target and the raw argument JSON in Shoko's own PascalCase. Files are found by path only (Shoko knows no Sonarr
 * or Radarr id): its import folder is mounted elsewhere than the tracker's, so the file name decides.
 */
// The raw inbound events these tests read are shown to admins only.
@io.quarkus.test.security.TestSecurity(user = "test-admin", roles = { "user", "admin" })
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ShokoMatchTest {

    static final String MOVIE_REL = "Perfect Blue (1997)/" + FileOwnersTest.MOVIE_FILE;
    static final String EPISODE_REL = "Frieren - Beyond Journey's End (2023)/Season 01/" + FileOwnersTest.EPISODE_FILE;

    @Inject
    Database db;

    @Inject
    ShokoIntake shoko;

    @BeforeEach
    void clean() {
        db.clean();
    }

    static String fileEvent(long fileId, String relativePath, boolean crossReferences) {
        return "{\"FileID\":" + fileId + ",\"FileLocationID\":" + (fileId + 100) + ",\"ImportFolderID\":2,"
                + "\"RelativePath\":\"" + relativePath.replace("\"", "\\\"") + "\",\"CrossReferences\":"
                + (crossReferences ? "[{\"EpisodeID\":301,\"AnidbEpisodeID\":2901,\"SeriesID\":77,"
                        + "\"AnidbAnimeID\":17754,\"GroupID\":12}]" : "[]") + "}";
    }

    private PipelineResult send(String target, String argument) {
        return shoko.handle(target, argument).await().indefinitely();
    }

    @Test
    void aMatchOfAnImportedAnimeMovieIsInItsTimelineAndIsStoredOnce() {
        deliver("radarr", Payload.of("protocol/radarr-grab.json"));
        int id = deliver("radarr", Payload.of("protocol/radarr-download.json")).extract().path("request_id");
        request(id).body("state", equalTo("anime_matching"));

        PipelineResult first = send("ShokoEvent:FileMatched", fileEvent(41, MOVIE_REL, true));
        assertEquals(EventOutcome.APPLIED, first.outcome());
        assertEquals(Long.valueOf(id), first.requestId());
        request(id).body("state", equalTo("anime_matching"))
                .body("timeline_events.event_type", hasItem("Matched"))
                .body("timeline_events.details", hasItem(startsWith("Matched in Shoko (AniDB anime 17754)")))
                .body("events.source", hasItem("shoko"));

        assertEquals(EventOutcome.DUPLICATE, send("ShokoEvent:FileMatched", fileEvent(41, MOVIE_REL, true)).outcome());
    }

    @Test
    void aMatchWithoutAnImportFolderAsOlderShokosSendIsFoundByTheFileName() {
        deliver("radarr", Payload.of("protocol/radarr-grab.json"));
        int id = deliver("radarr", Payload.of("protocol/radarr-download.json")).extract().path("request_id");

        // the legacy shape: no ImportFolderID, a leading separator
        PipelineResult result = send("ShokoEvent:FileMatched", "{\"FileID\":265,\"RelativePath\":\"/" + MOVIE_REL
                + "\",\"CrossReferences\":[{\"SeriesID\":77,\"AnidbAnimeID\":17754}]}");
        assertEquals(EventOutcome.APPLIED, result.outcome(), result.reason());
        assertEquals(Long.valueOf(id), result.requestId());
    }

    @Test
    void anEpisodeImportedBeforeItsMatchMovesWhenShokoMatchesItAndShoko6NamesWorkToo() {
        deliver("sonarr", Payload.of("protocol/sonarr-grab.json").set("series.type", "standard"));
        int id = deliver("sonarr", Payload.of("protocol/sonarr-download.json").set("series.type", "standard"))
                .extract().path("request_id");
        request(id).body("state", equalTo("importing"));

        // Shoko 6 calls a match file:matched, with camelCase names
        PipelineResult result = send("file:matched", "{\"fileId\":42,\"managedFolderId\":2,\"relativePath\":\""
                + EPISODE_REL.replace("\"", "\\\"") + "\",\"crossReferences\":[{\"seriesId\":77,\"anidbAnimeId\":17754}]}");
        assertEquals(EventOutcome.APPLIED, result.outcome(), result.reason());
        request(id).body("state", equalTo("anime_matching"))
                .body("episodes.find { it.episode_number == 5 }.state", equalTo("anime_matching"))
                .body("timeline_events.details", hasItem(containsString("S01E05")));
    }

    @Test
    void aFileShokoCouldNotMatchIsMatchFailedWithTheReasonAndALaterManualLinkLiftsIt() {
        deliver("radarr", Payload.of("protocol/radarr-grab.json"));
        int id = deliver("radarr", Payload.of("protocol/radarr-download.json")).extract().path("request_id");

        // Shoko's REST API is not configured here: the auto-link cannot search, and says so
        send("ShokoEvent:FileNotMatched", "{\"AutoMatchAttempts\":1,\"HasCrossReferences\":false,\"IsUDPBanned\":false,"
                + fileEvent(43, MOVIE_REL, false).substring(1));
        request(id).body("state", equalTo("match_failed"))
                .body("stuck_reason", startsWith("Auto-link failed: "))
                .body("next_step", containsString("Shoko"));

        // the user links it in Shoko by hand: FileMatched with cross-references
        send("ShokoEvent:FileMatched", fileEvent(43, MOVIE_REL, true));
        request(id).body("state", equalTo("anime_matching")).body("stuck_reason", equalTo(null));
    }

    @Test
    void whatNoRequestWaitsForIsKeptAsIgnoredWithTheReasonAndBadFramesAreRejected() {
        PipelineResult unknownFile = send("ShokoEvent:FileMatched", fileEvent(44, "Other Show/Other - 01.mkv", true));
        assertEquals(EventOutcome.IGNORED, unknownFile.outcome());
        assertEquals(true, unknownFile.reason().startsWith("no request waits for the file Other - 01.mkv"),
                unknownFile.reason());

        assertEquals(EventOutcome.IGNORED, send("ShokoEvent:FileHashed", fileEvent(45, MOVIE_REL, false)).outcome());
        assertEquals(EventOutcome.REJECTED, send("ShokoEvent:FileMatched", "{not json").outcome());
        assertEquals(3, db.count("SELECT count(*) FROM inbound_event WHERE source = 'shoko'"));
        assertEquals(0, db.count("SELECT count(*) FROM media_request"));
    }
}
