package app.statustracker.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import app.statustracker.InboundEvent;
import app.statustracker.config.TrackerConfig;
import app.statustracker.ingest.Submission;
import app.statustracker.service.EventApplier.Effects;
import app.statustracker.stream.UpdateBroadcaster;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The single path every input takes: webhooks, SignalR messages, poll results and scheduled checks are all
 * submitted here.
 *
 * <p>Submissions queue in arrival order and are applied by one writer, one transaction at a time, on a safe
 * duplicated Vert.x context (so Hibernate Reactive works for callers from any thread). When several are waiting,
 * up to {@code tracker.pipeline.batch-size} are applied in one transaction, still one after the other in arrival
 * order. Only after the commit are the callers answered and the SSE updates broadcast. If a batch fails, its
 * submissions are applied again one per transaction, so one bad event cannot take the others down; an event that
 * still fails is stored with outcome {@code error}. See docs/architecture.md.
 */
@ApplicationScoped
public class EventPipeline {

    private static final Logger LOG = Logger.getLogger(EventPipeline.class);

    private record Pending(Submission submission, Supplier<Uni<Object>> job,
            java.util.function.Function<Effects, Uni<List<Submission>>> check, UniEmitter<? super Object> emitter) {

        /** Jobs and checks run alone, in their turn. */
        boolean alone() {
            return job != null || check != null;
        }
    }

    private final EventApplier applier;
    private final UpdateBroadcaster broadcaster;
    private final FollowUps followUps;
    private final app.statustracker.repository.InboundEventRepository events;
    private final int batchSize;
    private final Context loop;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    // Only touched on the pipeline's event-loop thread.
    private boolean running;

    public EventPipeline(EventApplier applier, UpdateBroadcaster broadcaster, FollowUps followUps,
            app.statustracker.repository.InboundEventRepository events, TrackerConfig config, Vertx vertx) {
        this.applier = applier;
        this.events = events;
        this.broadcaster = broadcaster;
        this.followUps = followUps;
        this.batchSize = Math.max(1, config.pipeline().batchSize());
        this.loop = vertx.getOrCreateContext();
    }

    /**
     * Applies one input and tells what happened once it is committed. A caller on a Vert.x context (an HTTP request,
     * a SignalR callback moved onto one) gets the answer back on that context: the work that follows (writing the
     * HTTP response, its JSON) then runs on the caller's event loop instead of taking the writer's thread, which
     * every event waits for.
     */
    public Uni<PipelineResult> submit(Submission submission) {
        Context caller = Vertx.currentContext();
        Uni<PipelineResult> result = Uni.createFrom().emitter(em -> enqueue(new Pending(submission, null, null, em)))
                .map(PipelineResult.class::cast);
        return caller == null ? result : result.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /**
     * Runs other database work (maintenance, scheduled checks) in the same order as the events, in its own
     * transaction on the pipeline's safe context.
     */
    @SuppressWarnings("unchecked")
    public <T> Uni<T> execute(Supplier<Uni<T>> work) {
        Supplier<Uni<Object>> job = () -> (Uni<Object>) work.get();
        return Uni.createFrom().emitter(em -> enqueue(new Pending(null, job, null, em))).map(o -> (T) o);
    }

    /**
     * A scheduled check: {@code observe} reads what it needs inside the writer's transaction and returns the events
     * it found, which are then applied in the same transaction like webhooks (stored, deduplicated, correlated,
     * transitioned) and broadcast after the commit. Reading and applying in one turn of the writer means no other
     * event can change a request between what the check saw and what it applies. A measurement that is not an event
     * (download progress) may change requests in {@code observe} and add its SSE updates to the effects it is given.
     */
    @SuppressWarnings("unchecked")
    public Uni<List<PipelineResult>> check(java.util.function.Function<Effects, Uni<List<Submission>>> observe) {
        return Uni.createFrom().emitter(em -> enqueue(new Pending(null, null, observe, em)))
                .map(o -> (List<PipelineResult>) o);
    }

    /**
     * Submits what a scheduled check found that the event log does not hold yet (by dedupe key, read in the
     * writer's turn). A check that reads the same queue every minute thus stores each finding once, instead of a
     * {@code duplicate} row per finding per cycle. Many findings go in turns of at most one batch each, so that
     * webhooks arriving meanwhile wait for one batch, not for hundreds of findings (a catch-up after an outage).
     */
    public Uni<List<PipelineResult>> submitUnseen(List<Submission> findings) {
        List<PipelineResult> all = new ArrayList<>();
        Uni<Void> turns = Uni.createFrom().voidItem();
        for (int from = 0; from < findings.size(); from += batchSize) {
            List<Submission> chunk = findings.subList(from, Math.min(findings.size(), from + batchSize));
            turns = turns.chain(() -> check(effects -> events.storedDedupeKeys(chunk.stream()
                    .map(Submission::dedupeKey).collect(java.util.stream.Collectors.toSet()))
                    .map(stored -> {
                        java.util.Set<String> seen = new java.util.HashSet<>(stored);
                        // Also drops repeats within the chunk (one history record per episode of a pack).
                        return chunk.stream().filter(f -> seen.add(f.dedupeKey())).toList();
                    })).invoke(all::addAll).replaceWithVoid());
        }
        return turns.map(ignored -> all);
    }

    private void enqueue(Pending pending) {
        queue.add(pending);
        loop.runOnContext(ignored -> drain());
    }

    private void drain() {
        if (running || queue.isEmpty()) {
            return;
        }
        running = true;
        // Single consumer: only this event-loop thread takes from the queue, so peek-then-poll is safe.
        List<Pending> batch = new ArrayList<>();
        Pending head;
        while (batch.size() < batchSize && (head = queue.peek()) != null) {
            if (head.alone() && !batch.isEmpty()) {
                break; // a job or check runs alone, in its turn
            }
            batch.add(queue.poll());
            if (head.alone()) {
                break;
            }
        }
        long started = System.nanoTime();
        onSafeContext(() -> run(batch)).subscribe().with(done -> {
            if (LOG.isDebugEnabled()) {
                LOG.debugf("batch of %d took %d ms (%d waiting)", batch.size(),
                        (System.nanoTime() - started) / 1_000_000, queue.size());
            }
            finishBatch();
        }, failure -> {
            // Only reached if the recovery itself broke; callers get an answer either way (an emitter ignores
            // every signal after its first).
            LOG.errorf(failure, "a batch of %d could not be processed", batch.size());
            batch.forEach(p -> p.emitter().fail(new PipelineUnavailableException(failure)));
            finishBatch();
        });
    }

    private void finishBatch() {
        loop.runOnContext(ignored -> {
            running = false;
            drain();
        });
    }

    private Uni<Void> run(List<Pending> batch) {
        if (batch.size() == 1 && batch.get(0).job() != null) {
            Pending job = batch.get(0);
            Context writer = Vertx.currentContext();
            // A job may wait for something that completes on another thread (a timer, a client): its transaction
            // must still end on this context, where its session lives.
            return Panache.withTransaction(() -> job.job().get().emitOn(task -> writer.runOnContext(v -> task.run())))
                    .invoke(job.emitter()::complete)
                    .onFailure().invoke(job.emitter()::fail)
                    .onFailure().recoverWithNull().replaceWithVoid();
        }
        if (batch.size() == 1 && batch.get(0).check() != null) {
            return runCheck(batch.get(0));
        }
        Effects effects = new Effects();
        List<InboundEvent> results = new ArrayList<>(batch.size());
        return Panache.withTransaction(() -> applyInOrder(batch.stream().map(Pending::submission).toList(), effects,
                results))
                .onItemOrFailure().transformToUni((committed, failure) -> {
                    if (failure != null) {
                        return batch.size() == 1 ? applyAlone(batch.get(0), failure) : applyEachAlone(batch, failure);
                    }
                    // Committed: nothing below may send the batch back through the failure path.
                    answerAndBroadcast(batch, results, effects);
                    return Uni.createFrom().voidItem();
                });
    }

    private void answerAndBroadcast(List<Pending> batch, List<InboundEvent> rows, Effects effects) {
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).emitter().complete(EventApplier.resultOf(rows.get(i)));
        }
        broadcast(effects);
    }

    private void broadcast(Effects effects) {
        try {
            broadcaster.publish(effects.updates());
        } catch (RuntimeException e) {
            LOG.errorf(e, "broadcasting %d committed updates failed; dashboards resume from the database",
                    effects.updates().size());
        }
        if (!effects.followUps().isEmpty()) {
            followUps.start(effects.followUps());
        }
    }

    /**
     * A check whose reads fail is rolled back and reported to its caller, which runs it again at its next turn. If
     * its findings fail together, they are applied again one per transaction, like a failed batch: one bad finding
     * cannot hold the others back at every cycle, and it is itself stored with outcome {@code error}. Measurements
     * made while observing are lost then; the next cycle makes them again.
     */
    private Uni<Void> runCheck(Pending check) {
        Effects effects = new Effects();
        List<InboundEvent> rows = new ArrayList<>();
        List<Submission> observed = new ArrayList<>();
        Context writer = Vertx.currentContext();
        return Panache.withTransaction(() -> check.check().apply(effects)
                .emitOn(task -> writer.runOnContext(v -> task.run())) // its reads may end on another thread
                .invoke(observed::addAll)
                .chain(found -> applyInOrder(found, effects, rows)))
                .onItemOrFailure().transformToUni((committed, failure) -> {
                    if (failure == null) {
                        check.emitter().complete(rows.stream().map(EventApplier::resultOf).toList());
                        broadcast(effects);
                        return Uni.createFrom().voidItem();
                    }
                    if (observed.isEmpty()) {
                        LOG.warnf("a scheduled check failed (%s); it runs again at its next turn",
                                SecretMasker.describe(failure));
                        check.emitter().fail(failure);
                        return Uni.createFrom().voidItem();
                    }
                    LOG.warnf("the %d findings of a scheduled check failed together (%s); applying them one by one",
                            observed.size(), failure.getClass().getSimpleName());
                    List<PipelineResult> results = new ArrayList<>();
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Submission finding : observed) {
                        chain = chain.chain(() -> Uni.createFrom().<Object>emitter(em -> run(List.of(new Pending(finding,
                                null, null, em))).subscribe().with(done -> { }, em::fail))
                                .invoke(result -> results.add((PipelineResult) result)).replaceWithVoid());
                    }
                    return chain.invoke(() -> check.emitter().complete(results))
                            .onFailure().invoke(check.emitter()::fail).onFailure().recoverWithNull();
                });
    }

    private Uni<Void> applyInOrder(List<Submission> batch, Effects effects, List<InboundEvent> results) {
        Uni<Void> chain = applier.knowStoredKeys(batch, effects);
        for (Submission submission : batch) {
            chain = chain.chain(() -> applier.apply(submission, effects).invoke(results::add)
                    // Write this event's changes to requests and episodes (the next event's look-ups must see them)
                    // and forget its entities: otherwise every later query in the batch re-checks all of them for
                    // changes, and a batch costs quadratic time.
                    .call(EventPipeline::flushAndClear)
                    .replaceWithVoid());
        }
        // The batch's event rows, timeline lines and SSE updates: a few batched INSERTs, then the commit.
        return chain.chain(() -> applier.writeCollected(effects)).call(EventPipeline::flushAndClear);
    }

    private static Uni<Void> flushAndClear() {
        return Panache.getSession().chain(session -> session.flush().invoke(session::clear));
    }

    private Uni<Void> applyEachAlone(List<Pending> batch, Throwable batchFailure) {
        LOG.warnf("a batch of %d events failed (%s); applying them one by one", batch.size(),
                batchFailure.getClass().getSimpleName());
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Pending p : batch) {
            chain = chain.chain(() -> run(List.of(p)));
        }
        return chain;
    }

    private Uni<Void> applyAlone(Pending p, Throwable failure) {
        LOG.errorf(failure, "event from %s (%s) could not be applied; storing it with outcome error",
                p.submission().source(), p.submission().eventType());
        return Panache.withTransaction(() -> applier.storeFailure(p.submission(), failure))
                .invoke(p.emitter()::complete)
                .onFailure().invoke(storeFailure -> {
                    LOG.errorf("event from %s could not even be stored: %s", p.submission().source(),
                            SecretMasker.describe(storeFailure));
                    p.emitter().fail(new PipelineUnavailableException(storeFailure));
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Hibernate Reactive needs a safe duplicated context; a fresh one per batch keeps sessions apart. */
    private <T> Uni<T> onSafeContext(Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(loop);
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom().emitter(em -> context.runOnContext(ignored -> {
            try {
                work.get().subscribe().with(em::complete, em::fail);
            } catch (RuntimeException e) {
                em.fail(e); // a throw before the Uni exists must not leave the pipeline waiting forever
            }
        }));
    }

    /** The database could not store the event at all. */
    public static class PipelineUnavailableException extends RuntimeException {
        public PipelineUnavailableException(Throwable cause) {
            super("the event could not be stored: the database is unavailable", cause);
        }
    }
}
