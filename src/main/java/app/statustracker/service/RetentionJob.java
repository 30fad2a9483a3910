package app.statustracker.service;

import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

import app.statustracker.config.TrackerConfig;
import app.statustracker.repository.InboundEventRepository;
import app.statustracker.repository.StreamEventRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Deletes raw inbound events older than the retention period and SSE history beyond the kept count. Runs through
 * the pipeline, so it never races an event being applied and always has a safe context for Hibernate Reactive.
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    private final EventPipeline pipeline;
    private final InboundEventRepository inbound;
    private final StreamEventRepository stream;
    private final TrackerConfig config;

    public RetentionJob(EventPipeline pipeline, InboundEventRepository inbound, StreamEventRepository stream,
            TrackerConfig config) {
        this.pipeline = pipeline;
        this.inbound = inbound;
        this.stream = stream;
        this.config = config;
    }

    @Scheduled(every = "${tracker.retention.prune-every}", delayed = "${tracker.retention.prune-delay}", identity = "retention",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return prune().replaceWithVoid();
    }

    /** Returns how many rows were deleted. */
    public Uni<Long> prune() {
        Instant cutoff = Instant.now().minus(Duration.ofDays(config.retention().eventDays()));
        return pipeline.execute(() -> inbound.deleteReceivedBefore(cutoff)
                .chain(events -> stream.pruneKeepingNewest(config.retention().streamEvents()).map(s -> events + s)))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("retention: deleted %d old events", n);
                    }
                });
    }
}
