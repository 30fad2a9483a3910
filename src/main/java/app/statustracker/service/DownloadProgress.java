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
    /** How this check's stuck reasons start, so that it only ever replaces or lifts its own. */
    static final String REASON = "qBittorrent: ";
    /** Wait after a refused login. */
    static final Duration LOGIN_BACKOFF = Duration.ofMinutes(10);
    /**
     * Speed and ETA alone go out to dashboards at most this often per request (each update is also a stored SSE
     * row); a new whole percent, a stall or its end go out at once.
     */
    static final long UPDATE_EVERY_MILLIS = 10_000;
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
    /** Since when qBittorrent has not answered; null while it does. Only the timer loop touches it. */
    private volatile java.time.Instant unreachableSince;
    /** The last failure reported in the log; null while qBittorrent answers. Only the timer loop touches it. */
    private volatile String lastProblem;
    /** When each request's last SSE progress update went out (in the writer's turn only). */
    private final Map<Long, Long> lastUpdateMillis = new java.util.concurrent.ConcurrentHashMap<>();

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
            vertx.setTimer(Math.max(1, after.toMillis()), id -> cycle().subscribe().with(wait -> {
                if (lastProblem != null) {
                    LOG.info("qBittorrent answers again; following downloads");
                    lastProblem = null;
                }
                next(wait);
            }, failure -> next(afterFailure(failure))));
        }
    }

    /**
     * Says once (not every cycle) why downloads cannot be followed. A refused login waits {@link #LOGIN_BACKOFF}:
     * qBittorrent bans an address after a few failed logins, and asking every 15 s would keep the ban going.
     */
    private Duration afterFailure(Throwable failure) {
        // problem(), not the message: a call refused by the circuit breaker says "next try in N s", which would make
        // every cycle's line new.
        String what = failure instanceof UpstreamException u ? SecretMasker.maskText(u.problem())
                : failure.getClass().getSimpleName();
        boolean refused = failure instanceof UpstreamException u && u.path() != null
                && u.path().endsWith("/auth/login") && u.status() != null;
        if (!what.equals(lastProblem)) {
            LOG.warnf("%s; download progress is not followed until it answers%s", what,
                    refused ? " (next login in " + LOGIN_BACKOFF.toMinutes() + " minutes)" : "");
            lastProblem = what;
        }
        return refused ? LOGIN_BACKOFF : config.pollIdle();
    }

    /** One cycle; returns how long to wait before the next one. */
    public Uni<Duration> cycle() {
        return trackedHashes().chain(tracked -> {
            if (tracked.isEmpty()) {
                return Uni.createFrom().item(config.pollIdle());
            }
            return qbittorrent.torrents(tracked.keySet())
                    .chain(torrents -> packFiles(torrents, tracked).chain(files -> pipeline
                            .check(effects -> apply(tracked.keySet(), torrents, files, effects))
                            .map(applied -> torrents.stream().anyMatch(t -> !t.finished()) ? config.pollActive()
                                    : config.pollIdle())))
                    .invoke(() -> unreachableSince = null)
                    .onFailure(UpstreamException.class).call(e -> unreachable(tracked.keySet(), (UpstreamException) e));
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
     * qBittorrent did not answer: the cards of the tracked downloads say so (instead of showing the last speed as if
     * it were current) until the next answer replaces it with the real figures. A failure here is only logged.
     */
    private Uni<Void> unreachable(java.util.Set<String> tracked, UpstreamException failure) {
        if (unreachableSince == null) {
            unreachableSince = java.time.Instant.now();
        }
        String since = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .withZone(java.time.ZoneOffset.UTC).format(unreachableSince);
        String reason = REASON + "not answering since " + since + " (" + SecretMasker.maskText(failure.problem()) + ")";
        return pipeline.check(effects -> requests.downloading(tracked).chain(found -> episodes.forRequests(
                found.stream().filter(r -> r.mediaType == MediaType.TV).map(r -> r.id).toList()).chain(all -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (MediaRequest r : found) {
                        if (!inFlight(r.stage())) {
                            continue;
                        }
                        boolean hadRates = r.downloadSpeedBps != null || r.downloadEtaSeconds != null;
                        r.downloadSpeedBps = null;
                        r.downloadEtaSeconds = null;
                        if (setReason(r, reason) || hadRates) {
                            List<Episode> own = all.stream().filter(e -> e.requestId.equals(r.id)).toList();
                            chain = chain.call(() -> applier.progress(r, own, effects));
                        }
                    }
                    return chain.replaceWith(List.<Submission>of());
                }))).replaceWithVoid()
                .onFailure().invoke(f -> LOG.debugf("could not mark downloads as not followed (%s)",
                        f.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
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
    private Uni<List<Submission>> apply(java.util.Set<String> tracked, List<Torrent> torrents,
            Map<String, List<QbittorrentClient.TorrentFile>> files, Effects effects) {
        Map<String, Torrent> byHash = new HashMap<>();
        torrents.forEach(t -> byHash.put(t.hash(), t));
        // Every tracked request, also those whose torrent qBittorrent no longer has.
        return requests.downloading(tracked).chain(found -> {
            List<Long> tv = found.stream().filter(r -> r.mediaType == MediaType.TV).map(r -> r.id).toList();
            return episodes.forRequests(tv).chain(allEpisodes -> {
                Map<String, Submission> proofs = new LinkedHashMap<>();
                Uni<Void> chain = Uni.createFrom().voidItem();
                long now = System.currentTimeMillis();
                // Forget requests no longer followed, so the map does not grow over the years.
                lastUpdateMillis.keySet().retainAll(found.stream().map(r -> r.id).toList());
                for (MediaRequest r : found) {
                    List<Episode> own = allEpisodes.stream().filter(e -> e.requestId.equals(r.id)).toList();
                    Change change = measure(r, own, byHash, files, proofs);
                    if (change == Change.NOTABLE || (change == Change.MINOR
                            && now - lastUpdateMillis.getOrDefault(r.id, 0L) >= UPDATE_EVERY_MILLIS)) {
                        lastUpdateMillis.put(r.id, now);
                        chain = chain.call(() -> applier.progress(r, own, effects));
                    }
                }
                return chain.replaceWith(() -> List.copyOf(proofs.values()));
            });
        });
    }

    /** What a measurement changed: nothing, only speed or ETA or a fraction of a percent, or something to show now. */
    private enum Change {
        NONE, MINOR, NOTABLE;

        Change and(Change other) {
            return compareTo(other) >= 0 ? this : other;
        }
    }

    /** Updates progress, speed, ETA and the stall reason; collects what the torrents prove. */
    private Change measure(MediaRequest r, List<Episode> own, Map<String, Torrent> byHash,
            Map<String, List<QbittorrentClient.TorrentFile>> files, Map<String, Submission> proofs) {
        List<Torrent> mine = new ArrayList<>();
        Change changed = Change.NONE;
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
                    changed = changed.and(percent(e.downloadProgress) != percent(progress) ? Change.NOTABLE : Change.MINOR);
                    e.downloadProgress = progress;
                }
            }
        }
        if (!inFlight(r.stage())) {
            return changed;
        }
        if (mine.isEmpty()) {
            if (r.stateChangedAt != null && r.stateChangedAt.isAfter(java.time.Instant.now().minus(config.stalledAfter()))) {
                return changed; // just grabbed: qBittorrent may not have added it yet
            }
            // qBittorrent no longer has the torrent (removed there): no speed to show, and the card says so.
            boolean hadRates = r.downloadSpeedBps != null || r.downloadEtaSeconds != null;
            r.downloadSpeedBps = null;
            r.downloadEtaSeconds = null;
            boolean reasonChanged = setReason(r, REASON + "its torrent is no longer in qBittorrent (removed there?)");
            return hadRates || reasonChanged ? Change.NOTABLE : changed;
        }
        // Several torrents (two grabs for one season): progress weighted by size, speeds added, the latest ETA.
        long size = mine.stream().mapToLong(t -> Math.max(t.size(), 1)).sum();
        double progress = mine.stream().mapToDouble(t -> (t.finished() ? 1.0 : t.progress()) * Math.max(t.size(), 1))
                .sum() / size;
        long speed = mine.stream().filter(t -> !t.finished()).mapToLong(Torrent::downloadSpeed).sum();
        Long eta = mine.stream().filter(t -> !t.finished()).map(Torrent::etaSeconds)
                .filter(x -> x >= 0 && x < Torrent.ETA_UNKNOWN).max(Long::compare).orElse(null);
        Long speedOrNull = mine.stream().allMatch(Torrent::finished) ? null : speed;
        if (setReason(r, stallReason(mine))) {
            changed = Change.NOTABLE;
        }
        if (r.downloadProgress == null || progress > r.downloadProgress) {
            r.progressAt = java.time.Instant.now(); // the downloading time-out counts from here
        }
        if (!Objects.equals(r.downloadProgress, progress)) {
            changed = changed.and(percent(r.downloadProgress) != percent(progress) ? Change.NOTABLE : Change.MINOR);
            r.downloadProgress = progress;
        }
        if (!Objects.equals(r.downloadSpeedBps, speedOrNull) || !Objects.equals(r.downloadEtaSeconds, eta)) {
            changed = changed.and(Change.MINOR);
            r.downloadSpeedBps = speedOrNull;
            r.downloadEtaSeconds = eta;
        }
        return changed;
    }

    private static int percent(Double progress) {
        return progress == null ? -1 : (int) Math.floor(progress * 100);
    }

    /**
     * Why none of these torrents brings data, once one has received nothing for {@code QBIT_STALLED_AFTER}: stalled
     * (no seeds), queued, paused, or waiting for a magnet's metadata. Null when data flows.
     */
    private String stallReason(List<Torrent> torrents) {
        long now = java.time.Instant.now().getEpochSecond();
        for (Torrent t : torrents) {
            long quietSeconds = now - Math.max(t.lastActivity(), t.addedOn());
            if (t.finished() || t.downloadSpeed() > 0 || quietSeconds < config.stalledAfter().toSeconds()) {
                continue;
            }
            String quiet = TimeoutCheck.duration(quietSeconds / 60);
            String state = t.state();
            if (state.equals("pausedDL") || state.equals("stoppedDL")) {
                return REASON + "paused, no data for " + quiet;
            }
            if (state.equals("queuedDL")) {
                return REASON + "queued behind other downloads, no data for " + quiet;
            }
            if (state.equals("metaDL") || state.equals("forcedMetaDL")) {
                return REASON + "waiting for the magnet's metadata for " + quiet;
            }
            return REASON + "stalled, " + t.seeds() + " seeds, 0 B/s for " + quiet + " (" + state + ")";
        }
        return null;
    }

    /**
     * Puts this check's reason into {@code stuck_reason}, or lifts its own earlier one ({@code reason} null). Never
     * touches another reason (a problem state's, a time-out's). Returns whether it changed.
     */
    private static boolean setReason(MediaRequest r, String reason) {
        if (r.state.isProblem() || Objects.equals(reason, r.stuckReason)) {
            return false;
        }
        boolean ours = r.stuckReason != null && r.stuckReason.startsWith(REASON);
        if (r.stuckReason != null && !ours) {
            return false;
        }
        r.stuckReason = reason;
        return true;
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
