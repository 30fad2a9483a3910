package app.statustracker.service;

import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.EventOutcome;
import app.statustracker.MediaRequest;
import app.statustracker.RequestState;
import app.statustracker.auth.Caller;
import app.statustracker.ingest.DomainEvent;
import app.statustracker.ingest.Interpretation;
import app.statustracker.ingest.MediaFacts;
import app.statustracker.ingest.MediaKeys;
import app.statustracker.ingest.Submission;
import app.statustracker.ingest.Target;
import app.statustracker.repository.MediaRequestRepository;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * An admin's recovery actions on one request (PRODUCT.md §3): Verify asks Jellyfin now; Retry first asks Jellyfin
 * (the media may have arrived while nobody was told), else sends the request back to {@code approved}, asks Sonarr or
 * Radarr to search again, and reconciles soon. Each action is an event of source {@value #SOURCE} through the same
 * pipeline as webhooks: stored with who did it, applied by the transition rules, in the timeline, broadcast.
 */
@ApplicationScoped
public class AdminActions {

    /** The source of admins' actions in the event log and the timeline. */
    public static final String SOURCE = "admin";

    /**
     * What an action did.
     *
     * @param outcome {@code available} (Jellyfin has it playable), {@code retried}, {@code not_found} (verify: not
     *                playable yet), {@code not_retryable} (the request is not failed, timed out or unmatched)
     * @param message what happened, in words for the dashboard
     * @param request the request after the action
     */
    @RegisterForReflection
    public record Outcome(String outcome, String message, RequestView request) {
    }

    private final EventPipeline pipeline;
    private final MediaRequestRepository requests;
    private final RequestQueryService queries;
    private final JellyfinVerification verification;
    private final Reconciler reconciler;
    private final ArrSearch search;
    private final ObjectMapper json;

    public AdminActions(EventPipeline pipeline, MediaRequestRepository requests, RequestQueryService queries,
            JellyfinVerification verification, Reconciler reconciler, ArrSearch search, ObjectMapper json) {
        this.pipeline = pipeline;
        this.requests = requests;
        this.queries = queries;
        this.verification = verification;
        this.reconciler = reconciler;
        this.search = search;
        this.json = json;
    }

    /** Verify; null when there is no such request. */
    public Uni<Outcome> verify(long id) {
        return load(id).chain(r -> {
            if (r == null) {
                return Uni.createFrom().nullItem();
            }
            if (RequestState.CLOSED.contains(r.state)) {
                return view(id).map(v -> new Outcome(r.state == RequestState.AVAILABLE ? "available" : "not_found",
                        r.state == RequestState.AVAILABLE ? "Already available" : "The request was removed", v));
            }
            return verification.verifyNow(id).chain(cycle -> view(id).map(v -> v.state() == RequestState.AVAILABLE
                    ? new Outcome("available", "Found playable in Jellyfin", v)
                    : new Outcome("not_found", notFound(cycle, v), v)));
        });
    }

    /** Retry; null when there is no such request. */
    public Uni<Outcome> retry(long id, Caller caller) {
        return load(id).chain(r -> {
            if (r == null) {
                return Uni.createFrom().nullItem();
            }
            if (!r.state.isProblem()) {
                return view(id).map(v -> new Outcome("not_retryable", "Only failed, timed-out or unmatched requests"
                        + " are retried; this one is " + r.state.label(), v));
            }
            return verification.verifyNow(id).chain(() -> load(id)).chain(now -> {
                if (now.state == RequestState.AVAILABLE) {
                    return view(id).map(v -> new Outcome("available", "Found playable in Jellyfin", v));
                }
                if (!now.state.isProblem()) {
                    return view(id).map(v -> new Outcome("retried", "The request moved on meanwhile", v));
                }
                // The request moves first; only a retry the rules applied asks Radarr/Sonarr (a retry that raced a
                // deletion must not start a download).
                return submitRetry(now, caller).chain(applied -> applied.outcome() != EventOutcome.APPLIED
                        ? view(id).map(v -> new Outcome("not_retryable", "Not retried: " + applied.reason(), v))
                        : search.searchAgain(now).chain(searched -> view(id).map(v -> new Outcome("retried",
                                "Retried from " + now.state.label() + (searched == null ? "" : "; " + searched), v))));
            });
        });
    }

    private Uni<PipelineResult> submitRetry(MediaRequest r, Caller caller) {
        String who = caller.username() == null ? "an admin" : caller.username();
        boolean searches = r.mediaType == app.statustracker.MediaType.MOVIE ? r.radarrId != null : r.sonarrId != null;
        // Public text (timeline, stream): who it was is in the event's payload, which only admins see.
        String details = "Retried from " + r.state.label() + " by an admin" + (!searches ? ""
                : r.mediaType == app.statustracker.MediaType.MOVIE ? "; Radarr searches again" : "; Sonarr searches again");
        DomainEvent event = new DomainEvent(SOURCE, "Retry", SOURCE + ":retry:" + r.id + ":" + UUID.randomUUID(),
                MediaKeys.ofRequest(r.id, r.mediaType), Target.retry(RequestState.APPROVED), MediaFacts.none(),
                "Retry", details);
        ObjectNode payload = json.createObjectNode().put("action", "retry").put("request_id", r.id).put("by", who)
                .put("from", r.state.value());
        return pipeline.submit(Submission.read(SOURCE, "application/json", payload.toString(),
                new Interpretation.Track(event))).invoke(result -> {
                    if (result.outcome() == EventOutcome.APPLIED) {
                        reconciler.reconcileSoon();
                    }
                });
    }

    private Uni<MediaRequest> load(long id) {
        return pipeline.execute(() -> requests.findById(id));
    }

    private Uni<RequestView> view(long id) {
        return pipeline.execute(() -> queries.detail(id, false)).map(d -> d == null ? null : d.request());
    }

    private static String notFound(JellyfinVerification.Cycle cycle, RequestView v) {
        if (cycle.problem() != null) {
            return "Jellyfin could not be asked: " + SecretMasker.maskText(cycle.problem());
        }
        if (v.stuckReason() != null && v.stuckReason().startsWith(JellyfinVerification.REASON)) {
            return v.stuckReason();
        }
        return "Jellyfin does not have it playable yet; the request stays " + v.state().label();
    }
}
