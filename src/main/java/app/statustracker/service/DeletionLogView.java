package app.statustracker.service;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import app.statustracker.DeletionLog;
import app.statustracker.DeletionStep;
import app.statustracker.MediaType;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A deletion as the API shows it (snake_case JSON): the snapshot of the request, who deleted it, the overall status,
 * each service's current status ({@code steps}, in the order the services are asked) and, on the detail route, every
 * step row ({@code events}). The SSE stream sends it without the two {@code deleted_by_*} fields.
 */
@RegisterForReflection
public record DeletionLogView(
        long id,
        Long requestId,
        String title,
        MediaType mediaType,
        Integer year,
        String posterUrl,
        Boolean isAnime,
        Long tmdbId,
        Long tvdbId,
        String imdbId,
        String jellyfinId,
        Long sonarrId,
        Long radarrId,
        Long jellyseerrId,
        List<String> downloadHashes,
        boolean deleteFiles,
        DeletionLog.Source source,
        String deletedByUserId,
        String deletedByUsername,
        DeletionLog.Status status,
        Instant initiatedAt,
        Instant completedAt,
        List<Step> steps,
        /** Every step row, oldest first; only on the detail route. */
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Event> events) {

    /** A service's current status: its latest step row. */
    @RegisterForReflection
    public record Step(DeletionStep.Service service, DeletionStep.Status status, String details, String error,
            Instant occurredAt) {
    }

    /** One step row. */
    @RegisterForReflection
    public record Event(long id, DeletionStep.Service service, DeletionStep.Status status, String details,
            String error, Instant occurredAt) {
    }

    /** The view of a log and its step rows (any order); {@code withEvents} adds every row. */
    public static DeletionLogView of(DeletionLog log, List<DeletionStep> rows, boolean withEvents) {
        List<DeletionStep> ordered = rows.stream().sorted(Comparator.comparingLong(s -> s.id)).toList();
        Map<DeletionStep.Service, DeletionStep> latest = DeletionPlan.latest(ordered);
        List<Step> steps = latest.values().stream()
                .map(s -> new Step(s.service, s.status, s.details, s.error, s.occurredAt)).toList();
        List<Event> events = withEvents ? ordered.stream()
                .map(s -> new Event(s.id, s.service, s.status, s.details, s.error, s.occurredAt)).toList() : null;
        return new DeletionLogView(log.id, log.requestId, log.title, log.mediaType, log.year, log.posterUrl,
                log.isAnime, log.tmdbId, log.tvdbId, log.imdbId, log.jellyfinId, log.sonarrId, log.radarrId,
                log.jellyseerrId, log.hashes(), log.deleteFiles, log.source, log.deletedByUserId,
                log.deletedByUsername, log.status, log.initiatedAt, log.completedAt, steps, events);
    }
}
