package app.statustracker.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

import app.statustracker.support.LogCapture;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Sonarr and Radarr faked at the HTTP level (their status endpoint checks X-Api-Key), Jellyfin pointed at a port
 * where nothing listens.
 */
public class FakeUpstreams implements QuarkusTestResourceLifecycleManager {

    static final String SONARR_KEY = "sonarr-fake-key-0001";
    static final String RADARR_WRONG_KEY = "radarr-wrong-key-0002";
    static final String JELLYFIN_KEY = "jellyfin-fake-key-0003";
    /** As read from a CRLF .env file or a secret file with a trailing newline. */
    static final String SHOKO_KEY_WITH_NEWLINE = "shoko-fake-key-0004\r\n";

    /** Every log line written while these fakes are up, to prove no secret reaches the log. */
    private static LogCapture capture;

    static java.util.List<String> logLines() {
        return capture.lines();
    }

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        capture = LogCapture.of("", java.util.logging.Level.ALL);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/api/v3/system/status", exchange -> {
                boolean ok = SONARR_KEY.equals(exchange.getRequestHeaders().getFirst("X-Api-Key"));
                byte[] body = (ok ? "{\"appName\":\"Sonarr\",\"version\":\"4.0.19.2979\"}" : "{\"error\":\"Unauthorized\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            String port = String.valueOf(server.getAddress().getPort());
            return Map.ofEntries(
                    Map.entry("tracker.sonarr.host", "127.0.0.1"), Map.entry("tracker.sonarr.port", port),
                    Map.entry("tracker.sonarr.api-key", SONARR_KEY),
                    Map.entry("tracker.radarr.host", "127.0.0.1"), Map.entry("tracker.radarr.port", port),
                    Map.entry("tracker.radarr.api-key", RADARR_WRONG_KEY),
                    Map.entry("tracker.jellyfin.host", "127.0.0.1"),
                    Map.entry("tracker.jellyfin.port", String.valueOf(closedPort)),
                    Map.entry("tracker.jellyfin.api-key", JELLYFIN_KEY),
                    Map.entry("tracker.shoko.host", "127.0.0.1"), Map.entry("tracker.shoko.port", port),
                    Map.entry("tracker.shoko.api-key", SHOKO_KEY_WITH_NEWLINE),
                    Map.entry("tracker.upstream-check.every", "1s"),
                    Map.entry("tracker.upstream-check.delay", "0s"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        capture.close();
        if (server != null) {
            server.stop(0);
        }
    }
}
