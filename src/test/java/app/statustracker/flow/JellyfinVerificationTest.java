package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.deliverAndGetRequestId;
import static app.statustracker.flow.Scenario.request;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.service.JellyfinVerification;
import app.statustracker.service.JellyfinVerification.Cycle;
import app.statustracker.support.Database;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.LogCapture;
import app.statustracker.support.Paprika;
import app.statustracker.support.Payload;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The scheduled Jellyfin verification (issue 5, item 2): requests waiting for Jellyfin become available once it
 * holds a playable item, found by provider ids (anime also by the other media type or by title), with a constant
 * number of Jellyfin calls per cycle. The cycle is run by hand here (the schedule is off in tests; see
 * {@link JellyfinVerificationScheduleTest}).
 */
// The raw inbound events these tests read are shown to admins only.
@io.quarkus.test.security.TestSecurity(user = "test-admin", roles = { "user", "admin" })
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class JellyfinVerificationTest {

    static final String PAPRIKA_ITEM = "9a0364b9e99bb480dd25e1f0284c8555";
    static final String PERFECT_BLUE_ITEM = "4c1f7e2a9b3d4e5f8a6b7c8d9e0f1a2b";

    @Inject
    Database db;
    @Inject
    JellyfinVerification verification;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
        verification.forgetLibrary();
    }

    private Cycle cycle() {
        return verification.run().await().atMost(Duration.ofSeconds(60));
    }

    private int importedPaprika() {
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.imported());
        request(id).body("state", equalTo("importing"));
        return id;
    }

    private long rows(String table) {
        return db.count("SELECT count(*) FROM " + table);
    }

    @Test
    void anImportedMovieBecomesAvailableAtTheFirstCycleAfterJellyfinHasIt() {
        // given an imported movie that Jellyfin's library does not have yet
        int id = importedPaprika();
        FakeMediaServer.movie("11111111111111111111111111111111", "Tokyo Godfathers", 2003, 13398);

        // when a cycle runs
        Cycle first = cycle();

        // then the whole library was read once, nothing was found, and the request still waits
        assertTrue(first.fullRead());
        assertEquals(1, first.candidates());
        assertEquals(0, first.findings());
        request(id).body("state", equalTo("importing")).body("stuck_reason", nullValue());
        assertEquals(0, db.count("SELECT count(*) FROM inbound_event WHERE source = 'jellyfin'"));

        // when Jellyfin adds the movie (no webhook) and the next cycle runs
        FakeMediaServer.movie(PAPRIKA_ITEM, "Paprika", 2006, 4977);
        Cycle second = cycle();

        // then it only asked for what changed since the first cycle, and the request is available
        assertFalse(second.fullRead());
        assertTrue(lastItemsQuery().contains("minDateLastSaved="), lastItemsQuery());
        request(id).body("state", equalTo("available"))
                .body("jellyfin_id", equalTo(PAPRIKA_ITEM))
                .body("timeline_events.event_type", contains("Auto-Approved", "Import", "Verified"))
                .body("timeline_events[2].service", equalTo("jellyfin"))
                .body("timeline_events[2].details", equalTo("Found in Jellyfin: Paprika"));
        assertEquals(1, db.count("SELECT count(*) FROM inbound_event WHERE source = 'jellyfin'"
                + " AND content_type = 'application/json; origin=status-tracker verification' AND outcome = 'applied'"
                + " AND request_id = " + id));

        // and once available, it is not looked at again: no Jellyfin call, nothing stored
        long calls = FakeMediaServer.jellyfinCalls();
        long events = rows("inbound_event");
        Cycle third = cycle();
        assertEquals(0, third.candidates());
        assertEquals(calls, FakeMediaServer.jellyfinCalls());
        assertEquals(events, rows("inbound_event"));
    }

    @Test
    void withNothingToVerifyJellyfinIsNotAsked() {
        FakeMediaServer.movie(PAPRIKA_ITEM, "Paprika", 2006, 4977);
        deliverAndGetRequestId("jellyseerr", Paprika.request()); // approved a moment ago: not waiting for Jellyfin

        Cycle cycle = cycle();

        assertEquals(0, cycle.candidates());
        assertEquals(0, FakeMediaServer.jellyfinCalls());
    }

    @Test
    void aRequestInAnEarlierStateIsVerifiedOnceItHasBeenThereLongEnough() {
        // given a request approved two hours ago for a movie the library already holds
        FakeMediaServer.movie(PAPRIKA_ITEM, "Paprika", 2006, 4977);
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        db.run("UPDATE media_request SET state_changed_at = now() - interval '2 hours' WHERE id = " + id);

        cycle();

        request(id).body("state", equalTo("available"));
    }

    @Test
    void episodesAppearingOverTwoCyclesShowXOfYThenAvailable() {
        // given a season pack of 13 episodes imported, and Jellyfin holding the series with 6 of them playable
        int id = deliverAndGetRequestId("jellyseerr", TvFlowTest.lycorisRequest());
        deliver("sonarr", TvFlowTest.regular(TvFlowTest.lycorisGrab()));
        deliver("sonarr", TvFlowTest.regular(TvFlowTest.lycorisImport()));
        request(id).body("state", equalTo("importing")).body("episode_counts.importing", equalTo(13));
        FakeMediaServer.series(TvFlowTest.SERIES_ITEM, "Lycoris Recoil", 414057, 154494);
        for (int e = 1; e <= 13; e++) {
            FakeMediaServer.episode(TvFlowTest.SERIES_ITEM, episodeItem(e), 1, e, e <= 6);
        }

        // when a cycle runs
        cycle();

        // then 6 of 13 are available and the request waits for the rest
        request(id).body("state", equalTo("importing"))
                .body("episode_counts.available", equalTo(6))
                .body("episode_counts.importing", equalTo(7))
                .body("jellyfin_id", equalTo(TvFlowTest.SERIES_ITEM))
                .body("timeline_events.event_type", hasItem("Verified"));

        // when the next cycle finds the same: nothing is stored again
        long events = rows("inbound_event");
        long timeline = rows("timeline_event");
        long updates = rows("stream_event");
        Cycle same = cycle();
        assertEquals(1, same.findings());
        assertEquals(List.of(), same.applied());
        assertEquals(events, rows("inbound_event"), "a repeated finding is not stored again");
        assertEquals(timeline, rows("timeline_event"));
        assertEquals(updates, rows("stream_event"), "dashboards are not told again");

        // when Jellyfin scans in the other seven (a two-episode file among them) and the next cycle runs
        for (int e = 7; e <= 13; e++) {
            FakeMediaServer.episode(TvFlowTest.SERIES_ITEM, episodeItem(e), 1, e, e != 13);
        }
        FakeMediaServer.jellyfinItem(episodeItem(12)).put("IndexNumberEnd", 13);
        Cycle last = cycle();

        // then the request is available, every episode with it
        assertFalse(last.fullRead());
        request(id).body("state", equalTo("available"))
                .body("episode_counts.available", equalTo(13))
                .body("available_at", notNullValue());
    }

    private static String episodeItem(int episode) {
        return String.format("%032x", 7000 + episode);
    }

    @Test
    void aRegularMovieIsNotMatchedByTitleAlone() {
        // given an imported regular movie, and a Jellyfin item of the same title and year without provider ids
        int id = importedPaprika();
        FakeMediaServer.movie(PAPRIKA_ITEM, "Paprika", 2006, 4977);
        FakeMediaServer.jellyfinItem(PAPRIKA_ITEM).putObject("ProviderIds");

        cycle();

        request(id).body("state", equalTo("importing"));
    }

    private int perfectBlueWaitingForShoko() {
        int id = deliverAndGetRequestId("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json"));
        deliver("radarr", Payload.of("protocol/radarr-grab.json"));
        deliver("radarr", Payload.of("protocol/radarr-download.json"));
        request(id).body("state", equalTo("anime_matching")).body("is_anime", equalTo(true));
        return id;
    }

    @Test
    void anAnimeMovieIsFoundByItsTitleAndYearWhenJellyfinHasOnlyShokoIds() {
        // given Perfect Blue waiting for Shoko, and Shokofin's item for it: other title spelling, only Shoko ids
        int id = perfectBlueWaitingForShoko();
        FakeMediaServer.movie("22222222222222222222222222222222", "Perfect Blue", 2011, 999); // not this one
        FakeMediaServer.movie(PERFECT_BLUE_ITEM, "Pāfekuto Burū", 1997, 1);
        FakeMediaServer.jellyfinItem(PERFECT_BLUE_ITEM).put("OriginalTitle", "Perfect  Blue!")
                .putObject("ProviderIds").put("Shoko File", "4711");
        FakeMediaServer.jellyfinItem("22222222222222222222222222222222").putObject("ProviderIds");

        cycle();

        request(id).body("state", equalTo("available"))
                .body("jellyfin_id", equalTo(PERFECT_BLUE_ITEM))
                .body("timeline_events.details", hasItem("Found in Jellyfin (by title and year): Pāfekuto Burū"));
    }

    @Test
    void anAnimeMovieShownAsASeriesIsFoundByItsTmdbId() {
        // given Perfect Blue waiting for Shoko, which Shokofin shows as a series with one playable episode
        int id = perfectBlueWaitingForShoko();
        String series = "33333333333333333333333333333333";
        FakeMediaServer.series(series, "Perfect Blue", 0, 10494);
        FakeMediaServer.jellyfinItem(series).put("ProductionYear", 1997).putObject("ProviderIds").put("Tmdb", "10494");
        FakeMediaServer.episode(series, "33333333333333333333333333330001", 1, 1, true);

        cycle();

        request(id).body("state", equalTo("available"))
                .body("timeline_events.details", hasItem("Found in Jellyfin (as a series, by TMDB id): 1 playable episodes"));
    }

    @Test
    void anAnimeSeriesShownAsAMovieMakesAllItsEpisodesAvailable() {
        // given the anime season pack waiting for Shoko, and Jellyfin showing the series as one movie
        int id = deliverAndGetRequestId("jellyseerr", TvFlowTest.lycorisRequest());
        deliver("sonarr", TvFlowTest.lycorisGrab());
        deliver("sonarr", TvFlowTest.lycorisImport());
        request(id).body("state", equalTo("anime_matching"));
        FakeMediaServer.movie("44444444444444444444444444444444", "Lycoris Recoil", 2022, 154494);

        cycle();

        request(id).body("state", equalTo("available")).body("episode_counts.available", equalTo(13))
                .body("timeline_events.details", hasItem("Found in Jellyfin (as a movie, by TMDB id): Lycoris Recoil"));
    }

    @Test
    void anAnimeTypeSwapWithAnotherYearIsAnotherWork() {
        int id = perfectBlueWaitingForShoko();
        String series = "33333333333333333333333333333333";
        FakeMediaServer.series(series, "Something Else", 0, 10494); // TV and movie TMDB ids collide
        FakeMediaServer.jellyfinItem(series).put("ProductionYear", 2015).putObject("ProviderIds").put("Tmdb", "10494");
        FakeMediaServer.episode(series, "33333333333333333333333333330001", 1, 1, true);

        cycle();

        request(id).body("state", equalTo("anime_matching"));
    }

    @Test
    void aRequestJellyfinHasNotShownForLongSaysWhyAndTheReasonGoesOnceItIsFound() {
        // given an import two hours ago that Jellyfin does not show
        int id = importedPaprika();
        db.run("UPDATE media_request SET state_changed_at = '2026-01-05T11:30:00Z' WHERE id = " + id);

        cycle();

        request(id).body("state", equalTo("importing")).body("stuck_reason",
                equalTo("Jellyfin: no playable item for TMDB 4977 yet (importing since 2026-01-05 11:30 UTC)"));

        // a second cycle with the same answer changes nothing the dashboards would be told about
        long updates = rows("stream_event");
        Cycle again = cycle();
        assertEquals(0, again.reasonsChanged());
        assertEquals(updates, rows("stream_event"));

        // a reason another check set is left alone
        db.run("UPDATE media_request SET stuck_reason = 'qBittorrent: stalled' WHERE id = " + id);
        cycle();
        request(id).body("stuck_reason", equalTo("qBittorrent: stalled"));
        db.run("UPDATE media_request SET stuck_reason = 'Jellyfin: old' WHERE id = " + id);

        FakeMediaServer.movie(PAPRIKA_ITEM, "Paprika", 2006, 4977);
        cycle();
        request(id).body("state", equalTo("available")).body("stuck_reason", nullValue());
    }

    @Test
    void aSeriesWaitingForItsLastEpisodesSaysWhich() {
        int id = deliverAndGetRequestId("jellyseerr", TvFlowTest.lycorisRequest());
        deliver("sonarr", TvFlowTest.regular(TvFlowTest.lycorisGrab()));
        deliver("sonarr", TvFlowTest.regular(TvFlowTest.lycorisImport()));
        db.run("UPDATE media_request SET state_changed_at = '2026-01-05T11:30:00Z' WHERE id = " + id);
        FakeMediaServer.series(TvFlowTest.SERIES_ITEM, "Lycoris Recoil", 414057, 154494);
        for (int e = 1; e <= 13; e++) {
            FakeMediaServer.episode(TvFlowTest.SERIES_ITEM, episodeItem(e), 1, e, e <= 9);
        }

        cycle();

        request(id).body("episode_counts.available", equalTo(9)).body("stuck_reason", equalTo(
                "Jellyfin: 9 of 13 episodes playable, not S01E10, S01E11, S01E12 and 1 more (importing since 2026-01-05 11:30 UTC)"));
    }

    @Test
    void jellyfinDownChangesNothingSaysSoOnceAndTheNextCycleCatchesUp() {
        // given a first cycle that read the library, then an imported movie
        FakeMediaServer.movie("11111111111111111111111111111111", "Tokyo Godfathers", 2003, 13398);
        int id = importedPaprika();
        cycle();

        // when Jellyfin goes down and adds the movie meanwhile
        FakeMediaServer.jellyfinDown();
        FakeMediaServer.movie(PAPRIKA_ITEM, "Paprika", 2006, 4977);
        Cycle failed;
        try (LogCapture log = LogCapture.of(JellyfinVerification.class, Level.WARNING)) {
            failed = cycle();
            Cycle failedAgain = cycle();
            assertNotNull(failedAgain.problem());

            // then nothing breaks, the request stays, and the log says so once
            assertEquals(1, log.lines().size(), String.valueOf(log.lines()));
            assertTrue(log.lines().get(0).contains("HTTP 503"), log.lines().get(0));
        }
        assertNotNull(failed.problem());
        request(id).body("state", equalTo("importing"));
        String askedWhileDown = minDateLastSaved(lastItemsQuery());

        // when Jellyfin is back
        FakeMediaServer.jellyfinUp();
        Cycle back = cycle();

        // then the next cycle asks from where the last good one left off, and finds the movie
        assertNull(back.problem());
        assertEquals(askedWhileDown, minDateLastSaved(lastItemsQuery()), "the watermark did not move while down");
        request(id).body("state", equalTo("available"));
    }

    @Test
    void aCycleAsksJellyfinAsOftenFor500RequestsAsFor5() {
        // given a library of 1200 movies and a series, last saved yesterday
        for (int i = 1; i <= 1200; i++) {
            FakeMediaServer.movie(String.format("%032x", 100_000 + i), "Film " + i, 2000 + i % 20, 100_000 + i);
        }
        FakeMediaServer.series(TvFlowTest.SERIES_ITEM, "Lycoris Recoil", 414057, 154494);
        for (int e = 1; e <= 13; e++) {
            FakeMediaServer.episode(TvFlowTest.SERIES_ITEM, episodeItem(e), 1, e, true);
        }
        Instant yesterday = Instant.now().minus(Duration.ofDays(1));
        FakeMediaServer.jellyfinItemIds().forEach(itemId -> FakeMediaServer.savedAt(itemId, yesterday));

        // when a full and a following cycle run with 5 requests, then with 500 (none of them in the library)
        long[] five = callsFor(5);
        long[] fiveHundred = callsFor(500);

        // then both make the same calls: 3 pages for the whole library, 1 for what changed
        assertEquals(3, five[0], "full read");
        assertEquals(1, five[1], "what changed");
        assertEquals(five[0], fiveHundred[0]);
        assertEquals(five[1], fiveHundred[1]);
    }

    /**
     * {@code count} requests in {@code state} since now, made by SQL: every fifth a series (season 1, two episode
     * rows), the others movies. Request {@code g} (1..count) has TMDB id {@code base + g}; a series also TVDB id
     * {@code base + g}.
     */
    static void insertRequests(Database db, int count, long base, String state) {
        db.run("INSERT INTO media_request (title, media_type, state, tmdb_id, tvdb_id, requested_seasons,"
                + " total_episodes, is_4k, is_anime, created_at, updated_at, state_changed_at)"
                + " SELECT CASE WHEN g % 5 = 0 THEN 'Series ' ELSE 'Film ' END || g,"
                + " CASE WHEN g % 5 = 0 THEN 'tv' ELSE 'movie' END, '" + state + "', " + base + " + g,"
                + " CASE WHEN g % 5 = 0 THEN " + base + " + g END, CASE WHEN g % 5 = 0 THEN '1' END,"
                + " CASE WHEN g % 5 = 0 THEN 2 END, false, false, now(), now(), now()"
                + " FROM generate_series(1, " + count + ") g");
        db.run("INSERT INTO episode (request_id, season_number, episode_number, state, created_at, updated_at)"
                + " SELECT r.id, 1, n, '" + state + "', now(), now() FROM media_request r, generate_series(1, 2) n"
                + " WHERE r.media_type = 'tv' AND r.tmdb_id > " + base);
    }

    private long[] callsFor(int requests) {
        db.clean();
        insertRequests(db, requests, 900_000, "importing");
        verification.forgetLibrary();
        long before = FakeMediaServer.jellyfinCalls();
        Cycle full = cycle();
        assertEquals(requests, full.candidates());
        assertTrue(full.fullRead());
        long afterFull = FakeMediaServer.jellyfinCalls();
        Cycle delta = cycle();
        assertFalse(delta.fullRead());
        assertEquals(requests, delta.candidates());
        return new long[] {afterFull - before, FakeMediaServer.jellyfinCalls() - afterFull};
    }

    private static String lastItemsQuery() {
        List<String> queries = FakeMediaServer.JELLYFIN_QUERIES;
        return queries.isEmpty() ? "" : queries.get(queries.size() - 1);
    }

    private static String minDateLastSaved(String query) {
        for (String part : query.split("&")) {
            if (part.startsWith("minDateLastSaved=")) {
                return part;
            }
        }
        throw new AssertionError("no minDateLastSaved in " + query);
    }

    @Test
    void theEventLogShowsTheFindingAsTheVerificationsWithWhatJellyfinHolds() {
        int id = importedPaprika();
        FakeMediaServer.movie(PAPRIKA_ITEM, "Paprika", 2006, 4977);
        cycle();
        request(id).body("events.find { it.source == 'jellyfin' }.event_type", equalTo("Verified"))
                .body("events.find { it.source == 'jellyfin' }.outcome", equalTo("applied"))
                .body("events.find { it.source == 'jellyfin' }.content_type",
                        equalTo("application/json; origin=status-tracker verification"))
                .body("events.find { it.source == 'jellyfin' }.payload", startsWith("{\"NotificationType\":\"Verified\""));
    }
}
