package app.statustracker.service;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import app.statustracker.Episode;
import app.statustracker.MediaRequest;
import app.statustracker.RequestState;

/**
 * A TV request's state from its episodes (PRODUCT.md §1.4): the least advanced of the episodes it expects, not the
 * most advanced. Expected are the episodes of the requested seasons (all seasons when none were named), without
 * specials (season 0) and without episodes that have not aired yet. Episodes the request expects but nobody has
 * grabbed yet (its expected count is higher than the rows it has) count as {@code searching}.
 *
 * @param state        the request's state
 * @param problemStage for a problem state, the stage of the episode it comes from
 * @param expected     how many episodes the request expects (aired or not)
 */
public record EpisodeAggregate(RequestState state, RequestState problemStage, int expected) {

    /** Problem states rank lowest: one episode that needs a manual link holds the request there. */
    private static final Comparator<Episode> LEAST_ADVANCED = Comparator.comparingInt(e -> e.state.rank());

    /** Empty when the request has no episodes to judge by (it is then moved by request-level events only). */
    public static Optional<EpisodeAggregate> of(MediaRequest r, List<Episode> episodes, LocalDate today) {
        Set<Integer> seasons = Set.copyOf(RequestViews.seasons(r.requestedSeasons));
        List<Episode> expected = episodes.stream()
                .filter(e -> e.seasonNumber > 0 && (seasons.isEmpty() || seasons.contains(e.seasonNumber)))
                .toList();
        int total = Math.max(r.totalEpisodes == null ? 0 : r.totalEpisodes, expected.size());
        if (total == 0) {
            return Optional.empty();
        }
        int missing = total - expected.size();
        List<Episode> aired = expected.stream()
                .filter(e -> e.airDate == null || !e.airDate.isAfter(today) || e.state.rank() > RequestState.SEARCHING.rank())
                .toList();
        Optional<Episode> least = aired.stream().min(LEAST_ADVANCED);
        if (missing > 0 || least.isEmpty()) {
            // Not grabbed yet, or nothing aired yet: waiting for Sonarr to find releases.
            if (least.isPresent() && least.get().state.rank() < RequestState.SEARCHING.rank()) {
                return Optional.of(from(least.get(), total));
            }
            return Optional.of(new EpisodeAggregate(RequestState.SEARCHING, null, total));
        }
        return Optional.of(from(least.get(), total));
    }

    private static EpisodeAggregate from(Episode e, int total) {
        return new EpisodeAggregate(e.state, e.state.isProblem() ? e.problemStage : null, total);
    }
}
