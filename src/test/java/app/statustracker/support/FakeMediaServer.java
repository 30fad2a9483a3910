package app.statustracker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Jellyfin, Sonarr and Jellyseerr faked at the HTTP level on one port, answering in their real response shapes
 * (protocols.md §1.8, §3.5, §7.3) from what a test put in: the Jellyfin library, Sonarr's episode lists and
 * Jellyseerr's season counts. Every request is recorded.
 */
public class FakeMediaServer implements QuarkusTestResourceLifecycleManager {

    public static final String JELLYFIN_KEY = "jf-scenario-key-1111";
    public static final String SONARR_KEY = "sonarr-scenario-key-2222";
    public static final String JELLYSEERR_KEY = "js-scenario-key-3333";
    public static final String RADARR_KEY = "radarr-scenario-key-4444";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Jellyfin items (BaseItemDto shape) by id. */
    private static final Map<String, ObjectNode> ITEMS = new ConcurrentHashMap<>();
    /** Sonarr /api/v3/episode answers by series id. */
    private static final Map<Long, ArrayNode> SONARR_EPISODES = new ConcurrentHashMap<>();
    /** Jellyseerr /api/v1/tv answers by TMDB id. */
    private static final Map<Long, ObjectNode> JELLYSEERR_TV = new ConcurrentHashMap<>();
    public static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
    /** The query string of every Jellyfin request ({@code /Items}, {@code /Shows/...}), decoded, in order. */
    public static final List<String> JELLYFIN_QUERIES = new CopyOnWriteArrayList<>();
    /** When not 0, Jellyfin answers every request with this HTTP status (an outage). */
    private static volatile int jellyfinStatus;

    private HttpServer server;

    public static void reset() {
        ITEMS.clear();
        SONARR_EPISODES.clear();
        JELLYSEERR_TV.clear();
        REQUESTS.clear();
        JELLYFIN_QUERIES.clear();
        jellyfinStatus = 0;
        FakeArr.reset();
        FakeJellyfinUsers.reset();
    }

    /** Jellyfin fails (HTTP 503 to everything) until {@link #jellyfinUp()} or {@link #reset()}. */
    public static void jellyfinDown() {
        jellyfinStatus = 503;
    }

    public static void jellyfinUp() {
        jellyfinStatus = 0;
    }

    /** Requests made to Jellyfin's REST API (items and episodes, not the reachability probe). */
    public static long jellyfinCalls() {
        return REQUESTS.stream().filter(r -> r.startsWith("GET /Items") || r.startsWith("GET /Shows/")).count();
    }

    /** A stored Jellyfin item, to change it in place (e.g. its OriginalTitle); null when there is none. */
    public static ObjectNode jellyfinItem(String id) {
        return ITEMS.get(id);
    }

    /** Sets when Jellyfin last saved an item ({@code DateLastSaved}, what {@code minDateLastSaved} filters on). */
    public static void savedAt(String id, java.time.Instant when) {
        ITEMS.get(id).put("DateLastSaved", when.toString());
    }

    /** The ids of every item in the Jellyfin library. */
    public static java.util.Set<String> jellyfinItemIds() {
        return java.util.Set.copyOf(ITEMS.keySet());
    }

    /** Removes an item from the library (a deleted file). */
    public static void removeItem(String id) {
        ITEMS.remove(id);
    }

    /** A playable movie in the Jellyfin library. */
    public static void movie(String id, String name, int year, long tmdbId) {
        ObjectNode item = item(id, name, "Movie");
        item.put("ProductionYear", year);
        item.putObject("ProviderIds").put("Tmdb", String.valueOf(tmdbId));
        item.put("Path", "/media/movies/" + name + ".mkv");
        item.putArray("MediaSources").addObject().put("Id", id);
        ITEMS.put(id, item);
    }

    /** A series folder in the Jellyfin library. */
    public static void series(String id, String name, long tvdbId, long tmdbId) {
        ObjectNode item = item(id, name, "Series");
        item.putObject("ProviderIds").put("Tvdb", String.valueOf(tvdbId)).put("Tmdb", String.valueOf(tmdbId));
        item.put("Path", "/media/tv/" + name);
        ITEMS.put(id, item);
    }

    /** An episode of a series; playable unless virtual (a missing episode Jellyfin knows from metadata). */
    public static void episode(String seriesId, String id, int season, int episode, boolean playable) {
        ObjectNode item = item(id, "Episode " + episode, "Episode");
        item.put("SeriesId", seriesId);
        item.put("ParentIndexNumber", season);
        item.put("IndexNumber", episode);
        item.put("LocationType", playable ? "FileSystem" : "Virtual");
        if (playable) {
            item.put("Path", "/media/tv/s" + season + "e" + episode + ".mkv");
            item.putArray("MediaSources").addObject().put("Id", id);
        }
        ITEMS.put(id, item);
    }

    /** Sonarr's episode list for a series: {season, episode, airDate or null, monitored[, hasFile]}. */
    public static void sonarrEpisodes(long seriesId, Object[]... episodes) {
        ArrayNode list = JSON.createArrayNode();
        long id = seriesId * 1000;
        for (Object[] e : episodes) {
            ObjectNode n = list.addObject();
            n.put("id", ++id);
            n.put("seriesId", seriesId);
            n.put("seasonNumber", (Integer) e[0]);
            n.put("episodeNumber", (Integer) e[1]);
            n.put("title", "Episode " + e[1]);
            if (e[2] != null) {
                n.put("airDate", (String) e[2]);
                n.put("airDateUtc", e[2] + "T12:00:00Z");
            }
            n.put("monitored", (Boolean) e[3]);
            n.put("hasFile", e.length > 4 && (Boolean) e[4]);
        }
        SONARR_EPISODES.put(seriesId, list);
    }

    public static void jellyseerrSeasons(long tmdbId, int... episodeCountPerSeason) {
        ObjectNode tv = JSON.createObjectNode();
        tv.put("id", tmdbId);
        ArrayNode seasons = tv.putArray("seasons");
        for (int i = 0; i < episodeCountPerSeason.length; i++) {
            seasons.addObject().put("seasonNumber", i).put("episodeCount", episodeCountPerSeason[i]);
        }
        JELLYSEERR_TV.put(tmdbId, tv);
    }

    private static ObjectNode item(String id, String name, String type) {
        ObjectNode item = JSON.createObjectNode();
        item.put("Id", id);
        item.put("Name", name);
        item.put("Type", type);
        item.put("DateLastSaved", java.time.Instant.now().toString());
        return item;
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
        String port = String.valueOf(server.getAddress().getPort());
        return Map.ofEntries(
                Map.entry("tracker.jellyfin.host", "127.0.0.1"), Map.entry("tracker.jellyfin.port", port),
                Map.entry("tracker.jellyfin.api-key", JELLYFIN_KEY),
                Map.entry("tracker.sonarr.host", "127.0.0.1"), Map.entry("tracker.sonarr.port", port),
                Map.entry("tracker.sonarr.api-key", SONARR_KEY),
                Map.entry("tracker.radarr.host", "127.0.0.1"), Map.entry("tracker.radarr.port", port),
                Map.entry("tracker.radarr.api-key", RADARR_KEY),
                Map.entry("tracker.jellyseerr.host", "127.0.0.1"), Map.entry("tracker.jellyseerr.port", port),
                Map.entry("tracker.jellyseerr.api-key", JELLYSEERR_KEY));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        REQUESTS.add(exchange.getRequestMethod() + " " + path);
        Object body;
        int status = 200;
        boolean jellyfin = path.equals("/Items") || path.startsWith("/Shows/") || path.equals("/System/Info");
        if (jellyfin && !path.equals("/System/Info")) {
            String raw = exchange.getRequestURI().getRawQuery();
            JELLYFIN_QUERIES.add(raw == null ? "" : URLDecoder.decode(raw, StandardCharsets.UTF_8));
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("GET")) {
            // Writes: Jellyfin's login routes, Sonarr's/Radarr's/Jellyseerr's DELETEs (deletion sync)
            byte[] sent = exchange.getRequestBody().readAllBytes();
            String requestBody = new String(sent, StandardCharsets.UTF_8);
            FakeArr.Failure written = path.startsWith("/Users/") || path.startsWith("/Sessions/")
                    ? (jellyfinStatus != 0 ? new FakeArr.Failure(jellyfinStatus, null)
                            : FakeJellyfinUsers.answer(method, path, exchange.getRequestHeaders(), requestBody))
                    : FakeArr.write(method, path, query, exchange.getRequestHeaders().getFirst("X-Api-Key"),
                            requestBody);
            if (written != null) {
                reply(exchange, written.status(), written.body());
                return;
            }
        } else if (path.equals("/Users/Me")) {
            FakeArr.Failure me = jellyfinStatus != 0 ? new FakeArr.Failure(jellyfinStatus, null)
                    : FakeJellyfinUsers.answer(method, path, exchange.getRequestHeaders(), "");
            reply(exchange, me.status(), me.body());
            return;
        }
        Object arr = FakeArr.answer(path, query, exchange.getRequestHeaders().getFirst("X-Api-Key"));
        if ((jellyfin || path.equals("/Library/Refresh")) && jellyfinStatus != 0) {
            status = jellyfinStatus; // Jellyfin is down
            body = JSON.createObjectNode().put("message", "Jellyfin is down");
        } else if (arr instanceof FakeArr.Failure failure) {
            status = failure.status();
            body = failure.body();
        } else if (arr != null) {
            body = arr; // Sonarr's and Radarr's queue and history, told apart by the API key
        } else if (path.equals("/Library/Refresh") && exchange.getRequestMethod().equals("POST")) {
            exchange.sendResponseHeaders(204, -1); // Jellyfin starts a library scan and answers at once
            exchange.close();
            return;
        } else if (path.equals("/System/Info") || path.endsWith("/system/status") || path.equals("/api/v1/status")) {
            body = JSON.createObjectNode().put("version", "fake"); // the reachability probe's question
        } else if (path.equals("/Items")) {
            body = items(query);
        } else if (path.startsWith("/Shows/") && path.endsWith("/Episodes")) {
            String seriesId = path.split("/")[2];
            ArrayNode eps = JSON.createArrayNode();
            ITEMS.values().stream().filter(i -> seriesId.equals(i.path("SeriesId").asText(null))).forEach(eps::add);
            ObjectNode page = JSON.createObjectNode();
            page.set("Items", eps);
            page.put("TotalRecordCount", eps.size());
            body = page;
        } else if (path.equals("/api/v3/episode")) {
            body = SONARR_EPISODES.getOrDefault(Long.parseLong(query.getOrDefault("seriesId", "0")),
                    JSON.createArrayNode());
        } else if (path.equals("/api/v3/series")) {
            body = JSON.createArrayNode();
        } else if (path.startsWith("/api/v1/tv/")) {
            body = JELLYSEERR_TV.get(Long.parseLong(path.substring("/api/v1/tv/".length())));
            if (body == null) {
                status = 404;
                body = JSON.createObjectNode().put("message", "Unable to retrieve series.");
            }
        } else {
            status = 404;
            body = JSON.createObjectNode().put("message", "not faked: " + path);
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Sends a status with a JSON body, or none (null body, e.g. 204). */
    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /**
     * /Items with the filters the tracker uses: ids, includeItemTypes, minDateLastSaved (by each item's
     * DateLastSaved); sorted by name, then id; paged by startIndex and limit as Jellyfin does.
     */
    private static ObjectNode items(Map<String, String> query) {
        List<ObjectNode> found = new ArrayList<>(ITEMS.values());
        if (query.containsKey("ids")) {
            List<String> ids = List.of(query.get("ids").replace("-", "").toLowerCase().split(","));
            found.removeIf(i -> !ids.contains(i.get("Id").asText()));
        }
        if (query.containsKey("includeItemTypes")) {
            List<String> types = List.of(query.get("includeItemTypes").split(","));
            found.removeIf(i -> !types.contains(i.get("Type").asText()));
        }
        if (query.containsKey("minDateLastSaved")) {
            java.time.Instant min = java.time.Instant.parse(query.get("minDateLastSaved"));
            found.removeIf(i -> java.time.Instant.parse(i.get("DateLastSaved").asText()).isBefore(min));
        }
        found.sort(java.util.Comparator.comparing((ObjectNode i) -> i.path("Name").asText())
                .thenComparing(i -> i.get("Id").asText()));
        int start = Math.min(found.size(), Integer.parseInt(query.getOrDefault("startIndex", "0")));
        int limit = Integer.parseInt(query.getOrDefault("limit", String.valueOf(Integer.MAX_VALUE)));
        ObjectNode page = JSON.createObjectNode();
        ArrayNode items = page.putArray("Items");
        found.subList(start, (int) Math.min(found.size(), (long) start + limit)).forEach(items::add);
        page.put("TotalRecordCount", found.size());
        page.put("StartIndex", start);
        return page;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new ConcurrentHashMap<>();
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
