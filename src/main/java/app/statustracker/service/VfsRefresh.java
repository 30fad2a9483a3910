package app.statustracker.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.MediaRequest;
import app.statustracker.RequestState;
import app.statustracker.client.JellyfinClient;
import app.statustracker.config.TrackerConfig;
import app.statustracker.ingest.DomainEvent;
import app.statustracker.ingest.Interpretation;
import app.statustracker.ingest.MediaFacts;
import app.statustracker.ingest.MediaKeys;
import app.statustracker.ingest.Submission;
import app.statustracker.ingest.Target;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Shokofin shows anime through a virtual file system it rebuilds on a library scan. An anime request that stays in
 * {@code anime_matching} for {@code VFS_REFRESH_AFTER} (Shoko matched it, Jellyfin still shows nothing) makes the
 * tracker ask Jellyfin for that scan — through Jellyfin's API only (the prototype deleted folders over SSH) — at most
 * once per {@code VFS_REFRESH_MIN_INTERVAL} for all requests, and once per stay of each request (a scan that did not
 * help is not repeated every ten minutes all day). Each refresh is a line in the timelines of the requests it was
 * for (source {@code tracker}, type {@code LibraryRefresh}). Jellyfin answers before its scan has run, so the
 * result is seen by the verification's next scheduled cycle ({@code VERIFY_EVERY}).
 */
@ApplicationScoped
public class VfsRefresh {

    private static final Logger LOG = Logger.getLogger(VfsRefresh.class);

    private final EventPipeline pipeline;
    private final JellyfinClient jellyfin;
    private final app.statustracker.repository.InboundEventRepository events;
    private final TrackerConfig.ShokoConfig config;
    private final ObjectMapper json;
    private volatile Instant lastRefresh = Instant.EPOCH;

    public VfsRefresh(EventPipeline pipeline, JellyfinClient jellyfin,
            app.statustracker.repository.InboundEventRepository events, TrackerConfig config, ObjectMapper json) {
        this.events = events;
        this.pipeline = pipeline;
        this.jellyfin = jellyfin;
        this.config = config.shoko();
        this.json = json;
    }

    @Scheduled(every = "60s", delayed = "60s", identity = "vfs-refresh",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().replaceWithVoid().onFailure().recoverWithNull();
    }

    /** One look: the requests it refreshed the library for (empty when none was due or allowed). */
    public Uni<List<PipelineResult>> run() {
        Duration after = config.vfsRefreshAfter();
        Instant now = Instant.now();
        if (after.isZero() || after.isNegative() || !jellyfin.configured()
                || lastRefresh.isAfter(now.minus(config.vfsRefreshMinInterval()))) {
            return Uni.createFrom().item(List.of());
        }
        Instant cutoff = now.minus(after);
        return pipeline.execute(() -> MediaRequest.<MediaRequest>list(
                "state = ?1 and isAnime = true and stateChangedAt < ?2 order by stateChangedAt",
                RequestState.ANIME_MATCHING, cutoff))
                .chain(waiting -> {
                    List<Submission> notes = waiting.stream().map(r -> note(r, now)).toList();
                    if (notes.isEmpty()) {
                        return Uni.createFrom().item(List.<PipelineResult>of());
                    }
                    // Only requests whose stay has not had its refresh yet: the note's key is the stay.
                    return pipeline.execute(() -> events.storedDedupeKeys(notes.stream().map(Submission::dedupeKey)
                            .toList()).map(stored -> notes.stream().filter(n -> !stored.contains(n.dedupeKey()))
                                    .toList()))
                            .chain(fresh -> fresh.isEmpty()
                            ? Uni.createFrom().item(List.<PipelineResult>of())
                            : jellyfin.refreshLibrary().chain(() -> {
                                lastRefresh = now;
                                LOG.infof("asked Jellyfin to refresh its library for %d anime request(s) waiting in"
                                        + " anime_matching", fresh.size());
                                return pipeline.submitUnseen(fresh);
                            }));
                });
    }

    private Submission note(MediaRequest r, Instant now) {
        long minutes = Duration.between(r.stateChangedAt, now).toMinutes();
        String key = TimeoutCheck.SOURCE + ":vfs-refresh:" + r.id + ":" + r.stateChangedAt.toEpochMilli();
        DomainEvent event = new DomainEvent(TimeoutCheck.SOURCE, "LibraryRefresh", key,
                MediaKeys.ofRequest(r.id, r.mediaType), Target.note(), MediaFacts.none(), "Library Refresh",
                "Waiting for Shokofin for " + TimeoutCheck.duration(minutes)
                        + ": asked Jellyfin to refresh its library, so that Shokofin rebuilds its virtual files");
        ObjectNode payload = json.createObjectNode().put("check", "vfs-refresh").put("request_id", r.id)
                .put("state_changed_at", r.stateChangedAt.toString());
        return Submission.read(TimeoutCheck.SOURCE, "application/json", payload.toString(),
                new Interpretation.Track(event));
    }
}
