package app.statustracker.repository;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import app.statustracker.DeletionLog;
import app.statustracker.DeletionStep;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Deletion logs and their steps. Every write runs in the pipeline's turn; reads need a session of their own. */
@ApplicationScoped
public class DeletionLogRepository implements PanacheRepository<DeletionLog> {

    private static final Sort NEWEST_FIRST = Sort.descending("initiatedAt", "id");

    /** Newest first; {@code source} null for every source; 0-based page. */
    public Uni<List<DeletionLog>> page(DeletionLog.Source source, int pageIndex, int size) {
        return query(source).page(Page.of(pageIndex, size)).list();
    }

    public Uni<Long> count(DeletionLog.Source source) {
        return query(source).count();
    }

    private PanacheQuery<DeletionLog> query(DeletionLog.Source source) {
        return source == null ? findAll(NEWEST_FIRST) : find("source", NEWEST_FIRST, source);
    }

    /** How many deletions each source made; every source is present (0 when none). */
    public Uni<Map<DeletionLog.Source, Long>> countsBySource() {
        return getSession().chain(s -> s.createSelectionQuery(
                "select source, count(*) from DeletionLog group by source", Object[].class).getResultList())
                .map(rows -> {
                    Map<DeletionLog.Source, Long> counts = new EnumMap<>(DeletionLog.Source.class);
                    for (DeletionLog.Source source : DeletionLog.Source.values()) {
                        counts.put(source, 0L);
                    }
                    for (Object[] row : rows) {
                        counts.put((DeletionLog.Source) row[0], ((Number) row[1]).longValue());
                    }
                    return counts;
                });
    }

    /** Whether a deletion of this request is still running. */
    public Uni<Boolean> inProgressFor(long requestId) {
        return count("requestId = ?1 and status = ?2", requestId, DeletionLog.Status.IN_PROGRESS).map(n -> n > 0);
    }

    /** Deletions still marked in progress (at start-up: those a stop interrupted). */
    public Uni<List<DeletionLog>> inProgress() {
        return list("status", Sort.ascending("id"), DeletionLog.Status.IN_PROGRESS);
    }

    /** The steps of one deletion, oldest first. */
    public Uni<List<DeletionStep>> steps(long logId) {
        return DeletionStep.list("deletionLogId", Sort.ascending("id"), logId);
    }

    /** The steps of several deletions, oldest first. */
    public Uni<List<DeletionStep>> steps(Collection<Long> logIds) {
        if (logIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return DeletionStep.list("deletionLogId in ?1", Sort.ascending("id"), logIds);
    }
}
