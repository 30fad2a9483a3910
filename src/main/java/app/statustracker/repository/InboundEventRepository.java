package app.statustracker.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import app.statustracker.EventOutcome;
import app.statustracker.InboundEvent;
import app.statustracker.MediaRequest;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class InboundEventRepository implements PanacheRepository<InboundEvent> {

    /** How long an unmatched event waits for a request it fits. */
    static final java.time.Duration UNMATCHED_WAIT = java.time.Duration.ofDays(7);

    public Uni<InboundEvent> findByDedupeKey(String dedupeKey) {
        return find("dedupeKey", dedupeKey).firstResult();
    }

    /** Which of these dedupe keys are stored (one query for a whole batch of events). */
    public Uni<List<String>> storedDedupeKeys(Collection<String> dedupeKeys) {
        if (dedupeKeys.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return getSession().chain(session -> session
                .createSelectionQuery("select e.dedupeKey from InboundEvent e where e.dedupeKey in :keys", String.class)
                .setParameter("keys", dedupeKeys).getResultList());
    }

    /** The newest stored event's arrival, or null when the log is empty (a fresh install). */
    public Uni<Instant> newestReceivedAt() {
        return getSession().chain(session -> session
                .createSelectionQuery("select max(e.receivedAt) from InboundEvent e", Instant.class)
                .getSingleResultOrNull());
    }

    /** Every dedupe key stored for these torrents (lower-case hashes) from one source. */
    public Uni<List<String>> dedupeKeysForHashes(String source, Collection<String> hashes) {
        if (hashes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return getSession().chain(session -> session
                .createSelectionQuery("select e.dedupeKey from InboundEvent e where e.source = :source"
                        + " and e.downloadHash in :hashes", String.class)
                .setParameter("source", source).setParameter("hashes", hashes).getResultList());
    }

    /**
     * Unmatched events that share a correlation key with this request (or carry one of these torrent hashes, e.g.
     * of its episodes), oldest first (arrival order). The outcome is written as a literal, not a parameter: only then
     * can PostgreSQL's cached (generic) plan use the partial {@code WHERE outcome = 'unmatched'} indexes instead of
     * scanning the whole event log.
     */
    public Uni<List<InboundEvent>> unmatchedFitting(MediaRequest request, Collection<String> hashes) {
        List<String> allHashes = new ArrayList<>(new java.util.LinkedHashSet<>(hashes));
        if (request.downloadHash != null && !allHashes.contains(request.downloadHash)) {
            allHashes.add(request.downloadHash);
        }
        // Scalar parameters, one per hash (usually one or two): the translated query stays cached.
        StringBuilder byHash = new StringBuilder();
        Parameters p = Parameters.with("js", request.jellyseerrId).and("type", request.mediaType)
                .and("tmdb", request.tmdbId).and("tvdb", request.tvdbId).and("imdb", request.imdbId)
                .and("jf", request.jellyfinId);
        for (int i = 0; i < allHashes.size(); i++) {
            byHash.append(" or downloadHash = :h").append(i);
            p.and("h" + i, allHashes.get(i));
        }
        // Only recent ones: an event that waited longer than this is about something else (an old upgrade of a
        // movie deleted and requested again since) rather than a webhook that beat its request.
        p.and("since", Instant.now().minus(UNMATCHED_WAIT));
        return list("outcome = '" + EventOutcome.UNMATCHED.value() + "' and receivedAt > :since and (jellyseerrId = :js"
                + byHash
                + " or jellyfinId = :jf or (mediaType = :type and (tmdbId = :tmdb or tvdbId = :tvdb or imdbId = :imdb)))",
                Sort.ascending("id"), p);
    }

    public Uni<List<InboundEvent>> forRequest(long requestId) {
        return list("requestId", Sort.ascending("id"), requestId);
    }

    /** Newest first, optionally only one outcome and/or source; 0-based page. */
    public Uni<List<InboundEvent>> page(EventOutcome outcome, String source, int pageIndex, int size) {
        return query(outcome, source).page(io.quarkus.panache.common.Page.of(pageIndex, size)).list();
    }

    public Uni<Long> count(EventOutcome outcome, String source) {
        return query(outcome, source).count();
    }

    private io.quarkus.hibernate.reactive.panache.PanacheQuery<InboundEvent> query(EventOutcome outcome, String source) {
        Sort newest = Sort.descending("id");
        if (outcome != null && source != null) {
            return find("outcome = ?1 and source = ?2", newest, outcome, source);
        }
        if (outcome != null) {
            return find("outcome = ?1", newest, outcome);
        }
        return source != null ? find("source = ?1", newest, source) : findAll(newest);
    }

    public Uni<Long> deleteReceivedBefore(Instant cutoff) {
        return delete("receivedAt < ?1", cutoff);
    }
}
