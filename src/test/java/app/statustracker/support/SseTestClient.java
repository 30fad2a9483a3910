package app.statustracker.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw SSE reader: frames are parsed exactly as a browser would. It reads the body from a blocking stream on its
 * own thread, so no byte can arrive before someone listens (the Vert.x client's future-based API can deliver the
 * first chunk before an {@code onSuccess} handler is attached, which lost the {@code connected} frame now and then).
 */
public final class SseTestClient implements AutoCloseable {

    /** One event; {@code comment} frames (heartbeats) have only a comment. */
    public record Frame(Long id, String event, String data, String comment) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final StringBuilder buffer = new StringBuilder();
    private final HttpResponse<InputStream> response;
    private final Thread reader;
    private volatile boolean ended;

    private SseTestClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static SseTestClient connect(URL base, Long lastEventId) {
        return connect(base, "/api/sse", lastEventId);
    }

    /** Opens {@code path} (with its query, if any), sending {@code Last-Event-ID} when it is not null. */
    public static SseTestClient connect(URL base, String path, Long lastEventId) {
        return connect(base, path, lastEventId, java.util.Map.of());
    }

    /** As {@link #connect(URL, String, Long)}, with extra request headers (a session cookie, a token). */
    public static SseTestClient connect(URL base, String path, Long lastEventId, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(base, path))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(request::header);
        if (lastEventId != null) {
            request.header("Last-Event-ID", String.valueOf(lastEventId));
        }
        try {
            return new SseTestClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new AssertionError("could not open the SSE stream", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static java.net.URI uri(URL base, String path) {
        return java.net.URI.create("http://" + base.getHost() + ":" + base.getPort() + path);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            char[] chunk = new char[8192];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                feed(new String(chunk, 0, n));
            }
        } catch (IOException e) {
            // closed by us or by the server: either way the stream has ended
        } finally {
            ended = true;
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse(null);
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
        try {
            response.body().close();
        } catch (IOException e) {
            // already gone
        }
        reader.interrupt();
    }
}
