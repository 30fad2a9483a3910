package app.statustracker.service;

import static app.statustracker.RequestState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import app.statustracker.Episode;
import app.statustracker.MediaRequest;
import app.statustracker.MediaType;
import app.statustracker.RequestState;

/** A TV request's state from its episodes (PRODUCT.md §1.4), without a database. */
class EpisodeAggregateTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

    static MediaRequest request(String seasons, Integer total) {
        MediaRequest r = new MediaRequest();
        r.mediaType = MediaType.TV;
        r.state = APPROVED;
        r.requestedSeasons = seasons;
        r.totalEpisodes = total;
        return r;
    }

    static Episode episode(int season, int number, RequestState state, LocalDate airDate) {
        Episode e = new Episode();
        e.seasonNumber = season;
        e.episodeNumber = number;
        e.state = state;
        e.airDate = airDate;
        return e;
    }

    static RequestState state(MediaRequest r, List<Episode> episodes) {
        return EpisodeAggregate.of(r, episodes, TODAY).orElseThrow().state();
    }

    @Test
    void theLeastAdvancedEpisodeDecidesNotTheMostAdvanced() {
        List<Episode> eps = List.of(episode(1, 1, AVAILABLE, null), episode(1, 2, DOWNLOADING, null),
                episode(1, 3, IMPORTING, null));
        assertEquals(DOWNLOADING, state(request("1", null), eps));
    }

    @Test
    void expectedEpisodesNobodyGrabbedCountAsSearching() {
        List<Episode> eps = List.of(episode(1, 1, AVAILABLE, null), episode(1, 2, AVAILABLE, null));
        assertEquals(SEARCHING, state(request("1", 13), eps));
        assertEquals(AVAILABLE, state(request("1", 2), eps));
    }

    @Test
    void specialsUnairedEpisodesAndOtherSeasonsDoNotHoldTheRequestBack() {
        List<Episode> eps = new ArrayList<>(List.of(episode(1, 1, AVAILABLE, TODAY.minusDays(7)),
                episode(1, 2, AVAILABLE, TODAY),
                episode(1, 3, SEARCHING, TODAY.plusDays(7)), // airs next week
                episode(0, 1, GRABBING, null), // a special
                episode(2, 1, GRABBING, null))); // a season nobody asked for
        EpisodeAggregate agg = EpisodeAggregate.of(request("1", null), eps, TODAY).orElseThrow();
        assertEquals(AVAILABLE, agg.state());
        assertEquals(3, agg.expected(), "the unaired episode is expected, just not waited for");
    }

    @Test
    void anUnairedEpisodeThatIsAlreadyThereCountsLikeAnyOther() {
        List<Episode> eps = List.of(episode(1, 1, AVAILABLE, null), episode(1, 2, DOWNLOADING, TODAY.plusDays(1)));
        assertEquals(DOWNLOADING, state(request("1", null), eps));
    }

    @Test
    void oneEpisodeThatNeedsALinkHoldsTheRequestThereWithItsStage() {
        Episode stuck = episode(1, 2, MATCH_FAILED, null);
        stuck.problemStage = ANIME_MATCHING;
        EpisodeAggregate agg = EpisodeAggregate.of(request("1", null),
                List.of(episode(1, 1, AVAILABLE, null), stuck), TODAY).orElseThrow();
        assertEquals(MATCH_FAILED, agg.state());
        assertEquals(ANIME_MATCHING, agg.problemStage());
    }

    @Test
    void withNothingToJudgeByTheRequestKeepsItsOwnState() {
        assertTrue(EpisodeAggregate.of(request("1", null), List.of(), TODAY).isEmpty());
        assertTrue(EpisodeAggregate.of(request("1", null), List.of(episode(0, 1, GRABBING, null)), TODAY).isEmpty());
    }

    @Test
    void allEpisodesStillToAirMeansSearching() {
        assertEquals(SEARCHING, state(request("2", null), List.of(episode(2, 1, SEARCHING, TODAY.plusDays(30)))));
    }
}
