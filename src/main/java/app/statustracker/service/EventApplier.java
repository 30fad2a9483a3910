package app.statustracker.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.EventOutcome;
import app.statustracker.InboundEvent;
import app.statustracker.MediaRequest;
import app.statustracker.StreamEvent;
import app.statustracker.TimelineEvent;
import app.statustracker.ingest.DomainEvent;
import app.statustracker.ingest.Interpretation;
import app.statustracker.ingest.MediaFacts;
import app.statustracker.ingest.MediaKeys;
import app.statustracker.ingest.Payloads;
import app.statustracker.ingest.Submission;
import app.statustracker.ingest.WebhookAdapter;
import app.statustracker.repository.EpisodeRepository;
import app.statustracker.repository.InboundEventRepository;
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

    private final InboundEventRepository inbound;
    private final EpisodeRepository episodes;
    private final Correlator correlator;
    private final ObjectMapper json;
    private final Map<String, WebhookAdapter> adapters;

    public EventApplier(InboundEventRepository inbound, EpisodeRepository episodes, Correlator correlator,
            ObjectMapper json, Instance<WebhookAdapter> adapters) {
        this.inbound = inbound;
        this.episodes = episodes;
        this.correlator = correlator;
        this.json = json;
        this.adapters = adapters.stream().collect(Collectors.toMap(WebhookAdapter::source, a -> a));
    }

    /** SSE updates written by one transaction, to be broadcast after it commits. */
    public static final class Effects {
        final List<StreamEvent> updates = new java.util.ArrayList<>();

        public List<StreamEvent> updates() {
            return updates;
        }
    }

    public Uni<PipelineResult> apply(Submission submission, Effects effects) {
        String key = submission.dedupeKey();
        return inbound.findByDedupeKey(key).chain(original -> {
            InboundEvent row = newRow(submission);
            if (original != null) {
                // Kept for the record under a derived key; it changes nothing and emits nothing.
                row.dedupeKey = derivedKey(key, "dup");
                return settle(row, EventOutcome.DUPLICATE, "same event as #" + original.id, original.requestId);
            }
            row.dedupeKey = key;
            Interpretation interpretation = submission.interpretation();
            if (interpretation == null) {
                return settle(row, EventOutcome.REJECTED, submission.rejection(), null);
            }
            if (interpretation instanceof Interpretation.Ignore ignore) {
                copyKeys(row, ignore.keys());
                return settle(row, EventOutcome.IGNORED, ignore.reason(), null);
            }
            DomainEvent event = ((Interpretation.Track) interpretation).event();
            copyKeys(row, event.keys());
            // The row is inserted once its outcome is known (one INSERT, no UPDATE of a fresh row).
            return track(row, event, effects);
        });
    }

    /** Stores a submission whose application failed, so that nothing is lost; runs in its own transaction. */
    public Uni<PipelineResult> storeFailure(Submission submission, Throwable failure) {
        InboundEvent row = newRow(submission);
        row.dedupeKey = derivedKey(submission.dedupeKey(), "error");
        String message = failure.getClass().getSimpleName();
        return settle(row, EventOutcome.ERROR, "could not be applied (" + message + "); see the service log", null);
    }

    private Uni<PipelineResult> track(InboundEvent row, DomainEvent event, Effects effects) {
        return correlator.find(event.keys()).chain(request -> {
            if (request != null) {
                return update(row, event, request, effects);
            }
            if (!event.target().mayCreate()) {
                return settle(row, EventOutcome.UNMATCHED,
                        "no request fits it yet; kept and re-tried when a fitting request appears", null);
            }
            return create(row, event, effects)
                    .call(created -> retryUnmatched(created, effects))
                    .map(created -> result(row));
        });
    }

    private Uni<MediaRequest> create(InboundEvent row, DomainEvent event, Effects effects) {
        Instant now = Instant.now();
        MediaRequest r = new MediaRequest();
        MediaKeys k = event.keys();
        r.mediaType = k.mediaType();
        r.is4k = k.is4k();
        r.state = event.target().state();
        r.createdAt = now;
        r.updatedAt = now;
        r.stateChangedAt = now;
        mergeKeys(r, k);
        mergeFacts(r, event.facts());
        if (r.title == null) {
            r.title = (r.mediaType == null ? "Media" : r.mediaType.value().toUpperCase(java.util.Locale.ROOT)) + " "
                    + describe(k);
        }
        return r.<MediaRequest>persist()
                .call(() -> settle(row, EventOutcome.APPLIED, "created request in " + r.state.value(), r.id))
                .call(() -> timeline(r, event, row))
                .call(() -> emit(r, "new_request", effects));
    }

    private Uni<PipelineResult> update(InboundEvent row, DomainEvent event, MediaRequest r, Effects effects) {
        Decision d = TransitionRules.decide(r.state, r.problemStage, event.target());
        if (d.verdict() == TransitionRules.Verdict.STALE) {
            return settle(row, EventOutcome.STALE, d.reason(), r.id); // kept, and changes nothing at all
        }
        boolean filled = mergeKeys(r, event.keys()) | mergeFacts(r, event.facts());
        Instant now = Instant.now();
        switch (d.verdict()) {
            case MOVE -> {
                r.state = d.state();
                r.problemStage = d.problemStage();
                r.stateChangedAt = now;
                r.updatedAt = now;
                if (r.state == app.statustracker.RequestState.AVAILABLE) {
                    r.availableAt = now;
                }
                return settle(row, EventOutcome.APPLIED, d.reason(), r.id)
                        .call(() -> timeline(r, event, row))
                        .call(() -> emit(r, "state_change", effects));
            }
            case NOTE -> {
                r.updatedAt = now;
                return settle(row, EventOutcome.APPLIED, d.reason(), r.id)
                        .call(() -> timeline(r, event, row))
                        .call(() -> emit(r, "state_change", effects));
            }
            case SAME -> {
                if (filled) {
                    r.updatedAt = now;
                    return emit(r, "state_change", effects)
                            .chain(() -> settle(row, EventOutcome.APPLIED, d.reason() + "; details filled in", r.id));
                }
                return settle(row, EventOutcome.APPLIED, d.reason() + "; nothing to change", r.id);
            }
            default -> {
                return settle(row, EventOutcome.STALE, d.reason(), r.id);
            }
        }
    }

    /**
     * A new request may be what earlier unmatched events were waiting for (e.g. a decline that beat the request
     * webhook). They are applied now, in their arrival order, if they still correlate to this request.
     */
    private Uni<Void> retryUnmatched(MediaRequest created, Effects effects) {
        return inbound.unmatchedFitting(created).chain(waiting -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (InboundEvent row : waiting) {
                chain = chain.chain(() -> retryOne(row, created, effects));
            }
            return chain;
        });
    }

    private Uni<Void> retryOne(InboundEvent row, MediaRequest created, Effects effects) {
        DomainEvent event = reinterpret(row);
        if (event == null) {
            return Uni.createFrom().voidItem();
        }
        return correlator.find(event.keys()).chain(match -> match == null || !match.id.equals(created.id)
                ? Uni.createFrom().voidItem()
                : update(row, event, match, effects).invoke(res -> row.outcomeReason = truncate("re-tried when request #"
                        + created.id + " appeared: " + row.outcomeReason)).replaceWithVoid());
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

    private Uni<Void> timeline(MediaRequest r, DomainEvent event, InboundEvent row) {
        TimelineEvent t = new TimelineEvent();
        t.requestId = r.id;
        t.service = event.source();
        t.eventType = event.timelineType();
        t.state = r.state;
        t.details = event.details();
        t.inboundEventId = row.id;
        t.occurredAt = Instant.now();
        return t.persist().replaceWithVoid();
    }

    /** Writes the SSE update for this request's current state; it is broadcast once the transaction commits. */
    private Uni<Void> emit(MediaRequest r, String eventType, Effects effects) {
        Uni<List<app.statustracker.Episode>> eps = r.mediaType == app.statustracker.MediaType.TV
                ? episodes.forRequest(r.id) : Uni.createFrom().item(List.of()); // movies have no episodes
        return eps.chain(episodeList -> {
            StreamEvent e = new StreamEvent();
            e.requestId = r.id;
            e.eventType = eventType;
            e.createdAt = Instant.now();
            e.payload = updateJson(eventType, RequestViews.of(r, episodeList, true));
            effects.updates.add(e);
            return e.persist().replaceWithVoid();
        });
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
     * Records the outcome. A new row is inserted now (the timeline refers to its id); a stored row being re-tried is
     * managed and written at commit.
     */
    private Uni<PipelineResult> settle(InboundEvent row, EventOutcome outcome, String reason, Long requestId) {
        row.outcome = outcome;
        row.outcomeReason = truncate(reason);
        row.requestId = requestId;
        row.processedAt = Instant.now();
        return row.id == null ? row.<InboundEvent>persist().map(saved -> result(row))
                : Uni.createFrom().item(result(row));
    }

    private static PipelineResult result(InboundEvent row) {
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
        return changed;
    }

    /** Fills descriptive facts the request lacks. Returns whether anything changed. */
    private static boolean mergeFacts(MediaRequest r, MediaFacts f) {
        boolean changed = false;
        if (f.title() != null && (r.title == null || r.title.isBlank())) {
            r.title = truncate(f.title(), 500);
            changed = true;
        }
        if (r.year == null && f.year() != null) {
            r.year = f.year();
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
        return changed;
    }

    /** A unique key for a row that must not claim the original's dedupe key (fits the 128-character column). */
    private static String derivedKey(String key, String tag) {
        return truncate(key, 80) + "#" + tag + "-" + UUID.randomUUID();
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

    private static String truncate(String s, int max) {
        String t = Payloads.storable(s);
        return t == null || t.length() <= max ? t : t.substring(0, max);
    }
}
