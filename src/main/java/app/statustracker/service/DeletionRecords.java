package app.statustracker.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.DeletionLog;
import app.statustracker.DeletionStep;
import app.statustracker.Episode;
import app.statustracker.MediaRequest;
import app.statustracker.StreamEvent;
import app.statustracker.ingest.DomainEvent;
import app.statustracker.ingest.Target;
import app.statustracker.service.EventApplier.Effects;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes deletion logs and their steps, and the SSE updates that tell dashboards about them. Runs inside the caller's
 * transaction (the pipeline's turn); never commits and never broadcasts.
 */
@ApplicationScoped
public class DeletionRecords {

    /** The {@code stream_event.event_type} of every deletion update; the data says which one it is. */
    public static final String STREAM_TYPE = "deletion";
    public static final String STARTED = "deletion_started";
    public static final String PROGRESS = "deletion_progress";
    public static final String COMPLETED = "deletion_completed";

    private final ObjectMapper json;

    public DeletionRecords(ObjectMapper json) {
        this.json = json;
    }

    /** The data of an SSE {@code update} about a deletion; serialised by hand, hence registered for native images. */
    @RegisterForReflection
    public record DeletionUpdate(String eventType, long requestId, long deletionLogId, JsonNode deletion) {
    }

    /**
     * A snapshot of the request as it is now, not persisted yet.
     *
     * @param hashes the request's and its episodes' torrent hashes
     */
    public static DeletionLog snapshot(MediaRequest r, List<String> hashes, DeletionLog.Source source,
            boolean deleteFiles, String userId, String username) {
        DeletionLog log = new DeletionLog();
        log.requestId = r.id;
        log.title = r.title;
        log.mediaType = r.mediaType;
        log.year = r.year;
        log.posterUrl = r.posterUrl;
        log.isAnime = r.isAnime;
        log.tmdbId = r.tmdbId;
        log.tvdbId = r.tvdbId;
        log.imdbId = r.imdbId;
        log.jellyfinId = r.jellyfinId;
        log.sonarrId = r.sonarrId;
        log.radarrId = r.radarrId;
        log.jellyseerrId = r.jellyseerrId;
        log.downloadHashes = hashes.isEmpty() ? null : String.join(",", hashes);
        log.deleteFiles = deleteFiles;
        log.source = source;
        log.deletedByUserId = EventApplier.truncate(userId, 64);
        log.deletedByUsername = EventApplier.truncate(username, 200);
        log.status = DeletionLog.Status.IN_PROGRESS;
        log.initiatedAt = Instant.now();
        return log;
    }

    /** Every torrent of the request and of its episodes, lower-case, each once. */
    public static List<String> hashes(MediaRequest r, List<Episode> episodes) {
        Set<String> all = new LinkedHashSet<>();
        if (r.downloadHash != null && !r.downloadHash.isBlank()) {
            all.add(r.downloadHash.trim().toLowerCase(Locale.ROOT));
        }
        for (Episode e : episodes) {
            if (e.downloadHash != null && !e.downloadHash.isBlank()) {
                all.add(e.downloadHash.trim().toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(all);
    }

    /** Persists a new log with its first step rows; returns the rows in order. */
    public Uni<List<DeletionStep>> create(DeletionLog log, List<DeletionPlan.Decision> plan) {
        return log.<DeletionLog>persist().chain(saved -> {
            List<DeletionStep> rows = new ArrayList<>();
            for (DeletionPlan.Decision d : plan) {
                rows.add(step(log.id, d.service(), d.status(), d.details(), null));
            }
            return appendAll(rows).replaceWith(rows);
        });
    }

    /** A new step row (not persisted). */
    public static DeletionStep step(long logId, DeletionStep.Service service, DeletionStep.Status status,
            String details, String error) {
        DeletionStep s = new DeletionStep();
        s.deletionLogId = logId;
        s.service = service;
        s.status = status;
        s.details = details;
        s.error = error;
        s.occurredAt = Instant.now();
        return s;
    }

    /** Persists step rows one after the other, so that their ids follow their order. */
    public Uni<Void> appendAll(List<DeletionStep> rows) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (DeletionStep row : rows) {
            chain = chain.chain(() -> row.persist().replaceWithVoid());
        }
        return chain;
    }

    /**
     * The SSE update for this deletion as it stands (not persisted). It goes to every dashboard, so the admin's name
     * and id are left out.
     */
    public StreamEvent update(String eventType, DeletionLog log, List<DeletionStep> rows) {
        ObjectNode deletion = json.valueToTree(DeletionLogView.of(log, rows, false));
        deletion.remove("deleted_by_user_id");
        deletion.remove("deleted_by_username");
        deletion.remove("events");
        StreamEvent e = new StreamEvent();
        // stream_event.request_id is required: a log whose request row is gone is announced under 0.
        e.requestId = log.requestId == null ? 0L : log.requestId;
        e.eventType = STREAM_TYPE;
        e.createdAt = Instant.now();
        try {
            e.payload = json.writeValueAsString(new DeletionUpdate(eventType, e.requestId, log.id, deletion));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a deletion view is always serialisable", ex);
        }
        return e;
    }

    /**
     * Records a deletion made in Sonarr ({@code SeriesDelete}) or Radarr ({@code MovieDelete}) that has just moved
     * this request to removed: a complete log, the source's step done and the others skipped, and a
     * {@code deletion_completed} update broadcast with the event's own. An external deletion is recorded, not
     * propagated: whoever deleted there decides about the rest. Does nothing for other events.
     *
     * @param payload  the webhook as received (its {@code deletedFiles} says whether the files went too)
     * @param episodes the request's episodes (TV), for their torrent hashes
     */
    public Uni<Void> recordExternal(MediaRequest r, DomainEvent event, String payload, List<Episode> episodes,
            Effects effects) {
        DeletionLog.Source source = externalSource(event);
        if (source == null) {
            return Uni.createFrom().voidItem();
        }
        boolean deletedFiles = deletedFiles(payload);
        DeletionLog log = snapshot(r, hashes(r, episodes), source, deletedFiles, null,
                source == DeletionLog.Source.SONARR ? "Sonarr (external)" : "Radarr (external)");
        log.status = DeletionLog.Status.COMPLETE;
        log.completedAt = log.initiatedAt;
        return create(log, DeletionPlan.external(source, deletedFiles))
                .invoke(rows -> effects.updates().add(update(COMPLETED, log, rows)))
                .replaceWithVoid();
    }

    private static DeletionLog.Source externalSource(DomainEvent event) {
        if (event.target().kind() != Target.Kind.REMOVE) {
            return null;
        }
        if ("sonarr".equals(event.source()) && "SeriesDelete".equals(event.eventType())) {
            return DeletionLog.Source.SONARR;
        }
        if ("radarr".equals(event.source()) && "MovieDelete".equals(event.eventType())) {
            return DeletionLog.Source.RADARR;
        }
        return null;
    }

    /** {@code deletedFiles} of a SeriesDelete/MovieDelete: a boolean there (an array on other events). */
    private boolean deletedFiles(String payload) {
        if (payload == null) {
            return false;
        }
        try {
            JsonNode value = json.readTree(payload).get("deletedFiles");
            return value != null && (value.isBoolean() ? value.booleanValue()
                    : value.isTextual() && "true".equalsIgnoreCase(value.asText()));
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
