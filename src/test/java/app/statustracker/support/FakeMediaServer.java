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
    /** Jellyfin's installed plugins ({@code GET /Plugins}, PluginInfo shape), in order. */
    private static final List<ObjectNode> PLUGINS = new CopyOnWriteArrayList<>();
    /** Plugin configurations ({@code GET /Plugins/{id}/Configuration}) by plugin id (32 hex digits). */
    private static final Map<String, ObjectNode> PLUGIN_CONFIGS = new ConcurrentHashMap<>();
    /** Jellyfin's libraries ({@code GET /Library/VirtualFolders}, VirtualFolderInfo shape). */
    private static final List<ObjectNode> VIRTUAL_FOLDERS = new CopyOnWriteArrayList<>();
    /** When true, Jellyfin's REST routes answer 401, as for a key that was deleted in Jellyfin. */
    private static volatile boolean jellyfinKeyRevoked;

    /** The Webhook plugin's id (jellyfin-plugin-webhook WebhookPlugin.cs), as Jellyfin writes Guids. */
    public static final String WEBHOOK_PLUGIN_ID = "71552a5a5c5c4350a2aeebe451a30173";
    /** Shokofin's id (Shokofin Plugin.cs). */
    public static final String SHOKOFIN_PLUGIN_ID = "5216ccbfd24a4eb38a7e7da4230b7052";
    /** Shoko's password and API key inside the fake Shokofin configuration: must never reach a finding. */
    public static final String SHOKOFIN_API_KEY = "shokofin-stored-apikey-7e3f9a";
    public static final String SHOKOFIN_PASSWORD = "shokofin-stored-password-41c2";

    private HttpServer server;

    public static void reset() {
        ITEMS.clear();
        SONARR_EPISODES.clear();
        JELLYSEERR_TV.clear();
        REQUESTS.clear();
        JELLYFIN_QUERIES.clear();
        jellyfinStatus = 0;
        PLUGINS.clear();
        PLUGIN_CONFIGS.clear();
        VIRTUAL_FOLDERS.clear();
        jellyfinKeyRevoked = false;
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

    /** Jellyfin answers 401 to its REST routes (the tracker's key was deleted) until {@link #reset()}. */
    public static void jellyfinKeyRevoked() {
        jellyfinKeyRevoked = true;
    }

    /**
     * An installed plugin as {@code GET /Plugins} lists it (PluginInfo: Name, Version, ConfigurationFileName,
     * Description, Id, CanUninstall, HasImage, Status), with its configuration (null: none).
     */
    public static ObjectNode plugin(String id, String name, String version, String status, ObjectNode configuration) {
        ObjectNode p = JSON.createObjectNode();
        p.put("Name", name).put("Version", version).put("ConfigurationFileName", "Jellyfin.Plugin." + name + ".xml")
                .put("Description", name + " plugin").put("Id", id).put("CanUninstall", true).put("HasImage", false)
                .put("Status", status);
        PLUGINS.add(p);
        if (configuration != null) {
            PLUGIN_CONFIGS.put(id, configuration);
        }
        return p;
    }

    /** A library as {@code GET /Library/VirtualFolders} lists it (VirtualFolderInfo). */
    public static ObjectNode library(String itemId, String name, String collectionType, String... locations) {
        ObjectNode v = JSON.createObjectNode();
        v.put("Name", name);
        ArrayNode l = v.putArray("Locations");
        for (String location : locations) {
            l.add(location);
        }
        v.put("CollectionType", collectionType);
        v.putObject("LibraryOptions").put("Enabled", true);
        v.put("ItemId", itemId).put("PrimaryImageItemId", itemId).put("RefreshStatus", "Idle");
        VIRTUAL_FOLDERS.add(v);
        return v;
    }

    /**
     * The Webhook plugin's configuration (PluginConfiguration: ServerUrl and one array per destination kind) with one
     * Generic destination ({@code GenericOption}/{@code BaseOption}) to {@code uri}, sending Item Added for movies,
     * episodes and series with all properties. Tests change the destination in place.
     */
    public static ObjectNode webhookConfiguration(String uri) {
        ObjectNode c = JSON.createObjectNode();
        c.put("ServerUrl", "http://jellyfin:8096");
        c.putArray("DiscordOptions");
        ObjectNode d = c.putArray("GenericOptions").addObject();
        d.putArray("NotificationTypes").add("ItemAdded");
        d.put("WebhookName", "status-tracker").put("WebhookUri", uri);
        d.put("EnableMovies", true).put("EnableEpisodes", true).put("EnableSeries", true)
                .put("EnableSeasons", false).put("EnableAlbums", false).put("EnableSongs", false)
                .put("EnableVideos", false).put("EnableLiveTv", false);
        d.put("SendAllProperties", true).put("TrimWhitespace", false).put("SkipEmptyMessageBody", false)
                .put("EnableWebhook", true).put("Template", "");
        d.putArray("UserFilter");
        d.putArray("Headers");
        d.putArray("Fields");
        c.putArray("GenericFormOptions");
        c.putArray("GotifyOptions");
        c.putArray("PushbulletOptions");
        c.putArray("PushoverOptions");
        c.putArray("SlackOptions");
        c.putArray("SmtpOptions");
        return c;
    }

    /**
     * Shokofin's configuration in its current shape (PluginConfiguration with {@code Libraries[]} of
     * LibraryConfiguration and {@code LibraryFolders[]} of MediaFolderConfiguration, ManagedFolderId naming the
     * Shoko import folder; 0 = not mapped), connection fields included with a distinctive password and key.
     *
     * @param libraries per library: {libraryId, name, mediaFolderPath, managedFolderId}
     */
    public static ObjectNode shokofinConfiguration(boolean signalRAutoConnect, Object[]... libraries) {
        ObjectNode c = JSON.createObjectNode();
        c.put("Url", "http://shoko:8111").put("PublicUrl", "").put("Username", "jellyfin")
                .put("Password", SHOKOFIN_PASSWORD).put("ApiKey", SHOKOFIN_API_KEY);
        c.putObject("ServerVersion").put("Version", "5.1.0.0").put("ReleaseChannel", "Stable");
        c.put("DefaultLibraryOperationMode", "VFS").put("VFS_Threads", 4);
        ArrayNode libs = c.putArray("Libraries");
        ArrayNode folders = c.putArray("LibraryFolders");
        for (Object[] l : libraries) {
            String libraryId = (String) l[0];
            ObjectNode lib = libs.addObject();
            lib.put("Id", libraryId).put("Name", (String) l[1]).putNull("CustomVirtualRoot")
                    .put("IsFileEventsEnabled", true).put("IsRefreshEventsEnabled", true)
                    .put("LibraryOperationMode", "VFS").put("IterativeVfsGeneration_Enabled", false);
            ObjectNode f = folders.addObject();
            f.put("LibraryId", libraryId).put("Path", (String) l[2]).put("ManagedFolderId", (Integer) l[3])
                    .put("ManagedFolderName", ((Integer) l[3]) == 0 ? null : "folder " + l[3])
                    .put("ManagedFolderRelativePath", "").put("NeedsRefresh", false).put("IsIgnored", false)
                    .put("IsMapped", ((Integer) l[3]) != 0);
            lib.set("MediaFolders", JSON.createArrayNode().add(f.deepCopy()));
        }
        c.put("SignalR_AutoConnectEnabled", signalRAutoConnect);
        c.putArray("SignalR_AutoReconnectInSeconds").add(0).add(2).add(10).add(30).add(60).add(120).add(300);
        c.put("SignalR_RefreshEnabled", false).put("SignalR_FileEvents", true);
        c.putArray("SignalR_EventSources").add("Shoko").add("AniDB").add("TMDB");
        return c;
    }

    /** Anime Shows and Anime Movies as Jellyfin libraries: ids, names, media folders as Jellyfin sees them. */
    public static final String ANIME_SHOWS_ID = "29391378c4118b35b77f84980d25f0a6";
    public static final String ANIME_MOVIES_ID = "abebc196cc1b8bbf6f8bb5ca7b5ad6f1";

    /**
     * Jellyfin fully wired to the tracker at {@code trackerUrl}: the Webhook plugin with a Generic Item Added
     * destination to {@code /hooks/jellyfin}, Shokofin with SignalR on and its two libraries (Anime Shows at
     * {@code /media/anime}, Anime Movies at {@code /media/anime-movies}) mapped to Shoko import folders
     * {@code showsFolderId} and {@code moviesFolderId} — which Shoko (FakeShokoHub.importFolder) must have.
     */
    public static void wellWiredJellyfin(String trackerUrl, int showsFolderId, int moviesFolderId) {
        plugin(WEBHOOK_PLUGIN_ID, "Webhook", "18.0.0.0", "Active",
                webhookConfiguration(trackerUrl + "/hooks/jellyfin"));
        plugin(SHOKOFIN_PLUGIN_ID, "Shoko", "5.0.4.0", "Active", shokofinConfiguration(true,
                new Object[] { ANIME_SHOWS_ID, "Anime Shows", "/media/anime", showsFolderId },
                new Object[] { ANIME_MOVIES_ID, "Anime Movies", "/media/anime-movies", moviesFolderId }));
        library(ANIME_SHOWS_ID, "Anime Shows", "tvshows", "/media/anime",
                "/config/data/Shokofin/VFS/" + ANIME_SHOWS_ID);
        library(ANIME_MOVIES_ID, "Anime Movies", "movies", "/media/anime-movies",
                "/config/data/Shokofin/VFS/" + ANIME_MOVIES_ID);
    }

    /** The configuration stored for a plugin, to change it in place; null when none. */
    public static ObjectNode pluginConfiguration(String id) {
        return PLUGIN_CONFIGS.get(id);
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
        boolean plugins = path.equals("/Plugins") || path.startsWith("/Plugins/")
                || path.equals("/Library/VirtualFolders");
        boolean jellyfin = path.equals("/Items") || path.startsWith("/Shows/") || path.equals("/System/Info")
                || plugins;
        if (jellyfin && !path.equals("/System/Info") && !plugins) {
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
        } else if (jellyfin && jellyfinKeyRevoked) {
            exchange.sendResponseHeaders(401, -1); // Jellyfin answers an unknown key with a bare 401
            exchange.close();
            return;
        } else if (path.equals("/Plugins")) {
            ArrayNode list = JSON.createArrayNode();
            PLUGINS.forEach(list::add);
            body = list;
        } else if (path.startsWith("/Plugins/") && path.endsWith("/Configuration")) {
            String id = path.split("/")[2].replace("-", "").toLowerCase(java.util.Locale.ROOT);
            body = PLUGIN_CONFIGS.get(id);
            if (body == null) {
                status = 404; // no such plugin, or one without configuration
                body = JSON.createObjectNode();
            }
        } else if (path.equals("/Library/VirtualFolders")) {
            ArrayNode list = JSON.createArrayNode();
            VIRTUAL_FOLDERS.forEach(list::add);
            body = list;
        } else if (path.equals("/System/Info")) {
            // Jellyfin's SystemInfo (abridged); the reachability probe only needs an answer.
            body = JSON.createObjectNode().put("LocalAddress", "http://127.0.0.1:8096")
                    .put("ServerName", "fake-jellyfin").put("Version", "10.10.7").put("ProductName", "Jellyfin Server")
                    .put("OperatingSystem", "Linux").put("Id", "3c5a0d1e9b7f4c2a8e6d1f0b2a4c6e8d")
                    .put("StartupWizardCompleted", true);
        } else if (arr instanceof FakeArr.Failure failure) {
            status = failure.status();
            body = failure.body();
        } else if (arr != null) {
            body = arr; // Sonarr's and Radarr's queue and history, told apart by the API key
        } else if (path.equals("/Library/Refresh") && exchange.getRequestMethod().equals("POST")) {
            exchange.sendResponseHeaders(204, -1); // Jellyfin starts a library scan and answers at once
            exchange.close();
            return;
        } else if (path.endsWith("/system/status") || path.equals("/api/v1/status")) {
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
