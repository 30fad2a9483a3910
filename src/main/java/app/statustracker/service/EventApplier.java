package app.statustracker.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.Episode;
import app.statustracker.EventOutcome;
import app.statustracker.InboundEvent;
import app.statustracker.MediaRequest;
import app.statustracker.MediaType;
import app.statustracker.RequestState;
import app.statustracker.StreamEvent;
import app.statustracker.TimelineEvent;
import app.statustracker.ingest.DomainEvent;
import app.statustracker.ingest.EpisodeFact;
import app.statustracker.ingest.EpisodeScope;
import app.statustracker.ingest.Interpretation;
import app.statustracker.ingest.JellyseerrAdapter;
import app.statustracker.ingest.MediaFacts;
import app.statustracker.ingest.MediaKeys;
import app.statustracker.ingest.Payloads;
import app.statustracker.ingest.ReleaseFacts;
import app.statustracker.ingest.Submission;
import app.statustracker.ingest.Target;
import app.statustracker.ingest.WebhookAdapter;
import app.statustracker.repository.EpisodeRepository;
import app.statustracker.repository.InboundEventRepository;
import app.statustracker.repository.StreamEventRepository;
import app.statustracker.service.TransitionRules.Decision;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * The pipeline's steps for one submission, inside the caller's transaction: store with dedupe key, correlate,
 * apply the transition rules, write the timeline and the SSE updates. Never commits and never broadcasts: the
 * {@link EventPipeline} does both, in that order.
 */
@ApplicationScoped
public class EventApplier {

    private static final Logger LOG = Logger.getLogger(EventApplier.class);
    private static final String JELLYFIN = "jellyfin";

    private final InboundEventRepository inbound;
    private final EpisodeRepository episodes;
    private final Correlator correlator;
    private final ObjectMapper json;
    private final Map<String, WebhookAdapter> adapters;
    private final StreamEventRepository streams;
    private final DeletionRecords deletions;

    public EventApplier(InboundEventRepository inbound, EpisodeRepository episodes, Correlator correlator,
            ObjectMapper json, Instance<WebhookAdapter> adapters, StreamEventRepository streams,
            DeletionRecords deletions) {
        this.streams = streams;
        this.deletions = deletions;
        this.inbound = inbound;
        this.episodes = episodes;
        this.correlator = correlator;
        this.json = json;
        this.adapters = adapters.stream().collect(Collectors.toMap(WebhookAdapter::source, a -> a));
    }

    /**
     * What one transaction (a batch of events) writes besides the requests and episodes: the events' own rows,
     * timeline lines and SSE updates are collected here and inserted together at the end of the batch
     * ({@link #writeCollected}), in arrival order: one batched INSERT per table instead of one round trip per row
     * and event, which the single writer would otherwise wait for in turn. The SSE updates are broadcast after the
     * commit.
     */
    public static final class Effects {
        final List<StreamEvent> updates = new java.util.ArrayList<>();
        final List<FollowUpJob> followUps = new java.util.ArrayList<>();
        /** New event rows not inserted yet, in arrival order, and the same by dedupe key. */
        final List<InboundEvent> newRows = new java.util.ArrayList<>();
        final Map<String, InboundEvent> newRowsByKey = new java.util.HashMap<>();
        /** Timeline lines not inserted yet, each with the event row it refers to (whose id may not exist yet). */
        final List<Line> lines = new java.util.ArrayList<>();
        /**
         * Dedupe keys known to be stored: those of the batch's submissions found at its start, plus every key stored
         * since in the same transaction. Null until {@link #knowStoredKeys} ran: then each event asks the database.
         */
        java.util.Set<String> storedKeys;

        public List<StreamEvent> updates() {
            return updates;
        }

        record Line(TimelineEvent line, InboundEvent row) {
        }

        /** Questions to other services, asked once the transaction has committed. */
        public List<FollowUpJob> followUps() {
            return followUps;
        }
    }

    /**
     * Looks up which of these submissions' dedupe keys are already stored, in one query for the whole batch: a new
     * event (nearly all of them) then needs no query of its own to know it is not a duplicate. Events of one batch
     * are applied by this transaction only, so the set stays exact as the batch stores more keys.
     */
    public Uni<Void> knowStoredKeys(List<Submission> batch, Effects effects) {
        List<String> keys = batch.stream().map(Submission::dedupeKey).distinct().toList();
        return inbound.storedDedupeKeys(keys).invoke(found -> effects.storedKeys = new java.util.HashSet<>(found))
                .replaceWithVoid();
    }

    /**
     * Applies one submission. The answer's event id exists only once {@link #writeCollected} has run: read the
     * result with {@link #resultOf} after it.
     */
    public Uni<InboundEvent> apply(Submission submission, Effects effects) {
        String key = submission.dedupeKey();
        InboundEvent earlierInBatch = effects.newRowsByKey.get(key);
        boolean maybeStored = effects.storedKeys == null || effects.storedKeys.contains(key);
        // A copy of an event of this same batch needs the original's id: insert what is collected so far first.
        Uni<InboundEvent> lookup = earlierInBatch != null ? writeRows(effects).replaceWith(earlierInBatch)
                : maybeStored ? inbound.findByDedupeKey(key) : Uni.createFrom().nullItem();
        InboundEvent row = newRow(submission);
        return lookup.chain(original -> {
            if (original != null) {
                // Kept for the record under a derived key; it changes nothing and emits nothing.
                row.dedupeKey = derivedKey(key, "dup");
                return settle(row, EventOutcome.DUPLICATE, "same event as #" + original.id, original.requestId,
                        effects);
            }
            row.dedupeKey = key;
            if (effects.storedKeys != null) {
                effects.storedKeys.add(key); // this row is stored by this transaction, whatever its outcome
            }
            Interpretation interpretation = submission.interpretation();
            if (interpretation == null) {
                return settle(row, EventOutcome.REJECTED, submission.rejection(), null, effects);
            }
            if (interpretation instanceof Interpretation.Ignore ignore) {
                copyKeys(row, ignore.keys());
                return settle(row, EventOutcome.IGNORED, ignore.reason(), null, effects);
            }
            DomainEvent event = ((Interpretation.Track) interpretation).event();
            copyKeys(row, event.keys());
            // The row is inserted once its outcome is known (one INSERT, no UPDATE of a fresh row).
            return track(row, event, effects);
        }).replaceWith(row);
    }

    /**
     * Inserts what the batch collected: event rows, then timeline lines, then SSE updates, each in arrival order.
     * The pipeline calls it once all events of the batch are applied, before the commit.
     */
    public Uni<Void> writeCollected(Effects effects) {
        // The SSE ids come from an identity column, in this order: the one writer makes them follow commit order.
        return writeRows(effects).chain(() -> {
            List<StreamEvent> toInsert = effects.updates; // written once, at the end of the batch
            // One statement per thousand updates keeps far below PostgreSQL's 65,535 parameters per statement.
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (int from = 0; from < toInsert.size(); from += 1000) {
                List<StreamEvent> chunk = toInsert.subList(from, Math.min(toInsert.size(), from + 1000));
                chain = chain.chain(() -> streams.insertAll(chunk));
            }
            return chain;
        });
    }

    /**
     * Inserts the collected event rows and timeline lines now (ids from pooled sequences: no round trip each; the
     * INSERTs go out batched at the next flush). Also needed mid-batch when a later event must see a row: an
     * unmatched event (a later request of the batch may take it) or the original of a copy.
     */
    private Uni<Void> writeRows(Effects effects) {
        // Deferred: the collected lists are taken when the write runs, not when it is composed.
        return Uni.createFrom().deferred(() -> writeRowsNow(effects));
    }

    private Uni<Void> writeRowsNow(Effects effects) {
        if (effects.newRows.isEmpty() && effects.lines.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<InboundEvent> rows = new ArrayList<>(effects.newRows);
        List<Effects.Line> lines = new ArrayList<>(effects.lines);
        effects.newRows.clear();
        effects.newRowsByKey.clear();
        effects.lines.clear();
        // Panache refuses to persist an empty list.
        Uni<Void> insertRows = rows.isEmpty() ? Uni.createFrom().voidItem() : inbound.persist(rows);
        return insertRows.chain(() -> {
            List<TimelineEvent> toInsert = new ArrayList<>(lines.size());
            for (Effects.Line l : lines) {
                if (l.row().id == null) {
                    throw new IllegalStateException("a timeline line refers to an event row that was never written");
                }
                l.line().inboundEventId = l.row().id;
                toInsert.add(l.line());
            }
            return toInsert.isEmpty() ? Uni.createFrom().voidItem() : TimelineEvent.persist(toInsert);
        });
    }


    /** Stores a submission whose application failed, so that nothing is lost; runs in its own transaction. */
    public Uni<PipelineResult> storeFailure(Submission submission, Throwable failure) {
        InboundEvent row = newRow(submission);
        row.dedupeKey = derivedKey(submission.dedupeKey(), "error");
        String message = failure.getClass().getSimpleName();
        return settle(row, EventOutcome.ERROR, "could not be applied (" + message + "); see the service log", null,
                null);
    }

    private Uni<PipelineResult> track(InboundEvent row, DomainEvent event, Effects effects) {
        return correlator.find(event).chain(request -> {
            if (request != null) {
                return update(row, event, request, effects, true);
            }
            MediaKeys k = event.keys();
            // A Jellyfin id names media too when the library import brings what Jellyfin knows only by AniDB id.
            boolean identifiable = k.tmdbId() != null || k.tvdbId() != null || k.imdbId() != null
                    || k.jellyseerrId() != null || (k.jellyfinId() != null && LibraryImport.SOURCE.equals(event.source()));
            if (!event.target().mayCreate() || !identifiable) { // a bare torrent hash names no media to show
                if (JELLYFIN.equals(event.source()) && event.keys().jellyfinId() != null
                        && event.keys().mediaType() == MediaType.TV && "ItemAdded".equals(event.eventType())
                        && event.episodes().mode() == EpisodeScope.Mode.LISTED) {
                    // An episode of a series we cannot place yet: Jellyfin can tell the series' provider ids. Not
                    // for answers to such questions (Verified), which would only ask the same again.
                    effects.followUps.add(FollowUpJob.forJellyfinSeries(event.keys().jellyfinId()));
                }
                return settle(row, EventOutcome.UNMATCHED,
                        "no request fits it yet; kept and re-tried when a fitting request appears", null, effects);
            }
            return create(row, event, effects)
                    .call(created -> retryUnmatched(created, Set.of(), effects))
                    .map(created -> resultOf(row));
        });
    }

    private Uni<MediaRequest> create(InboundEvent row, DomainEvent event, Effects effects) {
        Instant now = Instant.now();
        MediaRequest r = new MediaRequest();
        MediaKeys k = event.keys();
        r.mediaType = k.mediaType() != null ? k.mediaType() : MediaType.MOVIE;
        r.is4k = k.is4k();
        r.state = event.target().state();
        if (r.state.isProblem()) {
            // A decline or failure before any other news: it happened at the approval decision.
            r.problemStage = RequestState.APPROVED;
        }
        r.createdAt = now;
        r.updatedAt = now;
        r.stateChangedAt = now;
        mergeKeys(r, k);
        mergeFacts(r, event.facts(), false);
        if (r.title == null) {
            r.title = r.mediaType.value().toUpperCase(java.util.Locale.ROOT) + " " + describe(k);
        }
        if (r.state.isProblem() && event.details() != null) {
            r.stuckReason = truncate(event.details());
        }
        List<Episode> created = new ArrayList<>();
        return r.<MediaRequest>persist()
                .chain(() -> createEpisodes(r, event, created))
                .call(() -> settle(row, EventOutcome.APPLIED, "created request in " + r.state.value(), r.id, effects))
                .invoke(() -> {
                    boolean via = event.target().via() != null && r.state.rank() > event.target().via().rank();
                    if (via) {
                        viaTimeline(r, event, row, effects);
                    }
                    timeline(r, event, row, via, effects);
                })
                .call(() -> emit(r, "new_request", effects, created))
                .invoke(() -> followUps(r, event, effects))
                .replaceWith(r);
    }

    /** Episodes named by the event that created a TV request; the request's state then comes from them. */
    private Uni<Void> createEpisodes(MediaRequest r, DomainEvent event, List<Episode> rows) {
        if (r.mediaType != MediaType.TV || event.episodes().mode() != EpisodeScope.Mode.LISTED
                || !event.episodes().createsRows() || event.target().kind() != Target.Kind.PROGRESS) {
            return Uni.createFrom().voidItem();
        }
        EpisodeUpdates.Changes changes = new EpisodeUpdates.Changes();
        for (EpisodeFact fact : event.episodes().listed()) {
            if (EpisodeUpdates.mayCreateRow(r, event, fact) && rows.stream().noneMatch(e -> EpisodeUpdates.sameNumber(e, fact))) {
                Episode e = EpisodeUpdates.newEpisode(r, fact, event);
                rows.add(e);
                changes.created.add(e);
            }
        }
        return EpisodeUpdates.persistAll(changes.created).invoke(() -> {
            r.totalEpisodes = Math.max(r.totalEpisodes == null ? 0 : r.totalEpisodes, EpisodeUpdates.countExpected(r, rows));
            EpisodeAggregate.of(r, rows, EpisodeUpdates.today()).ifPresent(agg -> {
                r.state = agg.state();
                r.problemStage = agg.problemStage();
            });
        });
    }

    private Uni<PipelineResult> update(InboundEvent row, DomainEvent event, MediaRequest r, Effects effects,
            boolean mayRetry) {
        Uni<List<Episode>> rows = r.mediaType == MediaType.TV ? episodes.forRequest(r.id)
                : Uni.createFrom().item(List.of());
        boolean learnedJellyfinId = r.jellyfinId == null && event.keys().jellyfinId() != null;
        // A movie's first torrent: the key is merged before the grab rules look at it, so it is not among the new
        // hashes, yet qBittorrent's completion may have come first and wait for it.
        boolean learnedHash = r.downloadHash == null && event.keys().downloadHash() != null;
        return rows.chain(list -> {
            EpisodeUpdates.Changes changes = EpisodeUpdates.apply(r, event, new ArrayList<>(list));
            return EpisodeUpdates.persistAll(changes.created).chain(() -> decideAndWrite(row, event, r, changes, effects))
                    .call(res -> mayRetry && res.outcome() == EventOutcome.APPLIED
                            && (!changes.newHashes.isEmpty() || learnedJellyfinId || learnedHash)
                            ? retryUnmatched(r, changes.newHashes, effects) : Uni.createFrom().voidItem());
        });
    }

    private Uni<PipelineResult> decideAndWrite(InboundEvent row, DomainEvent event, MediaRequest r,
            EpisodeUpdates.Changes changes, Effects effects) {
        Target target = event.target();
        boolean attach = JellyseerrAdapter.SOURCE.equals(event.source()) && event.keys().jellyseerrId() != null
                && r.jellyseerrId == null;
        Decision d = decideRequest(r, event, changes);
        if (d.verdict() == TransitionRules.Verdict.STALE && (attach || changes.changed > 0)) {
            // Joining a request first seen in Sonarr/Radarr, or news about some of its episodes: worth a line.
            d = new Decision(TransitionRules.Verdict.NOTE, r.state, r.problemStage, attach
                    ? "joined the request tracked from " + r.requestedBy : "episodes updated; " + d.reason());
        }
        if (d.verdict() == TransitionRules.Verdict.STALE) {
            return settle(row, EventOutcome.STALE, d.reason(), r.id, effects); // kept, and changes nothing at all
        }
        if (attach && event.facts().requestedBy() != null) {
            r.requestedBy = truncate(event.facts().requestedBy(), 200); // the person, not "Radarr"
        }
        boolean filled = mergeKeys(r, event.keys()) | mergeFacts(r, event.facts(), true) | changes.filled;
        if (r.mediaType == MediaType.TV && !changes.all.isEmpty()) {
            int expected = EpisodeUpdates.countExpected(r, changes.all);
            if (r.totalEpisodes == null || expected > r.totalEpisodes) {
                r.totalEpisodes = expected;
                filled = true;
            }
        }
        if (r.mediaType == MediaType.MOVIE && EpisodeUpdates.isGrab(event) && event.keys().downloadHash() != null
                && !event.keys().downloadHash().equals(r.downloadHash)
                && d.verdict() != TransitionRules.Verdict.NOTE) {
            r.downloadHash = event.keys().downloadHash(); // the newest grab is the torrent to follow
            changes.newHashes.add(r.downloadHash);
            filled = true;
        }
        Instant now = Instant.now();
        String reason = d.reason();
        switch (d.verdict()) {
            case MOVE -> {
                RequestState before = r.stage();
                r.state = d.state();
                r.problemStage = d.problemStage();
                r.stateChangedAt = now;
                r.updatedAt = now;
                if (r.state == RequestState.AVAILABLE) {
                    r.availableAt = now;
                }
                if (r.state.rank() >= RequestState.DOWNLOADED.rank()) {
                    r.downloadSpeedBps = null;
                    r.downloadEtaSeconds = null;
                    if (r.downloadProgress != null || r.mediaType == MediaType.MOVIE) {
                        r.downloadProgress = 1.0;
                    }
                }
                if (r.state.isProblem() && target.kind() == Target.Kind.PROBLEM && event.details() != null) {
                    r.stuckReason = truncate(event.details());
                } else if (!r.state.isProblem()) {
                    r.stuckReason = null;
                }
                boolean via = target.via() != null && before.rank() < target.via().rank()
                        && r.state.rank() > target.via().rank();
                if (via) {
                    viaTimeline(r, event, row, effects);
                }
                timeline(r, event, row, via, effects);
                return settle(row, EventOutcome.APPLIED, reason, r.id, effects)
                        .call(() -> emit(r, "state_change", effects, changes.all))
                        // A SeriesDelete/MovieDelete that removed it: logged as an external deletion, in this
                        // transaction (a redelivery is a duplicate, a later one finds it removed already).
                        .call(() -> deletions.recordExternal(r, event, row.payload, changes.all, effects))
                        .invoke(() -> followUps(r, event, effects));
            }
            case NOTE -> {
                r.updatedAt = now;
                timeline(r, event, row, false, effects);
                return settle(row, EventOutcome.APPLIED, reason, r.id, effects)
                        .call(() -> emit(r, "state_change", effects, changes.all))
                        .invoke(() -> followUps(r, event, effects));
            }
            case SAME -> {
                if (changes.changed > 0) {
                    r.updatedAt = now;
                    timeline(r, event, row, false, effects);
                    return settle(row, EventOutcome.APPLIED, reason + "; " + changes.changed + " episode(s) moved",
                            r.id, effects)
                            .call(() -> emit(r, "state_change", effects, changes.all))
                            .invoke(() -> followUps(r, event, effects));
                }
                if (changes.stale > 0) {
                    return settle(row, EventOutcome.STALE, "its episodes are already past this", r.id, effects);
                }
                if (filled) {
                    r.updatedAt = now;
                    return emit(r, "state_change", effects, changes.all)
                            .chain(() -> settle(row, EventOutcome.APPLIED, reason + "; details filled in", r.id,
                                    effects))
                            .invoke(() -> followUps(r, event, effects));
                }
                followUps(r, event, effects);
                return settle(row, EventOutcome.APPLIED, reason + "; nothing to change", r.id, effects);
            }
            default -> {
                return settle(row, EventOutcome.STALE, reason, r.id, effects);
            }
        }
    }

    /**
     * The request's transition. For a TV request whose episodes the event moved, the request follows its least
     * advanced expected episode; otherwise the event's own target decides.
     */
    private Decision decideRequest(MediaRequest r, DomainEvent event, EpisodeUpdates.Changes changes) {
        Target target = event.target();
        EpisodeScope.Mode mode = event.episodes().mode();
        if (r.mediaType == MediaType.TV && changes.touched == 0 && target.kind() == Target.Kind.PROGRESS
                && (mode == EpisodeScope.Mode.LISTED || (mode == EpisodeScope.Mode.BY_HASH && !changes.all.isEmpty()))) {
            // Progress of episodes this request does not track (another season, a special, a replaced torrent)
            // says nothing about the request itself.
            return new Decision(TransitionRules.Verdict.STALE, r.state, r.problemStage,
                    "none of the episodes it is about belong to this request");
        }
        Optional<EpisodeAggregate> agg = r.mediaType == MediaType.TV && changes.touched > 0
                ? EpisodeAggregate.of(r, changes.all, EpisodeUpdates.today()) : Optional.empty();
        if (agg.isEmpty() || target.kind() != Target.Kind.PROGRESS) {
            if (r.mediaType == MediaType.MOVIE && EpisodeUpdates.isRegrab(event, r.downloadHash, r.stage())) {
                return new Decision(TransitionRules.Verdict.MOVE, RequestState.GRABBING, null,
                        r.state.value() + " -> grabbing (a new torrent replaces the previous one)");
            }
            return TransitionRules.decide(r.state, r.problemStage, target);
        }
        EpisodeAggregate a = agg.get();
        if (RequestState.CLOSED.contains(r.state)) {
            return TransitionRules.decide(r.state, r.problemStage, target);
        }
        boolean episodeProblem = changes.all.stream().anyMatch(e -> e.state.isProblem());
        if (r.state.isProblem() && !episodeProblem) {
            // A request-level problem (declined, timed out) is lifted only by proof of its stage or a later one.
            Decision lift = TransitionRules.decide(r.state, r.problemStage, Target.progress(a.state(), false));
            return lift.verdict() == TransitionRules.Verdict.MOVE
                    ? new Decision(TransitionRules.Verdict.MOVE, a.state(), a.problemStage(), lift.reason()) : lift;
        }
        if (a.state() == r.state && java.util.Objects.equals(a.problemStage(), r.problemStage)) {
            return new Decision(TransitionRules.Verdict.SAME, r.state, r.problemStage, "already " + r.state.value()
                    + " (least advanced episode)");
        }
        return new Decision(TransitionRules.Verdict.MOVE, a.state(), a.problemStage(),
                r.state.value() + " -> " + a.state().value() + " (least advanced of " + a.expected()
                        + " expected episodes)");
    }

    private void followUps(MediaRequest r, DomainEvent event, Effects effects) {
        for (DomainEvent.FollowUp kind : event.followUps()) {
            if (kind == DomainEvent.FollowUp.ALTERNATE_TITLES && r.alternateTitles != null) {
                continue; // known already: not asked at every grab of an airing anime
            }
            effects.followUps.add(FollowUpJob.of(kind, r));
        }
    }

    /**
     * A new request, or a new torrent hash on one, may be what earlier unmatched events were waiting for (a decline
     * that beat the request webhook, qBittorrent's completion hook before the grab). They are applied now, in their
     * arrival order, if they still correlate to this request.
     */
    private Uni<Void> retryUnmatched(MediaRequest request, Set<String> newHashes, Effects effects) {
        return inbound.unmatchedFitting(request, newHashes).chain(waiting -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (InboundEvent row : waiting) {
                chain = chain.chain(() -> retryOne(row, request, effects));
            }
            return chain;
        });
    }

    private Uni<Void> retryOne(InboundEvent row, MediaRequest request, Effects effects) {
        DomainEvent event = reinterpret(row);
        if (event == null) {
            return Uni.createFrom().voidItem();
        }
        return correlator.find(event).chain(match -> match == null || !match.id.equals(request.id)
                ? Uni.createFrom().voidItem()
                : update(row, event, match, effects, false).invoke(res -> row.outcomeReason = truncate(
                        "re-tried when request #" + request.id + " could take it: " + row.outcomeReason))
                        .replaceWithVoid());
    }

    private DomainEvent reinterpret(InboundEvent row) {
        WebhookAdapter adapter = adapters.get(row.source);
        if (adapter == null || row.payload == null) {
            return null;
        }
        try {
            JsonNode node = json.readTree(row.payload);
            if (node instanceof ObjectNode object
                    && adapter.interpret(object) instanceof Interpretation.Track track) {
                return track.event();
            }
        } catch (JsonProcessingException e) {
            LOG.debugf("stored event #%d is no longer readable (%s)", row.id, e.getClass().getSimpleName());
        }
        return null;
    }

    private void timeline(MediaRequest r, DomainEvent event, InboundEvent row, boolean afterVia, Effects effects) {
        TimelineEvent t = new TimelineEvent();
        t.requestId = r.id;
        t.service = event.source();
        t.eventType = afterVia ? "Waiting for Shoko" : event.timelineType();
        t.state = r.state;
        t.details = afterVia ? "Imported; Shoko has to match the files before Jellyfin shows them" : event.details();
        t.occurredAt = Instant.now();
        effects.lines.add(new Effects.Line(t, row)); // its inbound event id is set when it is written
    }

    /** The state the upstream passed through on the way (an anime import is importing before matching). */
    private void viaTimeline(MediaRequest r, DomainEvent event, InboundEvent row, Effects effects) {
        TimelineEvent t = new TimelineEvent();
        t.requestId = r.id;
        t.service = event.source();
        t.eventType = event.timelineType();
        t.state = event.target().via();
        t.details = event.details();
        t.occurredAt = Instant.now();
        effects.lines.add(new Effects.Line(t, row));
    }

    /**
     * A measurement changed this request (download progress, speed, ETA): an SSE {@code progress} update, broadcast
     * after the commit. {@code episodes}: the request's episodes as the caller holds them (TV), else empty.
     */
    public Uni<Void> progress(MediaRequest r, List<Episode> episodes, Effects effects) {
        return emit(r, "progress", effects, r.mediaType == MediaType.TV ? episodes : null);
    }

    /** Writes the SSE update for this request's current state; it is broadcast once the transaction commits. */
    private Uni<Void> emit(MediaRequest r, String eventType, Effects effects, List<Episode> known) {
        // The episodes this event already loaded are current (managed, changed in place); only a new request reads.
        Uni<List<app.statustracker.Episode>> eps = r.mediaType != app.statustracker.MediaType.TV
                ? Uni.createFrom().item(List.of()) // movies have no episodes
                : known != null ? Uni.createFrom().item(sorted(known)) : episodes.forRequest(r.id);
        return eps.chain(episodeList -> {
            StreamEvent e = new StreamEvent();
            e.requestId = r.id;
            e.eventType = eventType;
            e.createdAt = Instant.now();
            e.payload = updateJson(eventType, RequestViews.of(r, episodeList, true));
            effects.updates.add(e); // inserted with the batch's other rows, before the commit
            return Uni.createFrom().voidItem();
        });
    }

    private static List<Episode> sorted(List<Episode> rows) {
        return rows.stream().sorted(java.util.Comparator.comparingInt((Episode e) -> e.seasonNumber)
                .thenComparingInt(e -> e.episodeNumber)).toList();
    }

    private String updateJson(String eventType, RequestView view) {
        try {
            return json.writeValueAsString(new StreamUpdate(eventType, view.id(), view));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request view is always serialisable", e);
        }
    }

    /** The data of an SSE {@code update} event; serialised by hand, hence registered for native images. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record StreamUpdate(String eventType, long requestId, RequestView request) {
    }


    /**
     * Records the outcome. A new row joins the batch's collected rows (see {@link Effects}); an unmatched one is
     * inserted at once with those before it, because a later event of the same batch may be the request it waits
     * for. Without {@code effects} (an event stored on its own after a failure) it is inserted at once. A stored row
     * being re-tried is managed and written at the flush.
     */
    private Uni<PipelineResult> settle(InboundEvent row, EventOutcome outcome, String reason, Long requestId,
            Effects effects) {
        row.outcome = outcome;
        row.outcomeReason = truncate(reason);
        row.requestId = requestId;
        row.processedAt = Instant.now();
        if (row.id != null) {
            return Uni.createFrom().item(resultOf(row));
        }
        if (effects == null) {
            return row.<InboundEvent>persist().map(saved -> resultOf(row));
        }
        effects.newRows.add(row);
        if (row.dedupeKey != null && outcome != EventOutcome.DUPLICATE) {
            effects.newRowsByKey.put(row.dedupeKey, row);
        }
        return outcome == EventOutcome.UNMATCHED ? writeRows(effects).map(ignored -> resultOf(row))
                : Uni.createFrom().item(resultOf(row));
    }

    /** The answer for an applied submission, once its row is written. */
    public static PipelineResult resultOf(InboundEvent row) {
        return new PipelineResult(row.outcome, row.requestId, row.outcomeReason, row.id == null ? 0 : row.id);
    }

    private static InboundEvent newRow(Submission s) {
        InboundEvent row = new InboundEvent();
        row.source = s.source();
        row.eventType = truncate(s.eventType(), 80);
        row.receivedAt = s.receivedAt();
        row.contentType = truncate(s.contentType(), 200);
        row.payload = s.payload();
        row.outcome = EventOutcome.UNMATCHED;
        return row;
    }

    private static void copyKeys(InboundEvent row, MediaKeys k) {
        row.mediaType = k.mediaType();
        row.tmdbId = k.tmdbId();
        row.tvdbId = k.tvdbId();
        row.imdbId = k.imdbId();
        row.jellyseerrId = k.jellyseerrId();
        row.downloadHash = k.downloadHash();
        row.jellyfinId = k.jellyfinId();
    }

    /** Fills ids the request lacks; never overwrites one it has. Returns whether anything changed. */
    private static boolean mergeKeys(MediaRequest r, MediaKeys k) {
        boolean changed = false;
        if (r.jellyseerrId == null && k.jellyseerrId() != null) {
            r.jellyseerrId = k.jellyseerrId();
            changed = true;
        }
        if (r.tmdbId == null && k.tmdbId() != null) {
            r.tmdbId = k.tmdbId();
            changed = true;
        }
        if (r.tvdbId == null && k.tvdbId() != null) {
            r.tvdbId = k.tvdbId();
            changed = true;
        }
        if (r.imdbId == null && k.imdbId() != null) {
            r.imdbId = k.imdbId();
            changed = true;
        }
        if (r.downloadHash == null && k.downloadHash() != null) {
            r.downloadHash = k.downloadHash();
            changed = true;
        }
        if (r.sonarrId == null && k.sonarrId() != null) {
            r.sonarrId = k.sonarrId();
            changed = true;
        }
        if (r.radarrId == null && k.radarrId() != null) {
            r.radarrId = k.radarrId();
            changed = true;
        }
        if (r.jellyfinId == null && k.jellyfinId() != null) {
            r.jellyfinId = k.jellyfinId();
            changed = true;
        }
        return changed;
    }

    /**
     * Fills descriptive facts the request lacks. With {@code replace}, the facts that describe the latest state of
     * things (release, anime flag) replace what the request holds; paths always do. Returns whether anything changed.
     */
    private static boolean mergeFacts(MediaRequest r, MediaFacts f, boolean replace) {
        boolean changed = false;
        if (f.title() != null && (r.title == null || r.title.isBlank() || isPlaceholder(r.title))) {
            r.title = truncate(f.title(), 500);
            changed = true;
        }
        if (r.year == null && f.year() != null) {
            r.year = f.year();
            changed = true;
        }
        String titles = AlternateTitles.merge(r.alternateTitles, f.alternateTitles(), r.title);
        if (!java.util.Objects.equals(titles, r.alternateTitles)) {
            r.alternateTitles = titles;
            changed = true;
        }
        if (r.posterUrl == null && f.posterUrl() != null) {
            r.posterUrl = truncate(f.posterUrl(), 1000);
            changed = true;
        }
        if (r.overview == null && f.overview() != null) {
            r.overview = f.overview();
            changed = true;
        }
        if (r.requestedBy == null && f.requestedBy() != null) {
            r.requestedBy = truncate(f.requestedBy(), 200);
            changed = true;
        }
        if (r.requestedSeasons == null && !f.requestedSeasons().isEmpty()) {
            r.requestedSeasons = truncate(f.requestedSeasons().stream().map(String::valueOf)
                    .collect(Collectors.joining(",")), 200);
            r.season = f.requestedSeasons().get(0);
            changed = true;
        }
        if (f.totalEpisodes() != null && !f.totalEpisodes().equals(r.totalEpisodes)) {
            r.totalEpisodes = f.totalEpisodes();
            changed = true;
        }
        if (f.isAnime() != null && !f.isAnime().equals(r.isAnime) && (replace || r.isAnime == null)) {
            r.isAnime = f.isAnime();
            changed = true;
        }
        if (f.finalPath() != null && !f.finalPath().equals(r.finalPath)) {
            r.finalPath = truncate(f.finalPath(), 2000);
            changed = true;
        }
        if (f.downloadPath() != null && !f.downloadPath().equals(r.downloadPath)) {
            r.downloadPath = truncate(f.downloadPath(), 2000);
            changed = true;
        }
        ReleaseFacts rel = f.release();
        if (rel != null && !rel.isEmpty()) {
            changed |= rel.quality() != null && !rel.quality().equals(r.quality)
                    || rel.indexer() != null && !rel.indexer().equals(r.indexer)
                    || rel.releaseGroup() != null && !rel.releaseGroup().equals(r.releaseGroup)
                    || rel.size() != null && !rel.size().equals(r.fileSize);
            r.quality = rel.quality() != null ? truncate(rel.quality(), 100) : r.quality;
            r.indexer = rel.indexer() != null ? truncate(rel.indexer(), 200) : r.indexer;
            r.releaseGroup = rel.releaseGroup() != null ? truncate(rel.releaseGroup(), 100) : r.releaseGroup;
            r.fileSize = rel.size() != null ? rel.size() : r.fileSize;
        }
        return changed;
    }

    /** A unique key for a row that must not claim the original's dedupe key (fits the 128-character column). */
    private static String derivedKey(String key, String tag) {
        return truncate(key, 80) + "#" + tag + "-" + UUID.randomUUID();
    }

    /** The stand-in title a request gets when its first event names no title ("MOVIE tmdb 4977"): a real one replaces it. */
    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern
            .compile("(MOVIE|TV) (tmdb \\d+|tvdb \\d+|request \\d+|unknown)");

    static boolean isPlaceholder(String title) {
        return PLACEHOLDER.matcher(title).matches();
    }

    private static String describe(MediaKeys k) {
        if (k.tmdbId() != null) {
            return "tmdb " + k.tmdbId();
        }
        if (k.tvdbId() != null) {
            return "tvdb " + k.tvdbId();
        }
        return k.jellyseerrId() != null ? "request " + k.jellyseerrId() : "unknown";
    }

    private static String truncate(String s) {
        return truncate(s, 1000);
    }

    static String truncate(String s, int max) {
        String t = Payloads.storable(s);
        return t == null || t.length() <= max ? t : t.substring(0, max);
    }
}
