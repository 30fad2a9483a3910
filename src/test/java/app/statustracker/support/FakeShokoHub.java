package app.statustracker.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;

/**
 * Shoko Server's SignalR hub ({@code /signalr/aggregate}), faked at the wire level with the JSON hub protocol
 * (protocols.md §5.1, §6): negotiate (version 1), the WebSocket upgrade with its {@code feeds} query, the handshake,
 * records ended by 0x1E (split across frames, a partial tail kept), pings from the hub every two seconds, and a
 * close message on request. It checks the key as Shoko 6 would (header {@code apikey}, bearer token or
 * {@code access_token}) and answers 401 when it is wrong; with the init argument {@code refuse=true} it expects
 * another key than the one it configures, to play a hub that refuses the tracker's key.
 *
 * <p>The application gets it as its Shoko ({@code tracker.shoko.*}) with reconnect intervals of 0 and 1 s. Tests
 * reach the running one through {@link #hub()}. Plain Vert.x with its own instance: it must keep running while the
 * application's Vert.x restarts, and it stops and starts on the same port ({@link #stop()}/{@link #start()}) as a
 * restarted Shoko would. Every log line of the application is collected while it is up ({@link #logLines()}), to
 * prove that the key never reaches the log.
 */
public class FakeShokoHub implements QuarkusTestResourceLifecycleManager {

    /** The key the application is configured with. */
    public static final String KEY = "shoko-hub-key-5b1d8e07";
    private static final String OTHER_KEY = "shoko-hub-other-key-93ac";
    private static final String RS = "\u001e";
    private static final String HUB = "/signalr/aggregate";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static volatile FakeShokoHub current;

    private final List<String> apikeyHeaders = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> feeds = new CopyOnWriteArrayList<>();
    /** What clients sent after their handshake (pings, close), one record per entry. */
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Set<ServerWebSocket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger negotiations = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicInteger handshakes = new AtomicInteger();
    private String expectedKey = KEY;
    private Vertx vertx;
    private volatile HttpServer server;
    private int port;
    private long pinger = -1;
    private LogCapture log;

    /** Shoko's REST side (same host and port as the hub): import folders, files, series, links made. */
    private final Map<Integer, String> importFolders = new ConcurrentHashMap<>();
    private final Map<Integer, String> dropFolderTypes = new ConcurrentHashMap<>();
    private final Map<Long, com.fasterxml.jackson.databind.node.ObjectNode> files = new ConcurrentHashMap<>();
    private final Map<Long, String> seriesNames = new ConcurrentHashMap<>();
    private final Map<Long, com.fasterxml.jackson.databind.node.ObjectNode> seriesResources = new ConcurrentHashMap<>();
    /** Bodies of {@code POST /api/v3/File/{id}/LinkFromSeries}, as "fileId:body". */
    private final List<String> links = new CopyOnWriteArrayList<>();
    /** Actions asked for ({@code /api/v3/Action/...}), as "METHOD path". */
    private final List<String> actions = new CopyOnWriteArrayList<>();
    /** When set, every action answers with this status (a Shoko that fails). */
    private volatile Integer failActionsWith;

    /** Forgets Shoko's REST-side data (files, folders, series, links, actions) and stops failing actions. */
    public void resetLibrary() {
        importFolders.clear();
        dropFolderTypes.clear();
        files.clear();
        seriesNames.clear();
        seriesResources.clear();
        links.clear();
        actions.clear();
        failActionsWith = null;
    }

    /** The actions asked for, as "GET /api/v3/Action/RemoveMissingFiles/true", in order. */
    public List<String> actions() {
        return List.copyOf(actions);
    }

    /** Every action answers with this status from now on (null: they work again). */
    public void failActionsWith(Integer status) {
        failActionsWith = status;
    }

    public void importFolder(int id, String path) {
        importFolders.put(id, path);
    }

    /** An import folder that is a drop folder ({@code Source}, {@code Destination} or {@code Both}). */
    public void importFolder(int id, String path, String dropFolderType) {
        importFolders.put(id, path);
        dropFolderTypes.put(id, dropFolderType);
    }

    /** A file Shoko knows, linked to a Shoko series (and AniDB anime) or not linked (null series). */
    public void file(long id, int importFolderId, String relativePath, Long seriesId, Long anidbAnimeId) {
        com.fasterxml.jackson.databind.node.ObjectNode f = JSON.createObjectNode();
        f.put("ID", id);
        f.putArray("Locations").addObject().put("ImportFolderID", importFolderId).put("RelativePath", relativePath);
        var xrefs = f.putArray("SeriesIDs");
        if (seriesId != null) {
            var x = xrefs.addObject();
            x.putObject("SeriesID").put("ID", seriesId).put("AniDB", anidbAnimeId);
            x.putArray("EpisodeIDs").addObject().put("ID", 9000 + id).put("AniDB", 8000 + id);
        }
        files.put(id, f);
    }

    /** A series Shoko's search finds by any word of its name. */
    public void series(long id, String name) {
        seriesNames.put(id, name);
    }

    /** A series with the ids of {@code GET /api/v3/Series/{id}} (TvDB, TMDB show; null for none). */
    public void series(long id, String name, Long tvdbId, Long tmdbShowId) {
        seriesNames.put(id, name);
        com.fasterxml.jackson.databind.node.ObjectNode s = JSON.createObjectNode();
        s.put("Name", name);
        var ids = s.putObject("IDs");
        ids.put("ID", id).put("AniDB", 17754);
        var tvdb = ids.putArray("TvDB");
        if (tvdbId != null) {
            tvdb.add(tvdbId);
        }
        var tmdb = ids.putObject("TMDB");
        tmdb.putArray("Movie");
        var shows = tmdb.putArray("Show");
        if (tmdbShowId != null) {
            shows.add(tmdbShowId);
        }
        seriesResources.put(id, s);
    }

    public List<String> links() {
        return List.copyOf(links);
    }

    /** The hub of the running test class. */
    public static FakeShokoHub hub() {
        return current;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        if ("true".equals(initArgs.get("refuse"))) {
            expectedKey = OTHER_KEY;
        }
    }

    @Override
    public Map<String, String> start() {
        current = this;
        log = LogCapture.of("", Level.ALL);
        vertx = Vertx.vertx();
        listen(0);
        port = server.actualPort();
        return Map.of(
                "tracker.shoko.enabled", "true",
                "tracker.shoko.host", "127.0.0.1",
                "tracker.shoko.port", String.valueOf(port),
                "tracker.shoko.api-key", KEY,
                "tracker.shoko.reconnect-intervals", "0,1");
    }

    @Override
    public void stop() {
        if (log != null) {
            log.close();
        }
        stopListening();
        await(vertx.close());
    }

    /** Starts listening again on the same port (after {@link #stopListening()}). */
    public synchronized void startListening() {
        if (server == null) {
            listen(port);
        }
    }

    /** Stops listening; open connections are dropped, as when Shoko restarts. */
    public synchronized void stopListening() {
        if (server != null) {
            vertx.cancelTimer(pinger);
            HttpServer s = server;
            server = null;
            clients.clear();
            await(s.close());
        }
    }

    /** Sends {@code {"type":1,"target":…,"arguments":[argumentJson]}} to every connected client. */
    public void send(String target, String argumentJson) {
        try {
            sendRaw("{\"type\":1,\"target\":" + JSON.writeValueAsString(target) + ",\"arguments\":[" + argumentJson
                    + "]}" + RS);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Sends text as one WebSocket text message, as it is: a record separator is the caller's business. */
    public void sendRaw(String frame) {
        for (ServerWebSocket ws : clients) {
            await(ws.writeTextMessage(frame));
        }
    }

    /** Sends a Close message (type 7) to every client, then closes their sockets. */
    public void close(boolean allowReconnect) {
        for (ServerWebSocket ws : clients) {
            clients.remove(ws);
            // the client closes its end as soon as it reads the message: either side may close first
            ws.writeTextMessage("{\"type\":7,\"error\":\"Server is shutting down.\",\"allowReconnect\":"
                    + allowReconnect + "}" + RS).onComplete(written -> ws.close());
        }
    }

    /** Waits (briefly) until at least one client has done its handshake and is connected. */
    public void awaitConnected() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> connections() > 0);
    }

    /** Clients connected now (handshake done, socket open). */
    public int connections() {
        return clients.size();
    }

    /** Handshakes completed since the hub was created: one more after each (re)connection. */
    public int handshakes() {
        return handshakes.get();
    }

    /** Negotiate requests, refused or not. */
    public int negotiations() {
        return negotiations.get();
    }

    /** Requests answered 401. */
    public int refusals() {
        return refusals.get();
    }

    /** The {@code apikey} header of every negotiate and upgrade request, in order (null when absent). */
    public List<String> apikeyHeaders() {
        return apikeyHeaders;
    }

    /** The {@code Authorization} header of every negotiate and upgrade request (null when absent). */
    public List<String> authorizations() {
        return authorizations;
    }

    /** The {@code feeds} query parameter of every WebSocket upgrade. */
    public List<String> feeds() {
        return feeds;
    }

    /** Records the clients sent after their handshake. */
    public List<String> received() {
        return received;
    }

    /** Every log line written while the hub was up. */
    public List<String> logLines() {
        return log.lines();
    }

    private void listen(int on) {
        HttpServer s = vertx.createHttpServer().requestHandler(this::handle);
        await(s.listen(on, "127.0.0.1"));
        server = s;
        pinger = vertx.setPeriodic(2000, id -> clients.forEach(ws -> ws.writeTextMessage("{\"type\":6}" + RS)));
    }

    private void handle(HttpServerRequest req) {
        if (req.method() == HttpMethod.POST && req.path().equals(HUB + "/negotiate")) {
            negotiations.incrementAndGet();
            if (!authorised(req)) {
                return;
            }
            String token = UUID.randomUUID().toString();
            tokens.add(token);
            req.response().putHeader("Content-Type", "application/json").end("{\"negotiateVersion\":1,"
                    + "\"connectionId\":\"" + UUID.randomUUID() + "\",\"connectionToken\":\"" + token + "\","
                    + "\"availableTransports\":[{\"transport\":\"WebSockets\",\"transferFormats\":[\"Text\",\"Binary\"]}]}");
        } else if (req.path().equals(HUB) && "websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
            feeds.add(String.valueOf(req.getParam("feeds")));
            if (!authorised(req)) {
                return;
            }
            String id = req.getParam("id");
            if (id != null && !tokens.remove(id)) {
                req.response().setStatusCode(404).end(); // ids are single-use
                return;
            }
            // toWebSocket from the request handler: a webSocketHandler next to it is never called (recipe §4)
            req.toWebSocket().onSuccess(this::serve);
        } else if (req.path().equals("/api/v3/Init/Status")) {
            // the tracker's reachability check of Shoko (REST, not the hub)
            boolean ok = expectedKey.equals(req.getHeader("apikey"));
            req.response().setStatusCode(ok ? 200 : 401).putHeader("Content-Type", "application/json")
                    .end(ok ? "{\"State\":2}" : "");
        } else if (req.path().startsWith("/api/v3/")) {
            rest(req);
        } else {
            req.response().setStatusCode(404).end();
        }
    }

    /** Shoko's REST API v3, in its shapes (protocols.md §5.4), for what the tracker asks. */
    private void rest(HttpServerRequest req) {
        if (!expectedKey.equals(req.getHeader("apikey"))) {
            req.response().setStatusCode(401).end();
            return;
        }
        String path = req.path();
        java.util.regex.Matcher file = java.util.regex.Pattern.compile("/api/v3/File/(\\d+)(/LinkFromSeries)?")
                .matcher(path);
        if (path.equals("/api/v3/ImportFolder")) {
            var list = JSON.createArrayNode();
            // Shoko 5's v3 ImportFolder: ID, WatchForNewFiles, DropFolderType, Path, Name, Size, FileSize
            new java.util.TreeMap<>(importFolders).forEach((id, p) -> list.addObject().put("ID", id)
                    .put("WatchForNewFiles", true).put("DropFolderType", dropFolderTypes.getOrDefault(id, "None"))
                    .put("Path", p).put("Name", "folder " + id).put("Size", 0).put("FileSize", 0));
            json(req, 200, list.toString());
        } else if (file.matches() && file.group(2) != null && req.method() == HttpMethod.POST) {
            long id = Long.parseLong(file.group(1));
            req.body().onSuccess(body -> {
                links.add(id + ":" + body.toString());
                var f = files.get(id);
                if (f == null) {
                    json(req, 404, "{\"title\":\"File not found\"}");
                    return;
                }
                try {
                    long series = JSON.readTree(body.toString()).path("seriesID").asLong();
                    var x = ((com.fasterxml.jackson.databind.node.ArrayNode) f.get("SeriesIDs")).addObject();
                    x.putObject("SeriesID").put("ID", series).put("AniDB", 17754);
                } catch (java.io.IOException e) {
                    json(req, 400, "{}");
                    return;
                }
                req.response().setStatusCode(200).end();
            });
        } else if (file.matches()) {
            var f = files.get(Long.parseLong(file.group(1)));
            json(req, f == null ? 404 : 200, f == null ? "{}" : f.toString());
        } else if (path.equals("/api/v3/File/PathEndsWith")) {
            String tail = String.valueOf(req.getParam("path"));
            var list = JSON.createArrayNode();
            files.values().stream().filter(f -> f.path("Locations").path(0).path("RelativePath").asText()
                    .endsWith(tail)).forEach(list::add);
            json(req, 200, list.toString());
        } else if (path.matches("/api/v3/Series/\\d+")) {
            var series = seriesResources.get(Long.parseLong(path.substring("/api/v3/Series/".length())));
            json(req, series == null ? 404 : 200, series == null ? "{}" : series.toString());
        } else if (path.matches("/api/v3/Action/RemoveMissingFiles(/(true|false))?")
                && req.method() == HttpMethod.GET) {
            // Shoko's ActionController: queues the job and answers 200 with no body.
            actions.add(req.method().name() + " " + path);
            Integer failing = failActionsWith;
            if (failing != null) {
                json(req, failing, "{\"title\":\"failing on purpose\"}");
            } else {
                req.response().setStatusCode(200).end();
            }
        } else if (path.equals("/api/v3/Series/Search")) {
            String query = String.valueOf(req.getParam("query")).toLowerCase(java.util.Locale.ROOT);
            var list = JSON.createArrayNode();
            seriesNames.forEach((id, name) -> {
                boolean hit = java.util.Arrays.stream(query.split("\\W+")).filter(w -> w.length() >= 3)
                        .anyMatch(w -> name.toLowerCase(java.util.Locale.ROOT).contains(w));
                if (hit) {
                    var r = list.addObject();
                    r.putObject("IDs").put("ID", id);
                    r.put("Name", name);
                }
            });
            json(req, 200, list.toString());
        } else {
            req.response().setStatusCode(404).end();
        }
    }

    private static void json(HttpServerRequest req, int status, String body) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    /** Shoko 6's rule: the key as header, bearer token or access_token; 401 otherwise. */
    private boolean authorised(HttpServerRequest req) {
        String apikey = req.getHeader("apikey");
        String authorization = req.getHeader("Authorization");
        apikeyHeaders.add(apikey);
        authorizations.add(authorization);
        boolean ok = expectedKey.equals(apikey) || ("Bearer " + expectedKey).equals(authorization)
                || expectedKey.equals(req.getParam("access_token"));
        if (!ok) {
            refusals.incrementAndGet();
            req.response().setStatusCode(401).end();
        }
        return ok;
    }

    private void serve(ServerWebSocket ws) {
        StringBuilder pending = new StringBuilder();
        boolean[] shaken = { false };
        // handler(Buffer), not textMessageHandler: the Java client sends binary frames (recipe §4)
        ws.handler((Buffer buf) -> {
            pending.append(buf.toString(StandardCharsets.UTF_8));
            int end;
            while ((end = pending.indexOf(RS)) >= 0) {
                String record = pending.substring(0, end);
                pending.delete(0, end + 1);
                if (!shaken[0]) {
                    if (record.contains("\"protocol\":\"json\"")) {
                        shaken[0] = true;
                        ws.writeTextMessage("{}" + RS);
                        clients.add(ws);
                        handshakes.incrementAndGet();
                    } else {
                        ws.writeTextMessage("{\"error\":\"Unsupported protocol\"}" + RS);
                        ws.close();
                    }
                } else {
                    received.add(record);
                    if (record.contains("\"type\":7")) {
                        clients.remove(ws);
                        ws.close();
                    }
                }
            }
        });
        ws.closeHandler(v -> clients.remove(ws));
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the fake Shoko hub failed", e);
        }
    }
}
