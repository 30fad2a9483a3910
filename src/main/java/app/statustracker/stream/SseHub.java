package app.statustracker.stream;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import app.statustracker.StreamEvent;
import app.statustracker.auth.JellyfinSessions;
import app.statustracker.auth.SessionCookie;
import app.statustracker.auth.SessionEnded;
import app.statustracker.config.TrackerConfig;
import app.statustracker.repository.StreamEventRepository;
import app.statustracker.repository.StreamEventRepository.Stored;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET /api/sse}: Server-Sent Events for the dashboard.
 *
 * <p>Every update carries the id of its persisted {@code stream_event} row. A client that reconnects with
 * {@code Last-Event-ID} first gets what it missed from the database, then live updates; live updates that arrive
 * while it catches up wait in its queue and are sent once, in order (ids decide). A client whose queue grows past
 * {@code tracker.stream.client-buffer} (it does not read) is disconnected, so it never holds the others up; its
 * browser reconnects and resumes from the database. All state of one client is touched only on its connection's
 * event loop.
 */
@ApplicationScoped
public class SseHub implements UpdateBroadcaster {

    private static final Logger LOG = Logger.getLogger(SseHub.class);
    private static final int REPLAY_PAGE = 500;

    private final StreamEventRepository stream;
    private final Vertx vertx;
    private final int clientBuffer;
    private final long heartbeatMillis;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private long heartbeatTimer = -1;

    public SseHub(StreamEventRepository stream, Vertx vertx, TrackerConfig config) {
        this.stream = stream;
        this.vertx = vertx;
        this.clientBuffer = Math.max(1, config.stream().clientBuffer());
        this.heartbeatMillis = Math.max(1, config.stream().heartbeatSeconds()) * 1000L;
    }

    void routes(@Observes Router router) {
        router.get("/api/sse").handler(this::connect);
        heartbeatTimer = vertx.setPeriodic(heartbeatMillis, id -> heartbeat());
    }

    void stop(@Observes ShutdownEvent event) {
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        disconnectAll();
    }

    /**
     * Closes every open connection, as a restart does; browsers reconnect by themselves and resume with
     * {@code Last-Event-ID}. The dashboard tests use it to prove that.
     */
    public void disconnectAll() {
        clients.forEach(c -> c.context.runOnContext(v -> c.close()));
    }

    /**
     * A logout closes the streams opened with that session: in login-required mode a stream is only as good as the
     * login it was opened with. The browser's reconnection then meets the login check like any other request.
     */
    void sessionEnded(@Observes SessionEnded ended) {
        clients.stream().filter(c -> ended.tokenDigest().equals(c.session))
                .forEach(c -> c.context.runOnContext(v -> c.close()));
    }

    /** The digest of the session token the stream was opened with (header, else cookie); null without one. */
    private static String sessionOf(io.vertx.core.http.HttpServerRequest request) {
        String token = SessionCookie.headerToken(request) != null ? SessionCookie.headerToken(request)
                : SessionCookie.token(request);
        return token == null || token.isBlank() ? null : JellyfinSessions.digest(token);
    }

    /** Dashboard connections currently open. */
    public int clientCount() {
        return clients.size();
    }

    @Override
    public void publish(List<StreamEvent> committed) {
        if (committed.isEmpty() || clients.isEmpty()) {
            return;
        }
        // Each frame is rendered and encoded once and the same bytes go to every client (Vert.x writes a slice
        // view of a Buffer, so sharing it is safe); with hundreds of dashboards this is most of the fan-out cost.
        List<Frame> frames = committed.stream().map(e -> Frame.of(e.id, "update", e.payload)).toList();
        for (Client c : clients) {
            c.context.runOnContext(v -> c.offer(frames));
        }
    }

    private void connect(RoutingContext rc) {
        HttpServerResponse response = rc.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
        Client client = new Client(response, rc.request().connection(), Vertx.currentContext(),
                sessionOf(rc.request()));
        clients.add(client);
        response.closeHandler(v -> client.close());
        response.exceptionHandler(e -> client.close());
        response.drainHandler(v -> client.flush());
        if (response.closed()) {
            client.close(); // gone before the handlers were in place
            return;
        }
        response.write(Buffer.buffer("retry: 3000\n\n"));
        // A browser's own reconnection sends the header; a page that had to open a new EventSource (the browser gave
        // up, e.g. on a proxy's 502 during a restart) cannot set headers and names its position in the query.
        String resumeFrom = rc.request().getHeader("Last-Event-ID");
        Long lastEventId = parseId(resumeFrom != null ? resumeFrom : rc.request().getParam("last_event_id"));
        // Every write to this client happens on its connection's context, in program order: the database's answer
        // may come back on another thread, and "connected" must never be overtaken by a replayed update.
        java.util.concurrent.Executor onClient = task -> client.context.runOnContext(v -> task.run());
        stream.bounds().emitOn(onClient).chain(bounds -> {
            if (lastEventId == null) {
                client.send(bounds.head(), "connected", "{\"status\":\"connected\"}");
                return Uni.createFrom().voidItem();
            }
            boolean missedPruned = lastEventId < bounds.prunedThrough();
            boolean unknown = lastEventId < 0 || lastEventId > bounds.issued();
            if (missedPruned || unknown) {
                client.send(bounds.head(), "reset", "{\"reason\":\"" + (unknown
                        ? "this stream does not know that event id; reload"
                        : "updates since that event are no longer kept; reload") + "\"}");
                return Uni.createFrom().voidItem();
            }
            client.send(lastEventId, "connected", "{\"status\":\"connected\",\"resumed_after\":" + lastEventId + "}");
            return replay(client, lastEventId).chain(() -> stream.bounds().emitOn(onClient)).invoke(after -> {
                if (lastEventId < after.prunedThrough()) {
                    // Retention ran while this client was catching up: part of what it missed may be gone.
                    client.send(after.head(), "reset",
                            "{\"reason\":\"updates since that event are no longer kept; reload\"}");
                }
            }).replaceWithVoid();
        }).subscribe().with(
                done -> client.context.runOnContext(v -> client.goLive()),
                failure -> {
                    LOG.warnf("SSE client could not be started: %s",
                            app.statustracker.service.SecretMasker.describe(failure));
                    client.context.runOnContext(v -> client.close());
                });
    }

    private Uni<Void> replay(Client client, long after) {
        return stream.after(after, REPLAY_PAGE).chain(page -> {
            if (page.isEmpty() || client.closed) {
                return Uni.createFrom().voidItem();
            }
            Uni<Void> sent = Uni.createFrom().emitter(em -> client.context.runOnContext(v -> {
                page.forEach(client::sendReplayed);
                em.complete(null);
            }));
            return page.size() < REPLAY_PAGE ? sent : sent.chain(() -> replay(client, page.get(page.size() - 1).id()));
        });
    }

    private void heartbeat() {
        for (Client c : clients) {
            c.context.runOnContext(v -> c.heartbeat());
        }
    }

    private static Long parseId(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1L; // unreadable: treated as unknown, the client gets a reset
        }
    }

    /** One SSE event, ready to write. */
    private record Frame(long id, Buffer bytes) {
        static Frame of(long id, String event, String data) {
            return new Frame(id, Buffer.buffer("id: " + id + "\nevent: " + event + "\ndata: " + data + "\n\n"));
        }
    }

    private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");

    /** One open connection. Touched only on {@link #context}. */
    private final class Client {
        final HttpServerResponse response;
        final HttpConnection connection;
        final Context context;
        final ArrayDeque<Frame> queue = new ArrayDeque<>();
        long lastSentId;
        boolean live;
        boolean closed;

        /** The digest of the session token it was opened with; null when none. */
        final String session;

        Client(HttpServerResponse response, HttpConnection connection, Context context, String session) {
            this.session = session;
            this.response = response;
            this.connection = connection;
            this.context = context;
        }

        void send(long id, String event, String data) {
            send(Frame.of(id, event, data));
        }

        void send(Frame frame) {
            lastSentId = Math.max(lastSentId, frame.id());
            write(frame.bytes());
        }

        void sendReplayed(Stored e) {
            if (e.id() > lastSentId) {
                send(e.id(), "update", e.payload()); // the kind of update is inside the data, as when live
            }
        }

        void goLive() {
            live = true;
            flush();
        }

        void offer(List<Frame> events) {
            if (closed) {
                return;
            }
            queue.addAll(events);
            if (queue.size() > clientBuffer) {
                LOG.debugf("SSE client too slow (%d updates waiting); disconnecting it, it will resume", queue.size());
                close();
                return;
            }
            if (live) {
                flush();
            }
        }

        void flush() {
            while (live && !closed && !queue.isEmpty() && !response.writeQueueFull()) {
                Frame f = queue.poll();
                if (f.id() > lastSentId) {
                    send(f);
                }
            }
        }

        void heartbeat() {
            if (live && !closed && queue.isEmpty() && !response.writeQueueFull()) {
                write(HEARTBEAT);
            }
        }

        private void write(Buffer bytes) {
            if (!closed) {
                response.write(bytes);
            }
        }

        void close() {
            if (!closed) {
                closed = true;
                clients.remove(this);
                queue.clear();
                if (!response.closed()) {
                    response.end();
                    connection.close(); // release it even if the peer stopped reading
                }
            }
        }

    }
}
