package app.statustracker.flow;

import static app.statustracker.flow.Scenario.awaitState;
import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.deliverAndGetRequestId;
import static app.statustracker.flow.Scenario.qbitFinished;
import static app.statustracker.flow.Scenario.request;
import static io.restassured.RestAssured.get;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalDate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.Database;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Payload;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The TV flows, per episode, through the real webhook routes. Lycoris Recoil is the captured season pack (13
 * episodes, one torrent); Frieren the protocol fixtures (single episodes, import-complete shape).
 */
// The raw inbound events these tests read are shown to admins only.
@io.quarkus.test.security.TestSecurity(user = "test-admin", roles = { "user", "admin" })
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class TvFlowTest {

    static final String PACK_HASH = "3F92992E2FBEB6EBB251304236BF5E0B600A91C3";
    static final String SERIES_ITEM = "0a9b8c7d6e5f40312a3b4c5d6e7f8091";

    @Inject
    Database db;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
    }

    static Payload lycorisRequest() {
        return Payload.of("original/jellyseerr-tv-auto-approved.json");
    }

    /** The captured pack as a regular (non-anime) series in a regular library. */
    static Payload regular(Payload sonarr) {
        return sonarr.replaceAll("/data/anime/shows", "/data/tv").set("series.type", "standard");
    }

    static Payload lycorisGrab() {
        return Payload.of("original/sonarr-grab.json");
    }

    static Payload lycorisImport() {
        return Payload.of("original/sonarr-import.json");
    }

    /** Jellyfin's ItemAdded for one episode: the episode's own TVDB id, the series' Jellyfin id. */
    static Payload jellyfinEpisode(int season, int episode, long episodeTvdbId) {
        return Payload.of("protocol/jellyfin-item-added-episode.json")
                .set("SeriesName", "Lycoris Recoil").set("SeriesId", SERIES_ITEM)
                .set("SeasonNumber", season).set("EpisodeNumber", episode)
                .set("Provider_tvdb", String.valueOf(episodeTvdbId)).remove("Provider_tmdb").remove("Provider_imdb")
                .set("ItemId", String.format("%032x", episodeTvdbId));
    }

    static long lycorisEpisodeTvdb(int episode) {
        return lycorisGrab().at("episodes." + (episode - 1) + ".tvdbId").asLong();
    }

    @Test
    void regularSeasonPackGoesFromRequestToAvailableEpisodeByEpisode() {
        // given a TV request for season 1
        int id = deliverAndGetRequestId("jellyseerr", lycorisRequest());

        // when Sonarr adds the series and grabs a 13-episode season pack
        deliver("sonarr", regular(lycorisGrab()).set("eventType", "SeriesAdd").remove("episodes").remove("release")
                .remove("downloadId")).body("request_id", equalTo(id));
        request(id).body("state", equalTo("searching"));
        deliver("sonarr", regular(lycorisGrab())).body("request_id", equalTo(id));

        // then every episode is tracked, grabbing, with the pack's torrent
        request(id).body("state", equalTo("grabbing"))
                .body("total_episodes", equalTo(13))
                .body("episode_counts.grabbing", equalTo(13))
                .body("is_anime", equalTo(false))
                .body("sonarr_id", equalTo(23))
                .body("episodes[0].episode_title", equalTo("Easy does it"));
        assertEquals(13, db.count("SELECT count(*) FROM episode WHERE download_hash = '" + PACK_HASH.toLowerCase() + "'"));

        // when qBittorrent finishes the pack and Sonarr imports it
        deliver("qbittorrent", qbitFinished(PACK_HASH.toLowerCase(), "Lycoris Recoil S01")).body("request_id", equalTo(id));
        request(id).body("state", equalTo("downloaded")).body("episode_counts.downloaded", equalTo(13));
        deliver("sonarr", regular(lycorisImport())).body("request_id", equalTo(id));

        // then each episode got its own file, matched by number
        request(id).body("state", equalTo("importing")).body("episode_counts.importing", equalTo(13));
        get("/api/requests/" + id + "/episodes").then()
                .body("[2].episode_number", equalTo(3))
                .body("[2].final_path", equalTo("/data/tv/Lycoris Recoil/Season 1/Lycoris.Recoil.S01E03.mkv"));

        // when Jellyfin adds 12 of the 13 episodes
        for (int e = 1; e <= 12; e++) {
            deliver("jellyfin", jellyfinEpisode(1, e, lycorisEpisodeTvdb(e))).body("request_id", equalTo(id));
        }

        // then the request waits for the last one, and says so
        request(id).body("state", equalTo("importing"))
                .body("episode_counts.available", equalTo(12))
                .body("episode_counts.importing", equalTo(1));

        deliver("jellyfin", jellyfinEpisode(1, 13, lycorisEpisodeTvdb(13)));
        request(id).body("state", equalTo("available"))
                .body("available_at", notNullValue())
                .body("episode_counts.available", equalTo(13))
                .body("jellyfin_id", equalTo(SERIES_ITEM))
                .body("timeline_events.event_type", hasItem("Grab"))
                .body("timeline_events.state", hasItem("available"));
    }

    @Test
    void animeSeasonPackShowsItsImportThenWaitsForShoko() {
        int id = deliverAndGetRequestId("jellyseerr", lycorisRequest());
        deliver("sonarr", lycorisGrab());
        request(id).body("is_anime", equalTo(true));

        deliver("sonarr", lycorisImport()).body("request_id", equalTo(id));

        request(id).body("state", equalTo("anime_matching"))
                .body("episode_counts.anime_matching", equalTo(13))
                .body("timeline_events.state", contains("approved", "grabbing", "importing", "anime_matching"))
                .body("timeline_events[3].event_type", equalTo("Waiting for Shoko"))
                .body("next_step", containsString("Shoko"));
    }

    @Test
    void twoSingleEpisodeGrabsWithDifferentTorrentsAreFollowedApart() {
        // given a request with two episodes grabbed as two torrents
        int id = deliverAndGetRequestId("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json")
                .set("subject", "Frieren: Beyond Journey's End (2023)").set("media.media_type", "tv")
                .set("media.tmdbId", "209867").set("media.tvdbId", "424536").set("request.request_id", "400"));
        String hashFive = "8F3A2C1D9E7B6A5F4E3D2C1B0A9F8E7D6C5B4A39";
        String hashSix = "1111111111222222222233333333334444444444";
        deliver("sonarr", Payload.of("protocol/sonarr-grab.json"));
        deliver("sonarr", Payload.of("protocol/sonarr-grab.json").set("downloadId", hashSix)
                .set("episodes.0.id", 2105).set("episodes.0.episodeNumber", 6).set("episodes.0.tvdbId", 9894542)
                .set("episodes.0.title", "A Real Hero"));
        request(id).body("episodes.size()", equalTo(2)).body("state", equalTo("grabbing"));

        // when only the first torrent finishes
        deliver("qbittorrent", qbitFinished(hashFive, "Frieren - 05")).body("request_id", equalTo(id));

        // then only its episode is downloaded; the request shows its least advanced episode
        request(id).body("state", equalTo("grabbing"))
                .body("episodes.find { it.episode_number == 5 }.state", equalTo("downloaded"))
                .body("episodes.find { it.episode_number == 6 }.state", equalTo("grabbing"))
                .body("episode_counts.downloaded", equalTo(1));

        deliver("qbittorrent", qbitFinished(hashSix.toUpperCase(), "Frieren - 06"));
        request(id).body("state", equalTo("downloaded"));
    }

    @Test
    void aGrabCoveringTwoSeasonsTracksEpisodesOfBoth() {
        int id = deliverAndGetRequestId("jellyseerr", lycorisRequest().set("extra.0.value", "1, 2"));
        Payload twoSeasons = regular(lycorisGrab()).slice("episodes", 0, 3)
                .set("episodes.2.seasonNumber", 2).set("episodes.2.episodeNumber", 1).set("episodes.2.id", 900);

        deliver("sonarr", twoSeasons).body("request_id", equalTo(id));

        request(id).body("requested_seasons", contains(1, 2))
                .body("episodes.season_number", contains(1, 1, 2))
                .body("episodes.state", everyItem(equalTo("grabbing")))
                .body("state", equalTo("grabbing"));
    }

    @Test
    void sonarrsEpisodeListSetsWhatIsExpectedAndUnairedEpisodesAndSpecialsDoNotHoldTheRequestBack() {
        // given Sonarr lists three aired episodes, one airing next month, and a special
        String nextMonth = LocalDate.now().plusMonths(1).toString();
        FakeMediaServer.sonarrEpisodes(23, new Object[] { 1, 1, "2022-07-02", true },
                new Object[] { 1, 2, "2022-07-09", true }, new Object[] { 1, 3, "2022-07-16", true },
                new Object[] { 1, 4, nextMonth, true }, new Object[] { 0, 1, "2022-12-31", true });
        int id = deliverAndGetRequestId("jellyseerr", lycorisRequest());

        // when Sonarr adds the series: the tracker asks Sonarr for its episodes
        deliver("sonarr", regular(lycorisGrab()).set("eventType", "SeriesAdd").remove("episodes").remove("release")
                .remove("downloadId"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> request(id).body("episodes.size()", equalTo(4)));
        request(id).body("state", equalTo("searching")).body("total_episodes", equalTo(4))
                .body("episodes.find { it.episode_number == 4 }.air_date", equalTo(nextMonth));

        // and the three aired episodes are grabbed, imported and added to Jellyfin
        deliver("sonarr", regular(lycorisGrab()).slice("episodes", 0, 3));
        request(id).body("state", equalTo("grabbing")).body("episode_counts.searching", equalTo(1));
        for (int e = 1; e <= 3; e++) {
            deliver("jellyfin", jellyfinEpisode(1, e, lycorisEpisodeTvdb(e)));
        }

        // then the unaired episode does not hold it back
        request(id).body("state", equalTo("available"))
                .body("episode_counts.available", equalTo(3))
                .body("episode_counts.searching", equalTo(1));
    }

    @Test
    void episodesSonarrAlreadyHasAreNotWaitedFor() {
        // given Sonarr already has the file of episode 1 (the series was in the library before the request)
        FakeMediaServer.sonarrEpisodes(23, new Object[] { 1, 1, "2022-07-02", true, true },
                new Object[] { 1, 2, "2022-07-09", true, false }, new Object[] { 1, 3, "2022-07-16", true, false });
        int id = deliverAndGetRequestId("jellyseerr", lycorisRequest());

        deliver("sonarr", regular(lycorisGrab()).set("eventType", "SeriesAdd").remove("episodes").remove("release")
                .remove("downloadId"));

        // then only the two episodes still to download are expected from Sonarr
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> request(id).body("episodes.size()", equalTo(2)));
        request(id).body("episodes.episode_number", contains(2, 3)).body("state", equalTo("searching"));
    }

    @Test
    void withoutSonarrsListJellyseerrsEpisodeCountSaysHowManyEpisodesTheRequestStillWaitsFor() {
        // given Jellyseerr knows season 1 has 13 episodes (season 0 holds 2 specials), Sonarr has no list yet
        FakeMediaServer.jellyseerrSeasons(154494, 2, 13, 12);
        int id = deliverAndGetRequestId("jellyseerr", lycorisRequest());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> request(id).body("total_episodes", equalTo(13)));
        request(id).body("timeline_events.event_type", hasItem("Expected Episodes"));

        // when Sonarr grabs only the first two episodes
        deliver("sonarr", regular(lycorisGrab()).slice("episodes", 0, 2));

        // then the eleven episodes nobody grabbed yet keep the request searching
        request(id).body("state", equalTo("searching")).body("total_episodes", equalTo(13))
                .body("episode_counts.grabbing", equalTo(2));
    }

    @Test
    void theImportBeforeTheGrabAndJellyfinBeforeTheImportStillEndAvailable() {
        int id = deliverAndGetRequestId("jellyseerr", lycorisRequest());

        // the import comes first (the grab webhook is late)
        deliver("sonarr", regular(lycorisImport())).body("request_id", equalTo(id));
        request(id).body("state", equalTo("importing")).body("episode_counts.importing", equalTo(13));
        deliver("sonarr", regular(lycorisGrab())).body("outcome", equalTo("stale"));
        request(id).body("state", equalTo("importing"));

        // Jellyfin adds every episode; the first one before any request knows the series (no episode TVDB ids)
        for (int e = 1; e <= 13; e++) {
            deliver("jellyfin", jellyfinEpisode(1, e, 7000 + e).remove("Provider_tvdb"))
                    .body("outcome", equalTo(e == 1 ? "unmatched" : "applied"));
            if (e == 1) {
                // its Series webhook makes the series known; the waiting episode is then applied too
                deliver("jellyfin", Payload.of("protocol/jellyfin-item-added-movie.json").set("ItemType", "Series")
                        .set("Name", "Lycoris Recoil").set("ItemId", SERIES_ITEM).set("Provider_tvdb", "414057")
                        .set("Provider_tmdb", "154494").remove("Provider_imdb")).body("request_id", equalTo(id));
            }
        }
        awaitState(id, "available");
        request(id).body("events.find { it.event_type == 'ItemAdded' && it.outcome_reason.contains('re-tried') }",
                notNullValue());
    }

    @Test
    void aSeriesWebhookMakesTheTrackerAskJellyfinWhichEpisodesArePlayable() {
        int id = deliverAndGetRequestId("jellyseerr", lycorisRequest());
        deliver("sonarr", regular(lycorisGrab()));
        deliver("sonarr", regular(lycorisImport()));
        FakeMediaServer.series(SERIES_ITEM, "Lycoris Recoil", 414057, 154494);
        for (int e = 1; e <= 13; e++) {
            FakeMediaServer.episode(SERIES_ITEM, String.format("%032x", 5000 + e), 1, e, e != 13);
        }

        deliver("jellyfin", Payload.of("protocol/jellyfin-item-added-movie.json").set("ItemType", "Series")
                .set("Name", "Lycoris Recoil").set("ItemId", SERIES_ITEM).set("Provider_tvdb", "414057")
                .remove("Provider_tmdb").remove("Provider_imdb")).body("request_id", equalTo(id));

        // episode 13 is only known from metadata (virtual): not playable, so the request is not available yet
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> request(id).body("episode_counts.available", equalTo(12)));
        request(id).body("state", equalTo("importing"))
                .body("timeline_events.event_type", hasItem("Verified"));
    }

    @Test
    void anEpisodeTheRequestDoesNotTrackSaysNothingAboutTheRequest() {
        // given a season-1 request whose pack is imported, and Jellyfin knows the series
        int id = deliverAndGetRequestId("jellyseerr", lycorisRequest());
        deliver("sonarr", regular(lycorisGrab()));
        deliver("sonarr", regular(lycorisImport()));
        deliver("jellyfin", jellyfinEpisode(1, 1, lycorisEpisodeTvdb(1))).body("request_id", equalTo(id));

        // when Jellyfin adds a special of the same series
        deliver("jellyfin", jellyfinEpisode(0, 1, 99999)).body("outcome", equalTo("stale"))
                .body("reason", containsString("none of the episodes"));

        // then the request still waits for its own episodes
        request(id).body("state", equalTo("importing")).body("episode_counts.available", equalTo(1));
    }

    @Test
    void twoRequestsForOneSeriesEachGetTheirOwnSeason() {
        // given season 1 requested and grabbed, then season 2 requested separately
        int first = deliverAndGetRequestId("jellyseerr", lycorisRequest());
        deliver("sonarr", regular(lycorisGrab())).body("request_id", equalTo(first));
        int second = deliverAndGetRequestId("jellyseerr", lycorisRequest().set("request.request_id", "69")
                .set("extra.0.value", "2"));

        // when Sonarr grabs a season-2 episode
        deliver("sonarr", regular(lycorisGrab()).slice("episodes", 0, 1).set("episodes.0.seasonNumber", 2)
                .set("episodes.0.id", 990).set("episodes.0.tvdbId", 990990)
                .set("downloadId", "2222222222333333333344444444445555555555")).body("request_id", equalTo(second));

        // then it went to the season-2 request
        request(second).body("state", equalTo("grabbing")).body("episodes.season_number", contains(2));
        request(first).body("episodes.size()", equalTo(13));
    }

    @Test
    void sonarrV3PayloadsWorkLikeV4() {
        int id = deliverAndGetRequestId("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json")
                .set("subject", "Frieren: Beyond Journey's End (2023)").set("media.media_type", "tv")
                .set("media.tmdbId", "209867").set("media.tvdbId", "424536").set("request.request_id", "401"));
        // v3: no tmdbId/titleSlug/year/tags/images on the series, no instanceName, episodes without tvdbId
        Payload v3Grab = Payload.of("protocol/sonarr-grab.json").remove("series.tmdbId").remove("series.titleSlug")
                .remove("series.year").remove("series.tags").remove("series.images").remove("series.genres")
                .remove("series.originalLanguage").remove("instanceName").remove("applicationUrl")
                .remove("customFormatInfo").remove("episodes.0.tvdbId").remove("episodes.0.seriesId");
        deliver("sonarr", v3Grab).body("request_id", equalTo(id));
        Payload v3Import = Payload.of("protocol/sonarr-download.json").remove("series.tmdbId")
                .remove("series.tags").remove("instanceName").remove("applicationUrl").remove("episodes.0.tvdbId");
        deliver("sonarr", v3Import).body("request_id", equalTo(id));

        request(id).body("state", equalTo("anime_matching")).body("is_anime", equalTo(true))
                .body("episodes[0].final_path", containsString("S01E05"));
    }

    @Test
    void anUpgradeAfterTheSeriesIsAvailableIsNotedAndDeletingItInSonarrMarksItRemoved() {
        int id = deliverAndGetRequestId("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json")
                .set("subject", "Frieren: Beyond Journey's End (2023)").set("media.media_type", "tv")
                .set("media.tmdbId", "209867").set("media.tvdbId", "424536").set("request.request_id", "402"));
        deliver("sonarr", Payload.of("protocol/sonarr-grab.json"));
        deliver("jellyfin", Payload.of("protocol/jellyfin-item-added-episode.json")).body("request_id", equalTo(id));
        request(id).body("state", equalTo("available"));

        deliver("sonarr", Payload.of("protocol/sonarr-download-upgrade.json")).body("request_id", equalTo(id))
                .body("outcome", equalTo("applied"));
        request(id).body("state", equalTo("available")).body("timeline_events.event_type", hasItem("Upgrade"));
        assertEquals(1, db.count("SELECT count(*) FROM media_request"));

        deliver("sonarr", Payload.of("protocol/sonarr-series-delete.json")).body("request_id", equalTo(id));
        request(id).body("state", equalTo("removed"));
    }
}
