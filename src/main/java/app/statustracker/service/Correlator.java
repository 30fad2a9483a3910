package app.statustracker.service;

import app.statustracker.MediaRequest;
import app.statustracker.ingest.MediaKeys;
import app.statustracker.repository.MediaRequestRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds the request an event is about. Tries the most specific key first (Jellyseerr request id, then torrent
 * hash, then media ids); with several candidates the most recently active one of the right media type wins, so
 * duplicates never raise (PRODUCT.md §1.11).
 */
@ApplicationScoped
public class Correlator {

    private final MediaRequestRepository requests;

    public Correlator(MediaRequestRepository requests) {
        this.requests = requests;
    }

    public Uni<MediaRequest> find(MediaKeys keys) {
        Uni<MediaRequest> byJellyseerr = keys.jellyseerrId() == null ? Uni.createFrom().nullItem()
                : requests.findByJellyseerrId(keys.jellyseerrId(), keys.is4k());
        return byJellyseerr
                .onItem().ifNull().switchTo(() -> keys.downloadHash() == null ? Uni.createFrom().nullItem()
                        : requests.findOpenByHash(keys.downloadHash()))
                .onItem().ifNull().switchTo(() -> keys.mediaType() == null ? Uni.createFrom().nullItem()
                        : requests.findOpenByMedia(keys.mediaType(), keys.tmdbId(), keys.tvdbId(), keys.imdbId(),
                                keys.is4k(), keys.jellyseerrId()));
    }
}
