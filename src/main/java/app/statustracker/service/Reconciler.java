package app.statustracker.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.Episode;
import app.statustracker.MediaRequest;
import app.statustracker.MediaType;
import app.statustracker.config.TrackerConfig;
import app.statustracker.client.ArrQueueHistory;
import app.statustracker.client.JellyseerrClient;
import app.statustracker.client.RadarrClient;
import app.statustracker.client.SonarrClient;
import app.statustracker.ingest.Submission;
import app.statustracker.ingest.WebhookIntake;
import app.statustracker.repository.EpisodeRepository;
import app.statustracker.repository.InboundEventRepository;
import app.statustracker.repository.MediaRequestRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reconciliation (PRODUCT.md §1.6): none of the upstreams retries a webhook, so on a schedule, at start-up and on
 * demand (after the Shoko hub reconnects) Jellyseerr's requests changed since the last reconciliation
 * ({@link JellyseerrFindings}) and Sonarr's and Radarr's queue (every page) and history since then
 * ({@link ArrFindings}) are read and turned into the webhooks they stand for. Those go through the
 * one pipeline like webhooks, stored with content type {@code origin=status-tracker reconciled}; what the event log
 * already holds (the webhook came) is not submitted again. The queue's warnings become {@code stuck_reason}
 * ("Sonarr: importBlocked: …") on the requests downloading that torrent, and are lifted when the queue clears.
 */
@ApplicationScoped
public class Reconciler {

    public static final String ORIGIN = "reconciled";
    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    /** History is read again this far before the last reconciliation: the *arr's clock may differ from ours. */
    static final Duration OVERLAP = Duration.ofMinutes(5);

    /** What one reconciliation of one *arr did. */
    public record Outcome(String service, int queueRecords, int historyRecords, int submitted, List<PipelineResult> results,
            String failure) {
    }

    private final SonarrClient sonarr;
    private final RadarrClient radarr;
    private final JellyseerrClient jellyseerr;
    private final EventPipeline pipeline;
    private final WebhookIntake intake;
    private final InboundEventRepository events;
    private final MediaRequestRepository requests;
    private final EpisodeRepository episodes;
    private final EventApplier applier;
    private final ObjectMapper json;
    private final TrackerConfig.Reconcile config;
    /** Where the next history read starts, per *arr; absent until the first successful reconciliation. */
    private final Map<String, Instant> since = new ConcurrentHashMap<>();
    /** *arrs whose last reconciliation failed: logged once per outage. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean again = new java.util.concurrent.atomic.AtomicBoolean();

    public Reconciler(SonarrClient sonarr, RadarrClient radarr, JellyseerrClient jellyseerr, EventPipeline pipeline, WebhookIntake intake, InboundEventRepository events,
            MediaRequestRepository requests, EpisodeRepository episodes, EventApplier applier, ObjectMapper json,
            TrackerConfig config) {
        this.sonarr = sonarr;
        this.radarr = radarr;
        this.jellyseerr = jellyseerr;
        this.pipeline = pipeline;
        this.intake = intake;
        this.events = events;
        this.requests = requests;
        this.episodes = episodes;
        this.applier = applier;
        this.json = json;
        this.config = config.reconcile();
    }

    @Scheduled(every = "${tracker.reconcile.every}", delayed = "${tracker.reconcile.delay}", identity = "reconcile",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return run().replaceWithVoid();
    }

    /**
     * Reconciles soon, e.g. after the Shoko hub reconnected (its events may have been missed, and so may the
     * webhooks of the same outage). A reconciliation already running is followed by one more.
     */
    public void reconcileSoon() {
        if (!config.enabled()) {
            return;
        }
        run().subscribe().with(ignored -> {
        }, failure -> LOG.debugf("reconciliation on demand failed: %s", SecretMasker.describe(failure)));
    }

    /**
     * Reconciles Jellyseerr (requests first: a grab then joins them), Sonarr, then Radarr; one failing never stops
     * the others. Never fails.
     */
    public Uni<List<Outcome>> run() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return Uni.createFrom().item(List.of());
        }
        List<Outcome> outcomes = new ArrayList<>();
        return Uni.createFrom().voidItem()
                .chain(() -> jellyseerr().invoke(outcomes::add))
                .chain(() -> one(sonarr.queueAndHistory()).invoke(outcomes::add))
                .chain(() -> one(radarr.queueAndHistory()).invoke(outcomes::add))
                .map(ignored -> (List<Outcome>) outcomes)
                .eventually(() -> {
                    running.set(false);
                    if (again.getAndSet(false)) {
                        reconcileSoon();
                    }
                });
    }

    private Uni<Outcome> one(ArrQueueHistory client) {
        if (!client.configured()) {
            return Uni.createFrom().item(new Outcome(client.name(), 0, 0, 0, List.of(), "not configured"));
        }
        return guarded(client.name(), from -> client.tagLabels()
                .chain(tags -> client.queue().chain(queue -> client.historySince(from)
                        .chain(history -> apply(client.name(), tags, queue, history)))));
    }

    /**
     * Jellyseerr: the requests changed since the last reconciliation, as the notifications their status stands
     * for (a request made, approved or declined while the webhook was lost). Only for a request whose notification
     * the log does not hold is Jellyseerr asked for its title (one call each).
     */
    private Uni<Outcome> jellyseerr() {
        String name = "jellyseerr";
        if (!jellyseerr.configured()) {
            return Uni.createFrom().item(new Outcome(name, 0, 0, 0, List.of(), "not configured"));
        }
        return guarded(name, from -> jellyseerr.requestsChangedSince(from).chain(changed -> {
            List<JsonNode> usable = changed.stream().filter(r -> JellyseerrFindings.payload(json, r, null) != null)
                    .toList();
            List<Submission> bare = usable.stream()
                    .map(r -> intake.interpret(name, ORIGIN, JellyseerrFindings.payload(json, r, null))).toList();
            // An approval may have come as the auto-approval webhook: same request, another notification type.
            List<String> keys = new ArrayList<>();
            bare.forEach(b -> {
                keys.add(b.dedupeKey());
                keys.add(b.dedupeKey().replace(":MEDIA_APPROVED:", ":MEDIA_AUTO_APPROVED:"));
            });
            return pipeline.execute(() -> events.storedDedupeKeys(keys))
                    .chain(stored -> {
                        Set<String> known = new HashSet<>();
                        stored.forEach(k -> known.add(k.replace(":MEDIA_AUTO_APPROVED:", ":MEDIA_APPROVED:")));
                        Uni<List<Submission>> fresh = Uni.createFrom().item(new ArrayList<>());
                        for (int i = 0; i < usable.size(); i++) {
                            if (known.contains(bare.get(i).dedupeKey())) {
                                continue;
                            }
                            JsonNode request = usable.get(i);
                            fresh = fresh.chain(list -> details(request).map(d -> {
                                list.add(intake.interpret(name, ORIGIN, JellyseerrFindings.payload(json, request, d)));
                                return list;
                            }));
                        }
                        // Oldest change first, as the webhooks would have come.
                        return fresh.map(list -> {
                            java.util.Collections.reverse(list);
                            return list;
                        });
                    })
                    .chain(fresh -> pipeline.submitUnseen(fresh)
                            .map(results -> new Outcome(name, changed.size(), 0, fresh.size(), results, null)));
        }));
    }

    /** Title, year and poster of what a request asks for; none when Jellyseerr cannot say (the id stands in). */
    private Uni<JellyseerrClient.MediaDetails> details(JsonNode request) {
        JsonNode media = request.get("media");
        JsonNode tmdb = media == null ? null : media.get("tmdbId");
        if (tmdb == null || !tmdb.canConvertToLong()) {
            return Uni.createFrom().nullItem();
        }
        boolean tv = "tv".equalsIgnoreCase(request.path("type").asText(media.path("mediaType").asText("")));
        return jellyseerr.details(tv, tmdb.asLong()).onFailure().recoverWithNull();
    }

    /**
     * Runs one upstream's reconciliation from where the last one ended; moves that mark on success only; logs a
     * failure once per outage (WARN), and its end.
     */
    private Uni<Outcome> guarded(String name, java.util.function.Function<Instant, Uni<Outcome>> work) {
        Instant started = Instant.now();
        return from(name).chain(from -> work.apply(from))
                .invoke(outcome -> {
                    since.put(name, started.minus(OVERLAP));
                    if (failing.remove(name)) {
                        LOG.infof("%s reconciliation works again", name);
                    }
                    if (outcome.submitted() > 0) {
                        LOG.infof("%s reconciliation: %d finding(s) the webhooks had not delivered", name,
                                outcome.submitted());
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    String why = SecretMasker.describe(failure);
                    if (failing.add(name)) {
                        LOG.warnf("%s reconciliation failed (again at the next one): %s", name, why);
                    } else {
                        LOG.debugf("%s reconciliation failed: %s", name, why);
                    }
                    return new Outcome(name, 0, 0, 0, List.of(), why);
                });
    }

    /**
     * Where this reconciliation's history read starts: after the last one; after a restart, at the newest stored
     * event (what the tracker may have missed while it was down), at most {@code RECONCILE_LOOKBACK} back; on a
     * fresh install now: it tracks what is in flight (the queue), it does not replay yesterday's history.
     */
    private Uni<Instant> from(String service) {
        Instant last = since.get(service);
        if (last != null) {
            return Uni.createFrom().item(last);
        }
        Instant now = Instant.now();
        Instant earliest = now.minus(config.lookback());
        return pipeline.execute(events::newestReceivedAt).map(newest -> newest == null ? now
                : newest.minus(OVERLAP).isBefore(earliest) ? earliest : newest.minus(OVERLAP));
    }

    private Uni<Outcome> apply(String service, Map<Long, String> tags, List<JsonNode> queue, List<JsonNode> history) {
        List<ObjectNode> payloads = new ArrFindings(json, service, tags).payloads(queue, history);
        List<Submission> findings = payloads.stream().map(p -> intake.interpret(service, ORIGIN, p)).toList();
        Map<String, String> problems = ArrFindings.problems(queue);
        String prefix = label(service) + ": ";
        int[] submitted = new int[1];
        // What the log holds is read in one turn; the rest is applied in turns of one batch (submitUnseen looks at
        // the keys again, for a webhook that came in between); the queue's reasons come last, so that they also
        // reach requests the findings have just created.
        return pipeline.execute(() -> unseen(service, findings))
                .invoke(fresh -> submitted[0] = fresh.size())
                .chain(pipeline::submitUnseen)
                .call(() -> pipeline.check(effects -> stuckReasons(prefix, problems, effects)
                        .replaceWith(List.<Submission>of())))
                .map(results -> new Outcome(service, queue.size(), history.size(), submitted[0], results, null));
    }

    /**
     * Findings whose dedupe key the log does not hold, and, for an import, whose torrent the log does not already
     * show imported under another key (an import-complete webhook of Sonarr covers every file of the download;
     * Radarr's history names the file by path where its webhook names it by id).
     */
    private Uni<List<Submission>> unseen(String service, List<Submission> findings) {
        Set<String> importHashes = new HashSet<>();
        for (Submission f : findings) {
            String hash = importHash(service, f);
            if (hash != null) {
                importHashes.add(hash);
            }
        }
        return events.storedDedupeKeys(findings.stream().map(Submission::dedupeKey).toList())
                .chain(stored -> events.dedupeKeysForHashes(service, importHashes).map(byHash -> {
                    Set<String> seen = new HashSet<>(stored);
                    List<Submission> fresh = new ArrayList<>();
                    for (Submission f : findings) {
                        String hash = importHash(service, f);
                        String covering = hash == null ? null
                                : "sonarr".equals(service) ? service + ":DownloadComplete:" + hash + ":"
                                        : service + ":Download:" + hash + ":";
                        if (covering != null && byHash.stream().anyMatch(k -> k.startsWith(covering))) {
                            continue;
                        }
                        if (seen.add(f.dedupeKey())) {
                            fresh.add(f);
                        }
                    }
                    return fresh;
                }));
    }

    /** The torrent of an import finding, or null for any other finding. */
    private static String importHash(String service, Submission f) {
        String key = f.dedupeKey();
        String prefix = service + ":Download:";
        if (!key.startsWith(prefix)) {
            return null;
        }
        int end = key.indexOf(':', prefix.length());
        String hash = end < 0 ? null : key.substring(prefix.length(), end);
        return hash == null || hash.equals("nohash") ? null : hash;
    }

    /**
     * Puts the queue's warnings into the {@code stuck_reason} of the requests downloading those torrents (the movie's
     * torrent, or its episodes' torrents), and lifts this *arr's earlier reasons that the queue no longer gives.
     * Never overwrites another check's reason (qBittorrent's, a time-out's).
     */
    private Uni<Void> stuckReasons(String prefix, Map<String, String> problems, EventApplier.Effects effects) {
        return requests.downloading(problems.keySet()).chain(found -> MediaRequest
                .<MediaRequest>list("stuckReason like ?1 and state <> ?2 and state <> ?3", prefix + "%",
                        app.statustracker.RequestState.AVAILABLE, app.statustracker.RequestState.REMOVED)
                .chain(earlier -> {
                    Map<Long, MediaRequest> all = new java.util.LinkedHashMap<>();
                    found.forEach(r -> all.put(r.id, r));
                    earlier.forEach(r -> all.putIfAbsent(r.id, r));
                    List<Long> tvIds = all.values().stream().filter(r -> r.mediaType == MediaType.TV).map(r -> r.id)
                            .toList();
                    return (tvIds.isEmpty() ? Uni.createFrom().item(List.<Episode>of()) : episodes.forRequests(tvIds))
                            .chain(eps -> {
                                Map<Long, List<Episode>> byRequest = new java.util.HashMap<>();
                                eps.forEach(e -> byRequest.computeIfAbsent(e.requestId, k -> new ArrayList<>()).add(e));
                                Uni<Void> done = Uni.createFrom().voidItem();
                                for (MediaRequest r : all.values()) {
                                    List<Episode> own = byRequest.getOrDefault(r.id, List.of());
                                    if (setReason(r, reasonFor(r, own, problems, prefix), prefix)) {
                                        done = done.chain(() -> applier.progress(r, own, effects));
                                    }
                                }
                                return done;
                            });
                }));
    }

    /** The queue's words about this request's own torrents, or null when it says nothing about them. */
    private static String reasonFor(MediaRequest r, List<Episode> own, Map<String, String> problems, String prefix) {
        Set<String> reasons = new java.util.LinkedHashSet<>();
        if (r.downloadHash != null && problems.containsKey(r.downloadHash)) {
            reasons.add(problems.get(r.downloadHash));
        }
        for (Episode e : own) {
            if (e.downloadHash != null && problems.containsKey(e.downloadHash)) {
                reasons.add(problems.get(e.downloadHash));
            }
        }
        return reasons.isEmpty() ? null : SecretMasker.maskText(prefix + String.join("; ", reasons));
    }

    /** Sets or lifts this *arr's reason; returns whether it changed. */
    private static boolean setReason(MediaRequest r, String reason, String prefix) {
        boolean ours = r.stuckReason == null || r.stuckReason.startsWith(prefix);
        if (r.state.isProblem() || !ours || java.util.Objects.equals(reason, r.stuckReason)) {
            return false;
        }
        r.stuckReason = reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000);
        return true;
    }

    private static String label(String service) {
        return "sonarr".equals(service) ? "Sonarr" : "Radarr";
    }
}
