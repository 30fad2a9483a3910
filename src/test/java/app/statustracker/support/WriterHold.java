package app.statustracker.support;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import app.statustracker.service.EventPipeline;
import io.smallrye.mutiny.Uni;

/**
 * Keeps the pipeline's single writer busy with a job until released, so that what a test queues meanwhile is applied
 * in the order queued, in one turn. It is released from the test's (non-Vert.x) thread on purpose: the pipeline must
 * still end the job's transaction on its own context.
 */
public final class WriterHold {

    private final CompletableFuture<Void> release = new CompletableFuture<>();
    private final CompletableFuture<Boolean> held;

    private WriterHold(EventPipeline pipeline) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        held = pipeline.execute(() -> {
            running.countDown();
            return Uni.createFrom().completionStage(release).replaceWith(Boolean.TRUE);
        }).subscribeAsCompletionStage();
        if (!running.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the pipeline did not start the holding job within 10 s");
        }
    }

    /** Returns once the writer is held. */
    public static WriterHold on(EventPipeline pipeline) throws InterruptedException {
        return new WriterHold(pipeline);
    }

    /** Lets the writer go on; returns once the holding job has ended. */
    public void release() throws Exception {
        release.complete(null);
        if (!Boolean.TRUE.equals(held.get(10, TimeUnit.SECONDS))) {
            throw new IllegalStateException("the holding job did not end well");
        }
    }
}
