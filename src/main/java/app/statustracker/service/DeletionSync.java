package app.statustracker.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.DeletionLog;
import app.statustracker.DeletionStep;
import app.statustracker.DeletionStep.Service;
import app.statustracker.DeletionStep.Status;
import app.statustracker.Episode;
import app.statustracker.MediaRequest;
import app.statustracker.MediaType;
import app.statustracker.StreamEvent;
import app.statustracker.auth.Caller;
import app.statustracker.client.JellyfinClient;
import app.statustracker.client.JellyseerrClient;
import app.statustracker.client.QbittorrentClient;
import app.statustracker.client.RadarrClient;
import app.statustracker.client.ShokoClient;
import app.statustracker.client.SonarrClient;
import app.statustracker.client.UpstreamException;
import app.statustracker.config.TrackerConfig;
import app.statustracker.ingest.DomainEvent;
import app.statustracker.ingest.Interpretation;
import app.statustracker.ingest.MediaFacts;
import app.statustracker.ingest.MediaKeys;
import app.statustracker.ingest.Submission;
import app.statustracker.ingest.Target;
import app.statustracker.repository.DeletionLogRepository;
import app.statustracker.repository.EpisodeRepository;
import app.statustracker.repository.MediaRequestRepository;
import app.statustracker.repository.StreamEventRepository;
import app.statustracker.stream.UpdateBroadcaster;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Deleting a request from the dashboard (issue 7): the tracker's own row and, with {@code ENABLE_DELETION_SYNC}, the
 * media in every upstream.
 *
 * <p>{@link #start} snapshots the request into a deletion log and moves it to {@code removed} through the
 * {@link EventPipeline} (an {@code admin} {@code Delete} event, in the same transaction as the log), then answers at
 * once. The row is kept: the webhooks the deletion itself causes (Sonarr's SeriesDelete, ...) land on it instead of
 * waiting as unmatched for a future request of the same media. The upstreams are then asked in the background, one
 * after the other in {@link DeletionPlan}'s order; each step is written as {@code running}, then {@code done} or
 * {@code failed} (one failure never stops the next service), and each change is a persisted SSE update. A deletion
 * with failed steps ends {@code incomplete}; {@link #retryFailed} asks those services again.
 *
 * <p>Deletions run one at a time: a bulk delete of a hundred requests does not send Sonarr a hundred deletes at once.
 * Every database write goes through the pipeline's single writer, so the SSE ids follow commit order.
 */
@ApplicationScoped
public class DeletionSync {

    /** The source of dashboard deletions in the event log and the timeline. */
    public static final String SOURCE = "admin";
    /** Most requests one bulk delete may name. */
    public static final int MAX_BULK = 100;
    private static final Logger LOG = Logger.getLogger(DeletionSync.class);

    /** What a start or a retry did. */
    public enum Outcome {
        STARTED, NOT_FOUND,
        /** A deletion of that request (start), or that deletion (retry), is still running. */
        IN_PROGRESS,
        /** Retry: no step of that deletion failed. */
        NOTHING_FAILED
    }

    /** @param log the deletion as it started; null unless {@link Outcome#STARTED} */
    public record Result(Outcome outcome, DeletionLogView log) {
    }

    /**
     * @param deletions  the deletions started, in the order of the ids
     * @param notFound   ids of no request
     * @param inProgress ids whose deletion is still running (not started again)
     */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Bulk(List<DeletionLogView> deletions, List<Long> notFound, List<Long> inProgress) {
    }

    /** One deletion's turn in the background: these services, in this order. */
    private record Run(long logId, List<Service> services) {
    }

    /** What a write in the pipeline's turn found: the log as it is now, and the update it wrote (null if none). */
    private record Written(DeletionLog log, StreamEvent update, String skipped) {
    }

    private final EventPipeline pipeline;
    private final UpdateBroadcaster broadcaster;
    private final DeletionRecords records;
    private final DeletionLogRepository logs;
    private final MediaRequestRepository requests;
    private final EpisodeRepository episodes;
    private final StreamEventRepository streams;
    private final SonarrClient sonarr;
    private final RadarrClient radarr;
    private final QbittorrentClient qbittorrent;
    private final ShokoClient shoko;
    private final JellyfinClient jellyfin;
    private final JellyseerrClient jellyseerr;
    private final TrackerConfig config;
    private final ObjectMapper json;
    private final Context loop;
    /** Secrets of the configuration, never to appear in a step's error even if an upstream echoed one. */
    private final List<String> secrets;
    /** Deletions waiting for their turn. Guarded by {@code this}. */
    private final Queue<Run> waiting = new ArrayDeque<>();
    /** Guarded by {@code this}. */
    private boolean running;

    public DeletionSync(EventPipeline pipeline, UpdateBroadcaster broadcaster, DeletionRecords records,
            DeletionLogRepository logs, MediaRequestRepository requests, EpisodeRepository episodes,
            StreamEventRepository streams, SonarrClient sonarr, RadarrClient radarr, QbittorrentClient qbittorrent,
            ShokoClient shoko, JellyfinClient jellyfin, JellyseerrClient jellyseerr, TrackerConfig config,
            ObjectMapper json, Vertx vertx) {
        this.pipeline = pipeline;
        this.broadcaster = broadcaster;
        this.records = records;
        this.logs = logs;
        this.requests = requests;
        this.episodes = episodes;
        this.streams = streams;
        this.sonarr = sonarr;
        this.radarr = radarr;
        this.qbittorrent = qbittorrent;
        this.shoko = shoko;
        this.jellyfin = jellyfin;
        this.jellyseerr = jellyseerr;
        this.config = config;
        this.json = json;
        this.loop = vertx.getOrCreateContext();
        List<String> known = new ArrayList<>();
        for (Optional<String> secret : List.of(config.sonarr().apiKey(), config.radarr().apiKey(),
                config.jellyseerr().apiKey(), config.shoko().apiKey(), config.jellyfin().apiKey(),
                config.qbittorrent().password())) {
            secret.filter(s -> s.length() >= 4).ifPresent(known::add);
        }
        this.secrets = List.copyOf(known);
    }

    public boolean enabled() {
        return config.deletionSync().enabled();
    }

    /** Whether the service's client could be asked at all (its address and key are set). */
    boolean configured(Service service) {
        return switch (service) {
            case SONARR -> sonarr.configured();
            case RADARR -> radarr.configured();
            case QBITTORRENT -> qbittorrent.configured();
            case SHOKO -> shoko.configured();
            case JELLYFIN -> jellyfin.configured();
            case JELLYSEERR -> jellyseerr.configured();
        };
    }

    // --- starting ---

    /**
     * Deletes a request: logs it, removes it through the pipeline, and answers once both are committed; the
     * upstreams are asked in the background.
     *
     * @param deleteFiles also delete the files (Sonarr/Radarr), the torrent's data, and let Shoko and Jellyfin drop
     *                    them
     * @param caller      the admin, recorded as who deleted it
     */
    public Uni<Result> start(long requestId, boolean deleteFiles, Caller caller) {
        String who = name(caller);
        Result[] found = { new Result(Outcome.NOT_FOUND, null) };
        // Read, log and remove in one turn of the writer: no event can change the request in between, and a second
        // delete of the same request waits for this one and then sees it in progress.
        return pipeline.check(effects -> requests.findById(requestId).chain(r -> {
            if (r == null) {
                return Uni.createFrom().item(List.<Submission>of());
            }
            return logs.inProgressFor(requestId).chain(busy -> {
                if (busy) {
                    found[0] = new Result(Outcome.IN_PROGRESS, null);
                    return Uni.createFrom().item(List.<Submission>of());
                }
                return episodesOf(r).chain(eps -> {
                    DeletionLog log = DeletionRecords.snapshot(r, DeletionRecords.hashes(r, eps),
                            DeletionLog.Source.DASHBOARD, deleteFiles, caller.userId(), caller.username());
                    return records.create(log, DeletionPlan.initial(log)).map(rows -> {
                        effects.updates().add(records.update(DeletionRecords.STARTED, log, rows));
                        found[0] = new Result(Outcome.STARTED, DeletionLogView.of(log, rows, true));
                        return List.of(removal(r, log.id, who, deleteFiles));
                    });
                });
            });
        })).chain(applied -> {
            Result result = found[0];
            if (result.outcome() != Outcome.STARTED) {
                return Uni.createFrom().item(result);
            }
            long logId = result.log().id();
            // Had the removal failed with the log, the pipeline applied it again alone, without the log: only a log
            // that was committed is run and reported.
            return pipeline.execute(() -> logs.findById(logId)).map(log -> {
                if (log == null) {
                    throw new IllegalStateException("the deletion of request " + requestId
                            + " could not be recorded; see the service log");
                }
                enqueue(new Run(logId, pending(result.log())));
                return result;
            });
        });
    }

    /** Starts a deletion of each request, one after the other (at most {@link #MAX_BULK}). */
    public Uni<Bulk> startAll(List<Long> requestIds, boolean deleteFiles, Caller caller) {
        if (requestIds.size() > MAX_BULK) {
            return Uni.createFrom().failure(new IllegalArgumentException("at most " + MAX_BULK + " requests at once"));
        }
        List<DeletionLogView> started = new ArrayList<>();
        List<Long> notFound = new ArrayList<>();
        List<Long> busy = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Long id : new LinkedHashSet<>(requestIds)) {
            chain = chain.chain(() -> start(id, deleteFiles, caller).invoke(result -> {
                switch (result.outcome()) {
                    case STARTED -> started.add(result.log());
                    case IN_PROGRESS -> busy.add(id);
                    default -> notFound.add(id);
                }
            })).replaceWithVoid();
        }
        return chain.map(done -> new Bulk(started, notFound, busy));
    }

    /**
     * Asks again the services whose step failed, in the same order, in the background. Not while the deletion is
     * still running, and not when nothing failed.
     */
    public Uni<Result> retryFailed(long logId, Caller caller) {
        String who = name(caller);
        Result[] found = { new Result(Outcome.NOT_FOUND, null) };
        List<Service> again = new ArrayList<>();
        return write(() -> logs.findById(logId).chain(log -> {
            if (log == null) {
                return Uni.createFrom().item(new Written(null, null, null));
            }
            return logs.steps(logId).chain(rows -> {
                if (log.status == DeletionLog.Status.IN_PROGRESS) {
                    found[0] = new Result(Outcome.IN_PROGRESS, null);
                    return Uni.createFrom().item(new Written(log, null, null));
                }
                List<Service> failed = DeletionPlan.failed(rows);
                if (failed.isEmpty()) {
                    found[0] = new Result(Outcome.NOTHING_FAILED, null);
                    return Uni.createFrom().item(new Written(log, null, null));
                }
                again.addAll(failed);
                log.status = DeletionLog.Status.IN_PROGRESS;
                log.completedAt = null;
                List<DeletionStep> retried = new ArrayList<>();
                for (Service service : failed) {
                    retried.add(DeletionRecords.step(logId, service, Status.PENDING, "Retry requested by an admin",
                            null));
                }
                return records.appendAll(retried).chain(() -> {
                    List<DeletionStep> all = new ArrayList<>(rows);
                    all.addAll(retried);
                    found[0] = new Result(Outcome.STARTED, DeletionLogView.of(log, all, true));
                    return announce(DeletionRecords.STARTED, log, all).map(u -> new Written(log, u, null));
                });
            });
        })).map(written -> {
            if (found[0].outcome() == Outcome.STARTED) {
                enqueue(new Run(logId, List.copyOf(again)));
            }
            return found[0];
        });
    }

    /** The tracker's own removal of the request: an event like a webhook's, applied by the pipeline. */
    private Submission removal(MediaRequest r, long logId, String who, boolean deleteFiles) {
        // The timeline and the stream are public on a public dashboard: who it was stays in the admin-only event log
        // and deletion log.
        String details = "Deleted by an admin" + (deleteFiles ? " (files too)" : " (files kept)");
        DomainEvent event = new DomainEvent(SOURCE, "Delete", SOURCE + ":delete:" + r.id + ":" + logId,
                MediaKeys.ofRequest(r.id, r.mediaType), Target.remove(), MediaFacts.none(), "Deleted", details);
        // Who and what, never a token: the event log shows payloads to admins.
        String payload = json.createObjectNode().put("action", "delete").put("request_id", r.id).put("by", who)
                .put("delete_files", deleteFiles).put("deletion_log_id", logId).toString();
        return Submission.read(SOURCE, "application/json", payload, new Interpretation.Track(event));
    }

    private Uni<List<Episode>> episodesOf(MediaRequest r) {
        return r.mediaType == MediaType.TV ? episodes.forRequest(r.id) : Uni.createFrom().item(List.of());
    }

    private static List<Service> pending(DeletionLogView view) {
        return view.steps().stream().filter(s -> s.status() == Status.PENDING).map(DeletionLogView.Step::service)
                .toList();
    }

    private static String name(Caller caller) {
        return caller == null || caller.username() == null || caller.username().isBlank() ? "an unknown admin"
                : caller.username();
    }

    // --- the background part ---

    private synchronized void enqueue(Run run) {
        waiting.add(run);
        if (!running) {
            running = true;
            next();
        }
    }

    /** Takes the next deletion, or stops when none waits. */
    private void next() {
        Run run;
        synchronized (this) {
            run = waiting.poll();
            if (run == null) {
                running = false;
                return;
            }
        }
        // Off the caller's thread and context: on a fresh safe context of our own (the clients and the pipeline
        // need a Vert.x context; Hibernate, should anything here ever use it directly, a safe one).
        Context context = VertxContext.createNewDuplicatedContext(loop);
        VertxContextSafetyToggle.setContextSafe(context, true);
        Executor here = task -> context.runOnContext(ignored -> task.run());
        context.runOnContext(ignored -> {
            Uni<Void> work;
            try {
                work = runSteps(run, here);
            } catch (RuntimeException e) {
                work = Uni.createFrom().failure(e);
            }
            work.subscribe().with(done -> next(), failure -> {
                // Only the database can get here (an upstream's failure is a failed step): the deletion stays in
                // progress until the next start marks it interrupted, then it can be retried.
                LOG.errorf("deletion #%d could not be carried out: %s", run.logId(), SecretMasker.describe(failure));
                next();
            });
        });
    }

    private Uni<Void> runSteps(Run run, Executor here) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Service service : run.services()) {
            chain = chain.chain(() -> step(run.logId(), service, here));
        }
        return chain.chain(() -> finish(run.logId(), here));
    }

    /** One service: skipped, or running then done or failed. */
    private Uni<Void> step(long logId, Service service, Executor here) {
        String[] keepMedia = { null };
        return write(() -> logs.findById(logId).chain(log -> {
            if (log == null) {
                return Uni.createFrom().item(new Written(null, null, "gone"));
            }
            String skip = DeletionPlan.skipReason(service, log, enabled(), configured(service));
            // Asked when the turn comes, in the writer's turn: a request that appeared since the deletion started
            // (a re-request) counts too.
            Uni<String> shared = skip != null || log.requestId == null ? Uni.createFrom().nullItem()
                    : requests.sharing(log.requestId, log.mediaType,
                            log.mediaType == MediaType.TV ? log.sonarrId : log.radarrId, log.tmdbId, log.hashes())
                            .map(rows -> DeletionPlan.sharedReason(service, rows));
            return shared.chain(sharedReason -> {
                String why = skip;
                if (why == null && sharedReason != null) {
                    if (service == Service.JELLYSEERR) {
                        keepMedia[0] = sharedReason; // its request still goes
                    } else {
                        why = sharedReason;
                    }
                }
                String reason = why;
                DeletionStep row = reason != null ? DeletionRecords.step(logId, service, Status.SKIPPED, reason, null)
                        : DeletionRecords.step(logId, service, Status.RUNNING, describe(service, log), null);
                return progress(log, row).map(update -> new Written(log, update, reason));
            });
        })).emitOn(here).chain(written -> {
            if (written.skipped() != null) {
                return Uni.createFrom().voidItem();
            }
            DeletionLog log = written.log();
            return call(service, log, keepMedia[0])
                    .map(details -> DeletionRecords.step(logId, service, Status.DONE, details, null))
                    .onFailure().recoverWithItem(f -> DeletionRecords.step(logId, service, Status.FAILED,
                            "The " + service.label() + " step failed", error(f)))
                    .invoke(row -> {
                        if (row.status == Status.FAILED) {
                            LOG.warnf("deletion #%d: %s: %s", logId, service.label(), row.error);
                        }
                    })
                    .chain(row -> write(() -> logs.findById(logId).chain(current -> current == null
                            ? Uni.createFrom().item(new Written(null, null, "gone"))
                            : progress(current, row).map(u -> new Written(current, u, null)))))
                    .emitOn(here).replaceWithVoid();
        });
    }

    /** Appends the row and writes the {@code deletion_progress} update showing it. */
    private Uni<StreamEvent> progress(DeletionLog log, DeletionStep row) {
        return row.persist().chain(() -> logs.steps(log.id))
                .chain(rows -> announce(DeletionRecords.PROGRESS, log, rows));
    }

    /** Settles the overall status once every service has had its turn. */
    private Uni<Void> finish(long logId, Executor here) {
        return write(() -> logs.findById(logId).chain(log -> {
            if (log == null) {
                return Uni.createFrom().item(new Written(null, null, null));
            }
            return logs.steps(logId).chain(rows -> {
                log.status = DeletionPlan.statusOf(rows);
                if (log.status != DeletionLog.Status.IN_PROGRESS) {
                    log.completedAt = java.time.Instant.now();
                }
                return announce(DeletionRecords.COMPLETED, log, rows).map(u -> new Written(log, u, null));
            });
        })).emitOn(here).invoke(written -> {
            if (written.log() != null) {
                LOG.infof("deletion #%d of request %s (%s): %s", logId, written.log().requestId,
                        written.log().title, written.log().status.value());
            }
        }).replaceWithVoid();
    }

    /** Persists the SSE update for the deletion as it stands now (in the caller's transaction). */
    private Uni<StreamEvent> announce(String eventType, DeletionLog log, List<DeletionStep> rows) {
        StreamEvent update = records.update(eventType, log, rows);
        return streams.insertAll(List.of(update)).replaceWith(update);
    }

    /**
     * Runs database work in the pipeline's turn and publishes its SSE update once committed. The update is
     * published as the answer arrives, still in the writer's turn, before any later batch publishes its own: the
     * hub never sends an id lower than one it sent.
     */
    private Uni<Written> write(Supplier<Uni<Written>> work) {
        return pipeline.execute(work).invoke(written -> {
            if (written.update() != null) {
                try {
                    broadcaster.publish(List.of(written.update()));
                } catch (RuntimeException e) {
                    LOG.errorf(e, "broadcasting a committed deletion update failed; dashboards resume from the"
                            + " database");
                }
            }
        });
    }

    // --- the upstreams ---

    /** What the running step is about to do. */
    private static String describe(Service service, DeletionLog log) {
        String files = log.deleteFiles ? " (files too)" : " (files kept)";
        return switch (service) {
            case SONARR -> "Deleting series " + log.sonarrId + " in Sonarr" + files;
            case RADARR -> "Deleting movie " + log.radarrId + " in Radarr" + files;
            case QBITTORRENT -> "Removing the torrents" + (log.deleteFiles ? " and their data" : ", keeping the data");
            case SHOKO -> "Asking Shoko to remove its missing files";
            case JELLYFIN -> "Asking Jellyfin to rescan its library";
            case JELLYSEERR -> "Deleting the request and the media entry in Jellyseerr";
        };
    }

    /** Asks the service; the item is the step's details, a failure the step's error. */
    private Uni<String> call(Service service, DeletionLog log, String keepMedia) {
        try {
            return switch (service) {
                case SONARR -> sonarr.deleteSeries(log.sonarrId, log.deleteFiles).map(deleted -> deleted
                        ? "Series " + log.sonarrId + " deleted in Sonarr" + (log.deleteFiles ? " with its files" : "")
                        : "Already gone: Sonarr no longer had series " + log.sonarrId);
                case RADARR -> radarr.deleteMovie(log.radarrId, log.deleteFiles).map(deleted -> deleted
                        ? "Movie " + log.radarrId + " deleted in Radarr" + (log.deleteFiles ? " with its files" : "")
                        : "Already gone: Radarr no longer had movie " + log.radarrId);
                case QBITTORRENT -> removeTorrents(log);
                case SHOKO -> shoko.removeMissingFiles().map(ignored -> "Shoko is removing the missing files");
                case JELLYFIN -> jellyfin.refreshLibrary().map(ignored -> "Library scan started");
                case JELLYSEERR -> clearJellyseerr(log, keepMedia);
            };
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /** Removes the torrents qBittorrent still holds (asked first, so the details say what really went). */
    private Uni<String> removeTorrents(DeletionLog log) {
        List<String> hashes = log.hashes();
        return qbittorrent.torrents(hashes).chain(held -> {
            if (held.isEmpty()) {
                return Uni.createFrom().item("Already gone: qBittorrent holds none of its " + hashes.size()
                        + (hashes.size() == 1 ? " torrent" : " torrents"));
            }
            List<String> present = held.stream().map(QbittorrentClient.Torrent::hash).toList();
            return qbittorrent.deleteTorrents(present, log.deleteFiles).map(ignored -> "Removed " + present.size()
                    + (present.size() == 1 ? " torrent" : " torrents")
                    + (!log.deleteFiles ? ", data kept" : present.size() == 1 ? " with its data"
                            : " with their data")
                    + (present.size() < hashes.size() ? " (" + (hashes.size() - present.size()) + " already gone)"
                            : ""));
        });
    }

    /**
     * Deletes the request, then the media entry found by TMDB id: without it Jellyseerr keeps showing the media as
     * available and refuses a new request.
     */
    private Uni<String> clearJellyseerr(DeletionLog log, String keepMedia) {
        Uni<String> request = log.jellyseerrId == null ? Uni.createFrom().item("no request id known")
                : jellyseerr.deleteRequest(log.jellyseerrId).map(deleted -> deleted
                        ? "request " + log.jellyseerrId + " deleted"
                        : "request " + log.jellyseerrId + " already gone");
        return request.chain(first -> {
            if (keepMedia != null) {
                return Uni.createFrom().item(capitalised(first) + "; " + keepMedia);
            }
            if (log.tmdbId == null) {
                return Uni.createFrom().item(capitalised(first) + "; no TMDB id to find the media entry");
            }
            return jellyseerr.mediaIdFor(log.mediaType, log.tmdbId).chain(mediaId -> mediaId.isEmpty()
                    ? Uni.createFrom().item(capitalised(first) + "; no media entry for TMDB " + log.tmdbId)
                    : jellyseerr.deleteMedia(mediaId.get()).map(deleted -> capitalised(first) + "; media "
                            + mediaId.get() + (deleted ? " deleted" : " already gone")));
        });
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A failure as a step shows it: the upstream's message, masked, never a key. */
    private String error(Throwable failure) {
        String text = failure instanceof UpstreamException u && u.getMessage() != null
                ? SecretMasker.maskText(u.getMessage()) : SecretMasker.describe(failure);
        for (String secret : secrets) {
            text = text.replace(secret, "***");
        }
        return text.length() <= 1000 ? text : text.substring(0, 1000) + "…";
    }

    // --- after a stop ---

    /**
     * A deletion the last stop interrupted stays in progress forever otherwise: its unfinished steps are marked
     * failed, so that it shows incomplete and can be retried.
     */
    void interrupted(@Observes StartupEvent event) {
        pipeline.execute(() -> logs.inProgress().chain(stuck -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (DeletionLog log : stuck) {
                chain = chain.chain(() -> logs.steps(log.id).chain(rows -> {
                    List<DeletionStep> failed = new ArrayList<>();
                    for (Map.Entry<Service, DeletionStep> e : DeletionPlan.latest(rows).entrySet()) {
                        if (e.getValue().status.open()) {
                            failed.add(DeletionRecords.step(log.id, e.getKey(), Status.FAILED,
                                    "Interrupted: the tracker stopped before this step finished",
                                    "interrupted by a restart; retry to run it again"));
                        }
                    }
                    List<DeletionStep> all = new ArrayList<>(rows);
                    all.addAll(failed);
                    log.status = DeletionPlan.statusOf(all);
                    log.completedAt = java.time.Instant.now();
                    return records.appendAll(failed);
                }));
            }
            return chain.map(done -> stuck.size());
        })).subscribe().with(count -> {
            if (count > 0) {
                LOG.warnf("%d deletion(s) were interrupted by the last stop; retry them from the deletion log", count);
            }
        }, failure -> LOG.warnf("interrupted deletions could not be checked: %s", SecretMasker.describe(failure)));
    }
}
