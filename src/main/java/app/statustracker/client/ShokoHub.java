package app.statustracker.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.microsoft.signalr.HttpRequestException;
import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.TransportEnum;

import app.statustracker.config.TrackerConfig;
import app.statustracker.service.SecretMasker;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.reactivex.rxjava3.core.Single;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

/**
 * The connection to Shoko Server's SignalR hub ({@code /signalr/aggregate?feeds=shoko,file}, protocols.md §5, §6),
 * opened at start-up when {@code ENABLE_SHOKO} and {@code SHOKO_API_KEY} are set, and kept open: the SignalR client
 * does not reconnect by itself, so every close or failed start schedules a new attempt after
 * {@code SHOKO_RECONNECT_INTERVALS[min(errors, last)]} seconds (errors since the last successful connect, its loss
 * included, so a lost connection is retried at once, as the prototype did). A refused API key (401/403, Shoko 6 or a proxy) is retried at the last interval
 * only, and said once.
 *
 * <p>Threads: attempts are scheduled with a Vert.x timer and opened on a worker thread (building the client is not
 * for an event loop); the client's own threads (OkHttp, RxJava) then call back. Every message and every
 * {@link ShokoListener#onConnected} goes through one delivery thread, in order (see {@link ShokoListener}).
 * Log lines are one per state change, never per attempt, and never carry the key.
 */
@ApplicationScoped
// Native image: the client writes its handshake and reads the answer with gson reflection (the rest of the protocol
// is ShokoHubProtocol's Jackson code), so those classes need their fields registered.
@RegisterForReflection(classNames = { "com.microsoft.signalr.HandshakeRequestMessage",
        "com.microsoft.signalr.HandshakeResponseMessage", "com.microsoft.signalr.InvocationMessage",
        "com.microsoft.signalr.CompletionMessage", "com.microsoft.signalr.HubMessage" })
public class ShokoHub {

    private static final Logger LOG = Logger.getLogger(ShokoHub.class);

    /** The hub route and the feeds asked for; Shoko reads {@code feeds} from the connection URL itself. */
    static final String PATH = "/signalr/aggregate?feeds=shoko,file";
    /** Send a ping after this long without sending (Shoko drops a client silent for 60 s). */
    static final long KEEP_ALIVE_MILLIS = 15_000;
    /** Shoko pings every 15 s: nothing for twice that means the connection is dead. */
    static final long SERVER_TIMEOUT_MILLIS = 30_000;
    static final long HANDSHAKE_TIMEOUT_MILLIS = 15_000;

    /** Shoko 5.x, feed {@code shoko} (protocols.md §5.2). */
    public static final List<String> SHOKO5_TARGETS = List.of("ShokoEvent:OnConnected", "ShokoEvent:FileDetected",
            "ShokoEvent:FileHashed", "ShokoEvent:FileMatched", "ShokoEvent:FileNotMatched", "ShokoEvent:FileRenamed",
            "ShokoEvent:FileMoved", "ShokoEvent:FileDeleted", "ShokoEvent:SeriesUpdated", "ShokoEvent:EpisodeUpdated",
            "ShokoEvent:MovieUpdated");
    /** Shoko 6 names (protocols.md §5.5), for a server that already speaks them. */
    public static final List<String> SHOKO6_TARGETS = List.of("file:connected", "file:detected", "file:hashed",
            "file:matched", "file:relocated", "file:deleted", "release:saved", "metadata:series.added",
            "metadata:series.updated", "metadata:episode.added", "metadata:episode.updated", "metadata:movie.added",
            "metadata:movie.updated", "shoko:connected");
    /** Every target handed to the listeners; messages for others are dropped. */
    public static final List<String> TARGETS;

    static {
        List<String> all = new ArrayList<>(SHOKO5_TARGETS);
        all.addAll(SHOKO6_TARGETS);
        TARGETS = List.copyOf(all);
    }

    private static final Pattern REFUSED = Pattern.compile("\\b(401|403)\\b");

    /** What /api/health shows. */
    public enum State {
        DISABLED, NOT_CONFIGURED, CONNECTING, CONNECTED, RECONNECTING, AUTH_FAILED;

        /** As shown in the API: lower case. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param state     where the connection is
     * @param since     when it got there; null while disabled or not configured
     * @param lastError why the last attempt failed or the connection was lost (masked); null while connected
     * @param attempts  failed attempts since the last successful connect
     */
    public record Status(State state, Instant since, String lastError, int attempts) {
    }

    /** One try to connect, from start to close. */
    private static final class Attempt {
        final HubConnection hub;
        final AtomicBoolean over = new AtomicBoolean();
        volatile boolean connected;

        Attempt(HubConnection hub) {
            this.hub = hub;
        }
    }

    private final TrackerConfig.ShokoConfig config;
    private final Instance<ShokoListener> listenerBeans;
    private final Vertx vertx;
    private final Set<String> ignoredTargets = ConcurrentHashMap.newKeySet();
    /** Resolved once at start-up, so that dependent listener beans are not created anew for every message. */
    private volatile List<ShokoListener> listeners = List.of();
    /** One thread, so listeners see messages one at a time and in the hub's order. */
    private volatile ExecutorService delivery;

    // Guarded by this.
    private Status status;
    private Attempt current;
    private boolean stopped;
    private boolean everConnected;
    /** Errors since the last successful connect, the loss of that connection included: the backoff's index. */
    private int errors;
    /** Failed attempts since the last successful connect (what health shows). */
    private int failures;
    private long timer = -1;

    public ShokoHub(TrackerConfig config, Instance<ShokoListener> listeners, Vertx vertx) {
        this.config = config.shoko();
        this.listenerBeans = listeners;
        this.vertx = vertx;
        this.status = new Status(!this.config.enabled() ? State.DISABLED
                : !this.config.configured() ? State.NOT_CONFIGURED : State.CONNECTING, null, null, 0);
    }

    void start(@Observes StartupEvent event) {
        if (!config.configured()) {
            LOG.infof("Shoko hub: %s", config.enabled() ? "not configured (set SHOKO_API_KEY)" : "disabled (ENABLE_SHOKO)");
            return;
        }
        listeners = listenerBeans.stream().toList();
        delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "shoko-hub-listeners");
            t.setDaemon(true);
            return t;
        });
        if (key().chars().anyMatch(Character::isISOControl)) {
            // OkHttp would refuse the header and quote the key in its error; no attempt can succeed before a restart
            // (the same rule as the upstream check's).
            String problem = "the API key contains a line break or another control character; check SHOKO_API_KEY";
            synchronized (this) {
                status = new Status(State.AUTH_FAILED, Instant.now(), problem, 0);
            }
            LOG.warnf("Shoko hub: %s; not connecting", problem);
            return;
        }
        synchronized (this) {
            status = new Status(State.CONNECTING, Instant.now(), null, 0);
        }
        LOG.infof("Shoko hub: connecting to %s (feeds shoko,file; %d listener(s))", address(), listeners.size());
        schedule(0);
    }

    void stop(@Observes ShutdownEvent event) {
        Attempt last;
        synchronized (this) {
            stopped = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            last = current;
            current = null;
        }
        if (last != null && last.hub != null) {
            try {
                // Shutdown runs on the main thread, not an event loop: a short wait lets the close reach Shoko.
                last.hub.stop().blockingAwait(3, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                LOG.debugf("Shoko hub: stop: %s", describe(e));
            }
        }
        ExecutorService d = delivery;
        if (d != null) {
            d.shutdown();
        }
    }

    /** For /api/health. */
    public synchronized Status status() {
        return status;
    }

    private synchronized void schedule(long delayMillis) {
        if (stopped) {
            return;
        }
        timer = vertx.setTimer(Math.max(1, delayMillis), id -> {
            synchronized (this) {
                timer = -1;
            }
            // The timer fires on an event loop; building the client (OkHttp, TLS) belongs on a worker.
            vertx.executeBlocking(() -> {
                open();
                return null;
            }, false).onFailure(e -> LOG.errorf("Shoko hub: could not start a connection: %s", describe(e)));
        });
    }

    /** Starts one attempt; its outcome arrives on the client's threads. Never blocks on the network. */
    private void open() {
        HubConnection hub;
        try {
            hub = build();
        } catch (RuntimeException e) {
            // A malformed host or port: nothing will change without a restart, but keep to the same rhythm.
            Attempt failed = new Attempt(null);
            synchronized (this) {
                current = failed;
            }
            ended(failed, e);
            return;
        }
        Attempt attempt = new Attempt(hub);
        synchronized (this) {
            if (stopped) {
                return;
            }
            current = attempt;
        }
        for (String target : TARGETS) {
            hub.on(target, (String json) -> deliver(l -> l.onMessage(target, json), target), String.class);
        }
        hub.onClosed(error -> ended(attempt, error));
        hub.start().subscribe(() -> started(attempt), error -> ended(attempt, error));
    }

    private HubConnection build() {
        String key = key();
        return HubConnectionBuilder.create(url())
                // Shoko 5 reads the apikey header; Shoko 6 also takes a bearer token (sent as Authorization).
                .withAccessTokenProvider(Single.just(key))
                .withHeader("apikey", key)
                .withTransport(TransportEnum.WEBSOCKETS)
                .withHubProtocol(new ShokoHubProtocol(Set.copyOf(TARGETS), ignoredTargets))
                .withHandshakeResponseTimeout(HANDSHAKE_TIMEOUT_MILLIS)
                .withKeepAliveInterval(KEEP_ALIVE_MILLIS)
                .withServerTimeout(SERVER_TIMEOUT_MILLIS)
                .build();
    }

    private void started(Attempt attempt) {
        boolean afterReconnect;
        int failed;
        synchronized (this) {
            if (stopped || attempt != current || attempt.over.get()) {
                attempt.hub.stop().subscribe(() -> {
                }, e -> {
                }); // a start that finished after shutdown or after it was given up
                return;
            }
            attempt.connected = true;
            afterReconnect = everConnected;
            everConnected = true;
            failed = failures;
            failures = 0;
            errors = 0;
            status = new Status(State.CONNECTED, Instant.now(), null, 0);
        }
        LOG.infof("Shoko hub: connected to %s%s", address(),
                failed > 0 ? " (after " + failed + " failed attempt(s))" : afterReconnect ? " again" : "");
        deliver(l -> l.onConnected(afterReconnect), "onConnected");
    }

    /** A failed start or a closed connection (both may report the same attempt: only the first counts). */
    private void ended(Attempt attempt, Throwable error) {
        if (!attempt.over.compareAndSet(false, true)) {
            return;
        }
        long delay;
        String line = null;
        synchronized (this) {
            if (stopped || attempt != current) {
                return;
            }
            List<Integer> intervals = config.reconnectIntervals();
            int last = intervals.isEmpty() ? 0 : intervals.get(intervals.size() - 1);
            boolean refused = refused(error);
            State was = status.state();
            String problem = refused
                    ? "the API key was refused; check SHOKO_API_KEY (" + describe(error) + ")"
                    : error == null ? "the connection was closed" : describe(error);
            if (refused) {
                delay = last * 1000L; // no backoff climb: a wrong key stays wrong until someone changes it
            } else if (intervals.isEmpty()) {
                delay = 0;
            } else {
                delay = intervals.get(Math.min(errors, intervals.size() - 1)) * 1000L;
            }
            errors++;
            if (!attempt.connected) {
                failures++;
                delay = Math.max(delay, 1000); // even with intervals of 0: never a tight loop against a dead host
            }
            State next = refused ? State.AUTH_FAILED : State.RECONNECTING;
            status = new Status(next, next == was ? status.since() : Instant.now(), problem, failures);
            if (next != was) {
                line = switch (next) {
                    case AUTH_FAILED -> String.format("Shoko hub at %s: %s; retrying every %d s", address(), problem,
                            last);
                    default -> was == State.CONNECTED
                            ? String.format("Shoko hub: connection to %s lost (%s); reconnecting", address(), problem)
                            : String.format("Shoko hub: cannot connect to %s (%s); retrying with backoff", address(),
                                    problem);
                };
            }
        }
        if (line != null) {
            LOG.warn(line);
        } else {
            LOG.debugf("Shoko hub: attempt failed (%s); next in %d ms", status().lastError(), delay);
        }
        schedule(delay);
    }

    /** 401/403 on negotiate (HttpRequestException) or on the WebSocket upgrade (OkHttp's "Expected HTTP 101"). */
    static boolean refused(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpRequestException h && (h.getStatusCode() == 401 || h.getStatusCode() == 403)) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && message.contains("Expected HTTP 101") && REFUSED.matcher(message).find()) {
                return true;
            }
        }
        return false;
    }

    /** Hands one call to every listener on the delivery thread; what a listener throws stays with that listener. */
    private void deliver(Consumer<ShokoListener> call, String what) {
        ExecutorService d = delivery;
        if (d == null) {
            return;
        }
        try {
            d.execute(() -> {
                for (ShokoListener listener : listeners) {
                    try {
                        call.accept(listener);
                    } catch (Exception e) { // e.g. a checked exception thrown sneakily
                        LOG.warnf("Shoko hub: listener %s failed on %s: %s", listener.getClass().getSimpleName(),
                                what, describe(e));
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debugf("Shoko hub: %s after shutdown, not delivered", what);
        }
    }

    /** Foreign text, masked, and the key itself removed wherever it might have been quoted. */
    private String describe(Throwable e) {
        String text = SecretMasker.describe(e);
        String key = key();
        return key.isEmpty() ? text : text.replace(key, "***");
    }

    private String key() {
        return config.apiKey().orElse("");
    }

    private String address() {
        return config.host().strip() + ":" + config.port();
    }

    private String url() {
        return "http://" + address() + PATH;
    }
}
