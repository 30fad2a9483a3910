package app.statustracker.service;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.MediaRequest;
import app.statustracker.RequestState;
import app.statustracker.config.TrackerConfig;
import app.statustracker.ingest.DomainEvent;
import app.statustracker.ingest.Interpretation;
import app.statustracker.ingest.MediaFacts;
import app.statustracker.ingest.MediaKeys;
import app.statustracker.ingest.Submission;
import app.statustracker.ingest.Target;
import app.statustracker.repository.MediaRequestRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Times out requests that have stayed too long in one active state (thresholds per state, {@code *_TIMEOUT}).
 * Each finding is an event like a webhook's (source {@code tracker}, type {@code Timeout}): stored, applied by the
 * transition rules (the request moves to {@code timeout}, remembering the stage), written to the timeline and
 * broadcast. Later evidence of that stage or a later one lifts the time-out. The check reads the requests inside
 * the pipeline's own turn ({@link EventPipeline#check}), so a request that moves on meanwhile is never timed out.
 */
@ApplicationScoped
public class TimeoutCheck {

    /** The source of the tracker's own findings in the event log and the timeline. */
    public static final String SOURCE = "tracker";
    private static final Logger LOG = Logger.getLogger(TimeoutCheck.class);

    private final EventPipeline pipeline;
    private final MediaRequestRepository requests;
    private final TrackerConfig.Timeouts config;
    private final ObjectMapper json;

    public TimeoutCheck(EventPipeline pipeline, MediaRequestRepository requests, TrackerConfig config,
            ObjectMapper json) {
        this.pipeline = pipeline;
        this.requests = requests;
        this.config = config.timeouts();
        this.json = json;
    }

    @Scheduled(every = "${tracker.timeouts.check-every}", delayed = "${tracker.timeouts.check-delay}",
            identity = "timeout-check", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        // A failed check was logged by the pipeline; the next one reads everything again.
        return run().replaceWithVoid().onFailure().recoverWithNull();
    }

    /** Runs the check once; returns what each time-out did. */
    public Uni<List<PipelineResult>> run() {
        Instant now = Instant.now();
        Map<RequestState, Instant> cutoffs = new EnumMap<>(RequestState.class);
        for (RequestState state : RequestState.values()) {
            int minutes = config.minutesIn(state);
            if (minutes > 0) {
                cutoffs.put(state, now.minus(Duration.ofMinutes(minutes)));
            }
        }
        return pipeline.check(effects -> requests.stuck(cutoffs)
                .map(stuck -> stuck.stream().map(r -> finding(r, now)).toList()))
                .invoke(results -> {
                    if (!results.isEmpty()) {
                        LOG.infof("timeout check: %d request(s) timed out", results.size());
                    }
                });
    }

    private Submission finding(MediaRequest r, Instant now) {
        long minutes = Duration.between(r.stateChangedAt, now).toMinutes();
        String details = "Stuck in " + r.state.value() + " for " + duration(minutes) + " (limit "
                + duration(config.minutesIn(r.state)) + ")";
        // One time-out per stay in a state: the same stay found again by a later check is a duplicate.
        String dedupeKey = SOURCE + ":timeout:" + r.id + ":" + r.state.value() + ":" + r.stateChangedAt.toEpochMilli();
        DomainEvent event = new DomainEvent(SOURCE, "Timeout", dedupeKey, MediaKeys.ofRequest(r.id, r.mediaType),
                Target.problem(RequestState.TIMEOUT), MediaFacts.none(), "Timeout", details);
        ObjectNode payload = json.createObjectNode().put("check", "timeout").put("request_id", r.id)
                .put("state", r.state.value()).put("state_changed_at", r.stateChangedAt.toString())
                .put("minutes", minutes).put("limit_minutes", config.minutesIn(r.state));
        return Submission.read(SOURCE, "application/json", payload.toString(), new Interpretation.Track(event));
    }

    /** "45 minutes", "3 hours", "2 days 4 hours": how the timeline and stuck_reason say it. */
    static String duration(long minutes) {
        if (minutes < 120) {
            return minutes + (minutes == 1 ? " minute" : " minutes");
        }
        long hours = minutes / 60;
        if (hours < 48) {
            return hours + " hours";
        }
        long days = hours / 24;
        long rest = hours % 24;
        return days + " days" + (rest == 0 ? "" : " " + rest + (rest == 1 ? " hour" : " hours"));
    }
}
