package app.statustracker.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import app.statustracker.DeletionLog;
import app.statustracker.DeletionStep;
import app.statustracker.MediaType;
import app.statustracker.repository.DeletionLogRepository;
import app.statustracker.repository.EpisodeRepository;
import app.statustracker.repository.MediaRequestRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Read side of deletions: the preview before one, the log list and one log with its history. */
@ApplicationScoped
@WithSession
public class DeletionQueries {

    /** @param counts deletions per source, over all of them (not only this page) */
    @RegisterForReflection
    public record LogPage(List<DeletionLogView> logs, long total, int page, int perPage, Map<String, Long> counts) {
    }

    private final DeletionLogRepository logs;
    private final MediaRequestRepository requests;
    private final EpisodeRepository episodes;
    private final DeletionSync sync;

    public DeletionQueries(DeletionLogRepository logs, MediaRequestRepository requests, EpisodeRepository episodes,
            DeletionSync sync) {
        this.logs = logs;
        this.requests = requests;
        this.episodes = episodes;
        this.sync = sync;
    }

    /**
     * What deleting the request would do with each service, as the deletion would start it and as its turn would
     * find it now (sync off, not configured, files kept); null for an unknown request.
     */
    public Uni<DeletionPreview> preview(long requestId, boolean deleteFiles) {
        return requests.findById(requestId).chain(r -> {
            if (r == null) {
                return Uni.createFrom().nullItem();
            }
            return (r.mediaType == MediaType.TV ? episodes.forRequest(r.id) : Uni.createFrom().item(
                    List.<app.statustracker.Episode>of())).chain(eps -> {
                        DeletionLog log = DeletionRecords.snapshot(r, DeletionRecords.hashes(r, eps),
                                DeletionLog.Source.DASHBOARD, deleteFiles, null, null);
                        return requests.sharing(r.id, r.mediaType, r.mediaType == MediaType.TV ? r.sonarrId : r.radarrId,
                                r.tmdbId, log.hashes()).map(sharers -> {
                                    List<DeletionPreview.Service> services = new ArrayList<>();
                                    for (DeletionPlan.Decision d : DeletionPlan.initial(log)) {
                                        services.add(previewed(d, log, sharers));
                                    }
                                    return new DeletionPreview(r.id, r.title, r.mediaType, sync.enabled(), true,
                                            services);
                                });
                    });
        });
    }

    /** A service as the deletion's turn would find it: skipped (sync off, not configured, shared) or as planned. */
    private DeletionPreview.Service previewed(DeletionPlan.Decision d, DeletionLog log, List<Object[]> sharers) {
        if (d.status() != DeletionStep.Status.PENDING) {
            return new DeletionPreview.Service(d.service(), d.status(), d.details());
        }
        String skip = DeletionPlan.skipReason(d.service(), log, sync.enabled(), sync.configured(d.service()));
        String shared = skip == null ? DeletionPlan.sharedReason(d.service(), sharers) : null;
        if (shared != null && d.service() == DeletionStep.Service.JELLYSEERR) {
            return log.jellyseerrId == null
                    ? new DeletionPreview.Service(d.service(), DeletionStep.Status.SKIPPED, shared)
                    : new DeletionPreview.Service(d.service(), d.status(), "Delete request " + log.jellyseerrId + "; "
                            + Character.toLowerCase(shared.charAt(0)) + shared.substring(1));
        }
        String why = skip != null ? skip : shared;
        return why == null ? new DeletionPreview.Service(d.service(), d.status(), d.details())
                : new DeletionPreview.Service(d.service(), DeletionStep.Status.SKIPPED, why);
    }

    /** Newest first, each with its services' current status (not every step row); 1-based page. */
    public Uni<LogPage> page(DeletionLog.Source source, int page, int perPage) {
        return logs.page(source, page - 1, perPage).chain(rows -> logs.steps(rows.stream().map(l -> l.id).toList())
                .map(steps -> {
                    Map<Long, List<DeletionStep>> byLog = steps.stream()
                            .collect(Collectors.groupingBy(s -> s.deletionLogId));
                    return rows.stream().map(l -> DeletionLogView.of(l, byLog.getOrDefault(l.id, List.of()), false))
                            .toList();
                }))
                .chain(views -> logs.count(source).chain(total -> logs.countsBySource().map(counts -> {
                    Map<String, Long> named = new LinkedHashMap<>();
                    counts.forEach((s, n) -> named.put(s.value(), n));
                    return new LogPage(views, total, page, perPage, named);
                })));
    }

    /** One deletion with every step row; null when unknown. */
    public Uni<DeletionLogView> detail(long id) {
        return logs.findById(id).chain(log -> log == null ? Uni.createFrom().nullItem()
                : logs.steps(id).map(rows -> DeletionLogView.of(log, rows, true)));
    }
}
