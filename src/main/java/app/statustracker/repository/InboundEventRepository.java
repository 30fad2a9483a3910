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

    /**
     * Unmatched events that share a correlation key with this request, oldest first (arrival order). The outcome is
     * written as a literal, not a parameter: only then can PostgreSQL's cached (generic) plan use the partial
     * {@code WHERE outcome = 'unmatched'} indexes instead of scanning the whole event log.
     */
    public Uni<List<InboundEvent>> unmatchedFitting(MediaRequest request) {
        return list("outcome = '" + EventOutcome.UNMATCHED.value() + "' and (jellyseerrId = ?1 or downloadHash = ?2"
                + " or (mediaType = ?3 and (tmdbId = ?4 or tvdbId = ?5 or imdbId = ?6)))",
                Sort.ascending("id"), request.jellyseerrId, request.downloadHash,
                request.mediaType, request.tmdbId, request.tvdbId, request.imdbId);
    }

    public Uni<List<InboundEvent>> forRequest(long requestId) {
        return list("requestId", Sort.ascending("id"), requestId);
    }

    public Uni<Long> deleteReceivedBefore(Instant cutoff) {
        return delete("receivedAt < ?1", cutoff);
    }
}
