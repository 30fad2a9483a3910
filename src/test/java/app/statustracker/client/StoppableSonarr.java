package app.statustracker.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A Sonarr that can be switched off and on again at the same address, as a user's restart does: while off, nothing
 * listens on its port (connection refused). Counts the requests it gets per path. The application is configured with
 * it as its Sonarr, with a short breaker wait and no scheduled reachability check (the test runs it by hand). Plain
 * Vert.x, not its Mutiny API: resources start and stop outside the application, where Mutiny's context propagation
 * is not set up.
 */
public class StoppableSonarr implements QuarkusTestResourceLifecycleManager {

    static final String KEY = "sonarr-breaker-key-7f3a9c";
    static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();
    private static Vertx vertx;
    private static volatile HttpServer server;
    private static int port;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        up(0);
        port = server.actualPort();
        return Map.ofEntries(
                Map.entry("tracker.sonarr.host", "127.0.0.1"), Map.entry("tracker.sonarr.port", String.valueOf(port)),
                Map.entry("tracker.sonarr.api-key", KEY),
                Map.entry("tracker.upstream-check.breaker-failures", "3"),
                Map.entry("tracker.upstream-check.breaker-open-for", "3s"),
                Map.entry("tracker.upstream-check.breaker-max-open-for", "6s"),
                // The probe runs when the test says so, not on its own timing.
                Map.entry("tracker.upstream-check.every", "1h"),
                Map.entry("tracker.upstream-check.delay", "1h"));
    }

    @Override
    public void stop() {
        down();
        await(vertx.close());
    }

    static int requests(String path) {
        AtomicInteger n = REQUESTS.get(path);
        return n == null ? 0 : n.get();
    }

    /** Nothing listens on the port any more; open connections are closed. */
    static synchronized void down() {
        if (server != null) {
            await(server.close());
            server = null;
        }
    }

    static synchronized void up() {
        up(port);
    }

    private static synchronized void up(int on) {
        if (server != null) {
            return;
        }
        server = vertx.createHttpServer().requestHandler(request -> {
            REQUESTS.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
            boolean authorised = KEY.equals(request.getHeader("X-Api-Key"));
            String body = !authorised ? "{\"error\":\"Unauthorized\"}"
                    : request.path().equals("/api/v3/series") ? "[{\"id\":42,\"tvdbId\":414057}]"
                            : request.path().equals("/api/v3/system/status") ? "{\"appName\":\"Sonarr\"}" : "{}";
            request.response().setStatusCode(authorised ? 200 : 401).putHeader("Content-Type", "application/json")
                    .end(body);
        });
        await(server.listen(on, "127.0.0.1"));
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the fake Sonarr could not start or stop", e);
        }
    }
}
