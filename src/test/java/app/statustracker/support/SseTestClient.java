package app.statustracker.support;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** A raw SSE reader over the Vert.x HTTP client: frames are parsed exactly as a browser would. */
public final class SseTestClient implements AutoCloseable {

    /** One event; {@code comment} frames (heartbeats) have only a comment. */
    public record Frame(Long id, String event, String data, String comment) {
    }

    private final HttpClient http;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final StringBuilder buffer = new StringBuilder();
    private volatile HttpClientResponse response;
    private volatile boolean ended;

    private SseTestClient(Vertx vertx) {
        this.http = vertx.createHttpClient();
    }

    public static SseTestClient connect(Vertx vertx, URL base, Long lastEventId) {
        SseTestClient c = new SseTestClient(vertx);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(base.getHost())
                .setPort(base.getPort()).setURI("/api/sse").putHeader("Accept", "text/event-stream");
        if (lastEventId != null) {
            options.putHeader("Last-Event-ID", String.valueOf(lastEventId));
        }
        // Handlers are set on the event loop as the response arrives: set later, early data would be lost.
        c.response = c.http.request(options).compose(req -> req.send()).onSuccess(resp -> {
            resp.handler(buf -> c.feed(buf.toString()));
            resp.endHandler(v -> c.ended = true);
            resp.exceptionHandler(e -> c.ended = true);
        }).toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        return c;
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.getHeader("Content-Type");
    }

    private synchronized void feed(String text) {
        buffer.append(text.replace("\r\n", "\n"));
        int end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
            String block = buffer.substring(0, end);
            buffer.delete(0, end + 2);
            Long id = null;
            String event = null;
            String comment = null;
            StringBuilder data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith(":")) {
                    comment = line.substring(1).trim();
                } else if (line.startsWith("id:")) {
                    id = Long.valueOf(line.substring(3).trim());
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).trim());
                }
            }
            if (event != null || data != null || comment != null) {
                frames.add(new Frame(id, event, data == null ? null : data.toString(), comment));
            }
        }
    }

    /** The next event frame (heartbeat comments are skipped), or fails after the timeout. */
    public Frame nextEvent(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Frame f = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (f == null) {
                    throw new AssertionError("no SSE event within " + timeout);
                }
                if (f.event() != null) {
                    return f;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame of any kind, heartbeat comments included. */
    public Frame nextFrame(Duration timeout) {
        try {
            Frame f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                throw new AssertionError("no SSE frame within " + timeout);
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Event frames received so far and not yet taken. */
    public List<Frame> drainEvents() {
        List<Frame> all = new ArrayList<>();
        frames.drainTo(all);
        return all.stream().filter(f -> f.event() != null).toList();
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        http.close();
    }
}
