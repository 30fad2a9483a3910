package app.statustracker.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.Episode;
import app.statustracker.MediaRequest;
import app.statustracker.MediaType;
import app.statustracker.RequestState;
import app.statustracker.client.QbittorrentClient;
import app.statustracker.client.QbittorrentClient.Torrent;
import app.statustracker.client.UpstreamException;
import app.statustracker.config.TrackerConfig;
import app.statustracker.ingest.ArrPayloads;
import app.statustracker.ingest.DomainEvent;
import app.statustracker.ingest.EpisodeScope;
import app.statustracker.ingest.Interpretation;
import app.statustracker.ingest.MediaFacts;
import app.statustracker.ingest.MediaKeys;
import app.statustracker.ingest.QbittorrentAdapter;
import app.statustracker.ingest.Submission;
import app.statustracker.ingest.Target;
import app.statustracker.repository.EpisodeRepository;
import app.statustracker.repository.MediaRequestRepository;
import app.statustracker.service.EventApplier.Effects;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Follows the torrents of requests in grabbing and downloading (and of those that timed out or failed there) in
 * qBittorrent: one {@code torrents/info} call per cycle for all of them, every {@code QBIT_POLL_ACTIVE} while
 * something downloads, else every {@code QBIT_POLL_IDLE}.
 *
 * <p>What a cycle proves is an event like a webhook's, applied through the pipeline: a torrent that is downloading
 * moves its request or episodes from grabbing to downloading ({@code Started}); a finished one, even one complete at
 * once because its data was already on disk, to downloaded (the same event as qBittorrent's completion hook, so
 * whichever comes second is a duplicate). Progress, speed and ETA are measurements, not events: they change the
 * request and its episodes and go out as SSE {@code progress} updates, but are not kept in the event log (a
 * downloading torrent would add thousands of rows a day). All of it runs in one turn of the pipeline's writer, which
 * reads the requests itself, so nothing is reported twice and nothing races a webhook.
 */
@ApplicationScoped
public class DownloadProgress {

    private static final Logger LOG = Logger.getLogger(DownloadProgress.class);
    /** How a stall reason starts, so that it is only ever replaced or lifted by this check. */
    static final String STALLED = "Stalled in qBittorrent: ";
    /** States in which a torrent is on its way (protocols.md §4.4; 4.x and 5.x names). */
    private static final Set<String> DOWNLOADING = Set.of("downloading", "forcedDL", "metaDL", "forcedMetaDL",
            "stalledDL", "queuedDL", "checkingDL", "checkingResumeData", "moving", "allocating");

    private final QbittorrentClient qbittorrent;
    private final EventPipeline pipeline;
    private final EventApplier applier;
    private final MediaRequestRepository requests;
    private final EpisodeRepository episodes;
    private final QbittorrentAdapter completion;
    private final Pool pool;
    private final ObjectMapper json;
    private final TrackerConfig.QbittorrentConfig config;
    private final Vertx vertx;
    private volatile boolean stopped;

    public DownloadProgress(QbittorrentClient qbittorrent, EventPipeline pipeline, EventApplier applier,
            MediaRequestRepository requests, EpisodeRepository episodes, QbittorrentAdapter completion, Pool pool,
            ObjectMapper json, TrackerConfig config, Vertx vertx) {
        this.qbittorrent = qbittorrent;
        this.pipeline = pipeline;
        this.applier = applier;
        this.requests = requests;
        this.episodes = episodes;
        this.completion = completion;
        this.pool = pool;
        this.json = json;
        this.config = config.qbittorrent();
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (qbittorrent.configured()) {
            next(config.pollIdle());
        } else {
            LOG.info("qBittorrent is not configured (QBIT_HOST): download progress comes from its completion hook only");
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    private void next(Duration after) {
        if (!stopped) {
            // A timer's callback runs on a Vert.x event loop; the pipeline takes it from there.
            vertx.setTimer(Math.max(1, after.toMillis()), id -> cycle().subscribe().with(this::next, failure -> {
                LOG.debugf("qBittorrent cycle failed (%s)", failure.getClass().getSimpleName());
                next(config.pollIdle());
            }));
        }
    }

    /** One cycle; returns how long to wait before the next one. */
    public Uni<Duration> cycle() {
        return trackedHashes().chain(tracked -> {
            if (tracked.isEmpty()) {
                return Uni.createFrom().item(config.pollIdle());
            }
            return qbittorrent.torrents(tracked.keySet())
                    .chain(torrents -> packFiles(torrents, tracked).chain(files -> pipeline
                            .check(effects -> apply(torrents, files, effects))
                            .map(applied -> torrents.stream().anyMatch(t -> !t.finished()) ? config.pollActive()
                                    : config.pollIdle())))
                    .onFailure(UpstreamException.class).invoke(e -> LOG.debugf("qBittorrent: %s", e.getMessage()));
        });
    }

    /**
     * The torrents worth asking about (of requests and episodes in grabbing or downloading, or stuck there), each
     * with how many tracked episodes it carries: more than one is a season pack.
     */
    private Uni<Map<String, Integer>> trackedHashes() {
        return pool.query("SELECT download_hash, 1 FROM media_request WHERE download_hash IS NOT NULL"
                + " AND media_type = 'movie' AND (state IN ('grabbing', 'downloading') OR (state IN ('timeout', 'failed')"
                + " AND problem_stage IN ('grabbing', 'downloading')))"
                + " UNION ALL SELECT e.download_hash, count(*) FROM episode e JOIN media_request r ON r.id = e.request_id"
                + " WHERE e.download_hash IS NOT NULL AND r.state NOT IN ('available', 'removed')"
                + " AND (e.state IN ('grabbing', 'downloading') OR (e.state IN ('timeout', 'failed')"
                + " AND e.problem_stage IN ('grabbing', 'downloading'))) GROUP BY e.download_hash")
                .execute().map(rows -> {
                    Map<String, Integer> out = new HashMap<>();
                    for (Row row : rows) {
                        out.merge(row.getString(0), row.getInteger(1), Integer::sum);
                    }
                    return out;
                });
    }

    /**
     * Per-file progress of the unfinished season packs (PRODUCT.md §1.10): one {@code torrents/files} call per pack
     * that is still downloading. A pack whose files cannot be read keeps the torrent's progress for its episodes.
     */
    private Uni<Map<String, List<QbittorrentClient.TorrentFile>>> packFiles(List<Torrent> torrents,
            Map<String, Integer> tracked) {
        Map<String, List<QbittorrentClient.TorrentFile>> files = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Torrent t : torrents) {
            if (!t.finished() && tracked.getOrDefault(t.hash(), 0) > 1) {
                chain = chain.call(() -> qbittorrent.files(t.hash()).invoke(list -> files.put(t.hash(), list))
                        .onFailure(UpstreamException.class).recoverWithNull());
            }
        }
        return chain.replaceWith(files);
    }

    /** In the writer's turn: measure, then say what the torrents prove. */
    private Uni<List<Submission>> apply(List<Torrent> torrents, Map<String, List<QbittorrentClient.TorrentFile>> files,
            Effects effects) {
        Map<String, Torrent> byHash = new HashMap<>();
        torrents.forEach(t -> byHash.put(t.hash(), t));
        return requests.downloading(byHash.keySet()).chain(found -> {
            List<Long> tv = found.stream().filter(r -> r.mediaType == MediaType.TV).map(r -> r.id).toList();
            return episodes.forRequests(tv).chain(allEpisodes -> {
                Map<String, Submission> proofs = new LinkedHashMap<>();
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (MediaRequest r : found) {
                    List<Episode> own = allEpisodes.stream().filter(e -> e.requestId.equals(r.id)).toList();
                    if (measure(r, own, byHash, files, proofs)) {
                        chain = chain.call(() -> applier.progress(r, own, effects));
                    }
                }
                return chain.replaceWith(() -> List.copyOf(proofs.values()));
            });
        });
    }

    /** Updates progress, speed and ETA; collects what the torrents prove. Returns whether anything changed. */
    private boolean measure(MediaRequest r, List<Episode> own, Map<String, Torrent> byHash,
            Map<String, List<QbittorrentClient.TorrentFile>> files, Map<String, Submission> proofs) {
        List<Torrent> mine = new ArrayList<>();
        boolean changed = false;
        if (r.mediaType == MediaType.MOVIE) {
            Torrent t = r.downloadHash == null ? null : byHash.get(r.downloadHash);
            if (t != null && inFlight(r.stage())) {
                mine.add(t);
                prove(t, r.stage(), proofs);
            }
        } else {
            for (Episode e : own) {
                Torrent t = e.downloadHash == null ? null : byHash.get(e.downloadHash);
                RequestState stage = e.state.isProblem() && e.problemStage != null ? e.problemStage : e.state;
                if (t == null || !inFlight(stage)) {
                    continue;
                }
                if (!mine.contains(t)) {
                    mine.add(t);
                }
                prove(t, stage, proofs);
                double progress = t.finished() ? 1.0 : fileProgress(e, files.get(t.hash())).orElse(t.progress());
                if (!Objects.equals(e.downloadProgress, progress)) {
                    e.downloadProgress = progress;
                    changed = true;
                }
            }
        }
        if (mine.isEmpty() || !inFlight(r.stage())) {
            return changed;
        }
        // Several torrents (two grabs for one season): progress weighted by size, speeds added, the latest ETA.
        long size = mine.stream().mapToLong(t -> Math.max(t.size(), 1)).sum();
        double progress = mine.stream().mapToDouble(t -> (t.finished() ? 1.0 : t.progress()) * Math.max(t.size(), 1))
                .sum() / size;
        long speed = mine.stream().filter(t -> !t.finished()).mapToLong(Torrent::downloadSpeed).sum();
        Long eta = mine.stream().filter(t -> !t.finished()).map(Torrent::etaSeconds)
                .filter(x -> x >= 0 && x < Torrent.ETA_UNKNOWN).max(Long::compare).orElse(null);
        Long speedOrNull = mine.stream().allMatch(Torrent::finished) ? null : speed;
        changed |= reportStall(r, mine);
        if (!Objects.equals(r.downloadProgress, progress) || !Objects.equals(r.downloadSpeedBps, speedOrNull)
                || !Objects.equals(r.downloadEtaSeconds, eta)) {
            r.downloadProgress = progress;
            r.downloadSpeedBps = speedOrNull;
            r.downloadEtaSeconds = eta;
            changed = true;
        }
        return changed;
    }

    /**
     * A torrent that has received nothing for {@code QBIT_STALLED_AFTER} says why the request does not move on, in
     * its {@code stuck_reason}; the reason goes when data flows again. A problem state keeps its own reason.
     */
    private boolean reportStall(MediaRequest r, List<Torrent> torrents) {
        if (r.state.isProblem()) {
            return false;
        }
        long now = java.time.Instant.now().getEpochSecond();
        String reason = null;
        for (Torrent t : torrents) {
            long quietSeconds = now - Math.max(t.lastActivity(), t.addedOn());
            if (t.finished() || t.downloadSpeed() > 0 || quietSeconds < config.stalledAfter().toSeconds()) {
                continue;
            }
            String quiet = TimeoutCheck.duration(quietSeconds / 60);
            reason = t.state().startsWith("metaDL") || t.state().equals("forcedMetaDL")
                    ? STALLED + "waiting for the torrent's metadata (magnet) for " + quiet
                    : STALLED + t.seeds() + " seeds, 0 B/s for " + quiet + " (" + t.state() + ")";
            break;
        }
        boolean ours = r.stuckReason != null && r.stuckReason.startsWith(STALLED);
        if (reason != null && !reason.equals(r.stuckReason) && (r.stuckReason == null || ours)) {
            r.stuckReason = reason;
            return true;
        }
        if (reason == null && ours) {
            r.stuckReason = null;
            return true;
        }
        return false;
    }

    /** The progress of the pack's file that holds this episode (by the S/E numbers in its name), if one does. */
    private static java.util.Optional<Double> fileProgress(Episode e, List<QbittorrentClient.TorrentFile> files) {
        if (files == null) {
            return java.util.Optional.empty();
        }
        ArrPayloads.Numbers wanted = new ArrPayloads.Numbers(e.seasonNumber, e.episodeNumber);
        return files.stream().filter(f -> ArrPayloads.episodeNumbers(f.name()).contains(wanted))
                .map(QbittorrentClient.TorrentFile::progress).findFirst();
    }

    private static boolean inFlight(RequestState stage) {
        return stage == RequestState.GRABBING || stage == RequestState.DOWNLOADING;
    }

    /** A finished torrent proves downloaded; one on its way proves downloading to whatever still waits in grabbing. */
    private void prove(Torrent t, RequestState stage, Map<String, Submission> proofs) {
        if (proofs.containsKey(t.hash())) {
            return;
        }
        if (t.finished()) {
            // The same event as qBittorrent's completion hook: whichever comes second is a duplicate.
            ObjectNode body = json.createObjectNode().put("hash", t.hash()).put("name", t.name())
                    .put("path", t.contentPath()).put("size", String.valueOf(t.size()));
            proofs.put(t.hash(), Submission.read(QbittorrentAdapter.SOURCE, "application/json", observed(t).toString(),
                    completion.interpret(body)));
        } else if (stage == RequestState.GRABBING && DOWNLOADING.contains(t.state())) {
            DomainEvent started = new DomainEvent(QbittorrentAdapter.SOURCE, "downloading",
                    QbittorrentAdapter.SOURCE + ":downloading:" + t.hash(),
                    new MediaKeys(null, null, null, null, null, t.hash(), false),
                    Target.progress(RequestState.DOWNLOADING, false), MediaFacts.none(), "Started",
                    "Downloading: " + t.name()).withEpisodes(EpisodeScope.byHash());
            proofs.put(t.hash(), Submission.read(QbittorrentAdapter.SOURCE, "application/json", observed(t).toString(),
                    new Interpretation.Track(started)));
        }
    }

    /** What was seen, kept as the event's payload. */
    private ObjectNode observed(Torrent t) {
        return json.createObjectNode().put("observed", "qbittorrent torrents/info").put("hash", t.hash())
                .put("name", t.name()).put("state", t.state()).put("progress", t.progress()).put("size", t.size())
                .put("amount_left", t.amountLeft()).put("num_seeds", t.seeds());
    }
}
