package app.statustracker.repository;

import java.time.Instant;
import java.util.List;

import app.statustracker.EventOutcome;
import app.statustracker.InboundEvent;
import app.statustracker.MediaRequest;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class InboundEventRepository implements PanacheRepository<InboundEvent> {

    public Uni<InboundEvent> findByDedupeKey(String dedupeKey) {
        return find("dedupeKey", dedupeKey).firstResult();
    }

    /** Unmatched events that share a correlation key with this request, oldest first (arrival order). */
    public Uni<List<InboundEvent>> unmatchedFitting(MediaRequest request) {
        return list("outcome = ?1 and (jellyseerrId = ?2 or downloadHash = ?3"
                + " or (mediaType = ?4 and (tmdbId = ?5 or tvdbId = ?6 or imdbId = ?7)))",
                Sort.ascending("id"), EventOutcome.UNMATCHED, request.jellyseerrId, request.downloadHash,
                request.mediaType, request.tmdbId, request.tvdbId, request.imdbId);
    }

    public Uni<List<InboundEvent>> forRequest(long requestId) {
        return list("requestId", Sort.ascending("id"), requestId);
    }

    public Uni<Long> deleteReceivedBefore(Instant cutoff) {
        return delete("receivedAt < ?1", cutoff);
    }
}
