package app.statustracker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * qBittorrent's Web API v2 faked at the HTTP level for {@link ChecksBenchmark}, in the 5.1 shapes of protocols.md §4:
 * {@code auth/login} (200 {@code Ok.} and an {@code SID} cookie), {@code torrents/info?hashes=a|b|…} (every key 5.1
 * emits), {@code torrents/files?hash=} and {@code app/version}. It knows the torrents the benchmark gave it. A torrent
 * that is not finished advances by {@link #STEP} of progress at every {@code torrents/info} call, so that each poll
 * is a new whole percent for every download (the most a poll can have to write). Every call is counted by path.
 */
public class FakeQbittorrent implements QuarkusTestResourceLifecycleManager {

    /** Progress a running torrent makes between two polls. */
    static final double STEP = 0.011;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One torrent: fixed facts; its progress comes from {@code base} and the number of polls so far. */
    record Torrent(String hash, String name, long size, double base, boolean finished, List<String> files) {
    }

    private static final Map<String, Torrent> TORRENTS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    private static final AtomicInteger POLLS = new AtomicInteger();
    private HttpServer server;

    /** Forgets every torrent and the poll count (the call counts stay: see {@link #calls()}). */
    static void reset() {
        TORRENTS.clear();
        POLLS.set(0);
    }

    static void add(Torrent t) {
        TORRENTS.put(t.hash(), t);
    }

    /** Calls so far, by "METHOD /path". */
    static Map<String, Integer> calls() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        CALLS.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("tracker.qbittorrent.host", "127.0.0.1",
                "tracker.qbittorrent.port", String.valueOf(server.getAddress().getPort()),
                "tracker.qbittorrent.username", "admin", "tracker.qbittorrent.password", "bench-password");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        CALLS.computeIfAbsent(exchange.getRequestMethod() + " " + path, k -> new AtomicInteger()).incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        switch (path) {
            case "/api/v2/auth/login" -> {
                exchange.getResponseHeaders().add("Set-Cookie", "SID=benchsession0123456789; HttpOnly; path=/");
                send(exchange, 200, "text/plain; charset=UTF-8", "Ok.".getBytes(StandardCharsets.UTF_8));
            }
            case "/api/v2/app/version" -> send(exchange, 200, "text/plain; charset=UTF-8",
                    "v5.1.4".getBytes(StandardCharsets.UTF_8));
            case "/api/v2/torrents/info" -> {
                int poll = POLLS.incrementAndGet();
                ArrayNode out = JSON.createArrayNode();
                String hashes = query.get("hashes");
                if (hashes != null) {
                    for (String h : hashes.split("\\|")) {
                        Torrent t = TORRENTS.get(h.toLowerCase(java.util.Locale.ROOT));
                        if (t != null) {
                            info(out.addObject(), t, progress(t, poll));
                        }
                    }
                }
                send(exchange, 200, "application/json", JSON.writeValueAsBytes(out));
            }
            case "/api/v2/torrents/files" -> {
                Torrent t = TORRENTS.get(query.getOrDefault("hash", ""));
                if (t == null) {
                    send(exchange, 404, "text/plain", "Not Found".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                ArrayNode out = JSON.createArrayNode();
                double p = progress(t, POLLS.get());
                for (int i = 0; i < t.files().size(); i++) {
                    long size = t.size() / t.files().size();
                    // the first file ahead, the last one behind, as a pack downloads
                    double fp = Math.min(1.0, Math.max(0.0, p + (t.files().size() / 2 - i) * 0.1));
                    out.addObject().put("index", i).put("name", t.name() + "/" + t.files().get(i)).put("size", size)
                            .put("progress", fp).put("priority", 1).put("is_seed", false)
                            .putArray("piece_range").add(i * 100).add(i * 100 + 99);
                    ((ObjectNode) out.get(i)).put("availability", 1.0);
                }
                send(exchange, 200, "application/json", JSON.writeValueAsBytes(out));
            }
            default -> send(exchange, 404, "text/plain", "Not Found".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static double progress(Torrent t, int poll) {
        return t.finished() ? 1.0 : Math.min(0.98, t.base() + STEP * poll);
    }

    /** Every key of a 5.1.x {@code torrents/info} entry (alphabetical, as qBittorrent writes them). */
    private static void info(ObjectNode n, Torrent t, double progress) {
        long now = Instant.now().getEpochSecond();
        long left = (long) (t.size() * (1 - progress));
        boolean done = progress >= 1.0;
        long speed = done ? 0 : 4_000_000;
        n.put("added_on", now - 3600).put("amount_left", left).put("auto_tmm", false).put("availability", done ? -1 : 3.5)
                .put("category", t.files().size() > 1 ? "tv-sonarr" : "radarr").put("comment", "")
                .put("completed", t.size() - left).put("completion_on", done ? now - 60 : -1)
                .put("content_path", "/downloads/" + t.name()).put("dl_limit", 0).put("dlspeed", speed)
                .put("download_path", "").put("downloaded", t.size() - left).put("downloaded_session", t.size() - left)
                .put("eta", done ? 8_640_000 : left / speed).put("f_l_piece_prio", false).put("force_start", false)
                .put("has_metadata", true).put("inactive_seeding_time_limit", -2).put("infohash_v1", t.hash())
                .put("infohash_v2", "").put("last_activity", now - 1).put("magnet_uri", "magnet:?xt=urn:btih:" + t.hash())
                .put("max_inactive_seeding_time", -1).put("max_ratio", -1).put("max_seeding_time", -1)
                .put("name", t.name()).put("num_complete", 40).put("num_incomplete", 12).put("num_leechs", 3)
                .put("num_seeds", done ? 0 : 9).put("popularity", 0.5).put("priority", done ? 0 : 1)
                .put("private", false).put("progress", progress).put("ratio", 0.1).put("ratio_limit", -2)
                .put("reannounce", 1200).put("root_path", t.files().size() > 1 ? "/downloads/" + t.name() : "")
                .put("save_path", "/downloads").put("seeding_time", 0).put("seeding_time_limit", -2)
                .put("seen_complete", done ? now - 60 : -1).put("seq_dl", false).put("size", t.size())
                .put("state", done ? "stalledUP" : "downloading").put("super_seeding", false).put("tags", "")
                .put("time_active", 3600).put("total_size", t.size()).put("tracker", "udp://tracker.example:1337")
                .put("trackers_count", 1).put("up_limit", 0).put("uploaded", 1000).put("uploaded_session", 1000)
                .put("upspeed", 1000).put("hash", t.hash());
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new java.util.HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }
}
