package app.statustracker.service;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import app.statustracker.MediaRequest;
import app.statustracker.ingest.DomainEvent;
import app.statustracker.ingest.EpisodeFact;
import app.statustracker.ingest.EpisodeScope;
import app.statustracker.ingest.JellyseerrAdapter;
import app.statustracker.ingest.MediaKeys;
import app.statustracker.ingest.Target;
import app.statustracker.repository.MediaRequestRepository;
import app.statustracker.repository.MediaRequestRepository.Among;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds the request an event is about (PRODUCT.md §1.11). Keys are tried from the most specific to the least: the
 * Jellyseerr request id, the torrent hash (of the request or one of its episodes), the Sonarr/Radarr id, the
 * Jellyfin item id, the TVDB ids of the episodes, then the media ids. With several candidates the most recently
 * active one of the right media type wins, so duplicates never raise.
 *
 * <p>Open requests are searched first. Depending on the event's {@link Target.Reach}, available requests (upgrades
 * after the fact) or any request (deletes) are searched next.
 */
@ApplicationScoped
public class Correlator {

    private final MediaRequestRepository requests;

    public Correlator(MediaRequestRepository requests) {
        this.requests = requests;
    }

    public Uni<MediaRequest> find(DomainEvent event) {
        MediaKeys keys = event.keys();
        if (keys.requestId() != null) {
            // The tracker's own checks name the request they are about; the transition rules judge its state.
            return requests.findById(keys.requestId());
        }
        List<Long> episodeTvdbIds = event.episodes().mode() == EpisodeScope.Mode.LISTED
                ? event.episodes().listed().stream().map(EpisodeFact::tvdbId).filter(Objects::nonNull).toList()
                : List.of();
        // A Jellyseerr request id names one request in any state: it is the request itself, never a look-alike.
        Uni<MediaRequest> byJellyseerr = keys.jellyseerrId() == null ? Uni.createFrom().nullItem()
                : requests.findByJellyseerrId(keys.jellyseerrId(), keys.is4k());
        // Only Jellyseerr tells 4K requests apart; for the others both kinds fit.
        Boolean is4k = keys.is4k() || JellyseerrAdapter.SOURCE.equals(event.source()) ? keys.is4k() : null;
        Function<Among, Uni<MediaRequest>> search = among -> byOtherKeys(keys, is4k, episodeTvdbIds, among);
        Uni<MediaRequest> found = byJellyseerr.onItem().ifNull().switchTo(() -> search.apply(Among.OPEN))
                .chain(request -> request == null ? Uni.createFrom().nullItem() : forTheSeasons(event, request));
        return switch (event.target().reach()) {
            case OPEN -> found;
            case OPEN_OR_AVAILABLE -> found.onItem().ifNull().switchTo(() -> search.apply(Among.AVAILABLE));
            case ANY -> found.onItem().ifNull().switchTo(() -> search.apply(Among.CLOSED));
        };
    }

    /**
     * Two open requests for one series (season 1, later season 2) share its ids: episodes go to the request that
     * asked for their season.
     */
    private Uni<MediaRequest> forTheSeasons(DomainEvent event, MediaRequest found) {
        List<Integer> seasons = event.episodes().mode() == EpisodeScope.Mode.LISTED
                ? event.episodes().listed().stream().map(EpisodeFact::season).distinct().toList() : List.of();
        if (found.mediaType != app.statustracker.MediaType.TV || seasons.isEmpty() || asks(found, seasons)) {
            return Uni.createFrom().item(found);
        }
        MediaKeys k = event.keys();
        return requests.openForSeries(k.sonarrId(), k.tvdbId() != null ? k.tvdbId() : found.tvdbId,
                k.tmdbId() != null ? k.tmdbId() : found.tmdbId)
                .map(candidates -> candidates.stream().filter(c -> asks(c, seasons)).findFirst().orElse(found));
    }

    /** Whether the request asked for these seasons (a request that names none takes any). */
    private static boolean asks(MediaRequest r, List<Integer> seasons) {
        List<Integer> requested = RequestViews.seasons(r.requestedSeasons);
        return requested.isEmpty() || requested.containsAll(seasons);
    }

    private Uni<MediaRequest> byOtherKeys(MediaKeys keys, Boolean is4k, List<Long> episodeTvdbIds, Among states) {
        return orElse(keys.downloadHash() == null ? null : () -> requests.findByHash(keys.downloadHash(), states))
                .onItem().ifNull().switchTo(() -> orElse(keys.mediaType() == null
                        || (keys.sonarrId() == null && keys.radarrId() == null) ? null
                                : () -> requests.findByArrId(keys.mediaType(), keys.sonarrId(), keys.radarrId(),
                                        keys.tvdbId(), keys.tmdbId(), states)))
                .onItem().ifNull().switchTo(() -> orElse(keys.jellyfinId() == null ? null
                        : () -> requests.findByJellyfinId(keys.jellyfinId(), states)))
                .onItem().ifNull().switchTo(() -> orElse(episodeTvdbIds.isEmpty() ? null
                        : () -> requests.findByEpisodeTvdbId(episodeTvdbIds, states)))
                .onItem().ifNull().switchTo(() -> orElse(keys.mediaType() == null ? null
                        : () -> requests.findByMedia(keys.mediaType(), keys.tmdbId(), keys.tvdbId(), keys.imdbId(),
                                is4k, keys.jellyseerrId(), states)));
    }

    private static Uni<MediaRequest> orElse(java.util.function.Supplier<Uni<MediaRequest>> lookup) {
        return lookup == null ? Uni.createFrom().nullItem() : lookup.get();
    }
}
