package app.statustracker.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.config.TrackerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Radarr REST API v3 (protocols.md §2.5): the download queue, the history and the tags, for the reconciler; a movie,
 * every movie, and the writes: deleting a movie and asking for a search. A write is sent once: it is never retried
 * once it may have reached Radarr.
 */
@ApplicationScoped
public class RadarrClient {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final UpstreamHttp<RadarrApi> http;
    private final ArrReads<RadarrApi> reads;
    private final ObjectMapper mapper;

    @Inject
    public RadarrClient(TrackerConfig config, Vertx vertx, ObjectMapper mapper) {
        this(config.radarr().configured() ? config.radarr().baseUrl() : null, config.radarr().apiKey().orElse(null),
                vertx, mapper);
    }

    /**
     * @param baseUrl {@code http://host:port[/urlbase]}; null means not configured
     * @param apiKey  Radarr API key; null or blank means not configured
     */
    public RadarrClient(String baseUrl, String apiKey, Vertx vertx, ObjectMapper mapper) {
        this.mapper = mapper;
        this.http = new UpstreamHttp<>("radarr", "RADARR_API_KEY", baseUrl, apiKey, apiKey, TIMEOUT, RadarrApi.class,
                vertx, mapper);
        this.reads = new ArrReads<>("radarr", http, RadarrApi::queue, RadarrApi::historySince, RadarrApi::tags);
    }

    void stop(@Observes ShutdownEvent event) {
        http.close();
    }

    public boolean configured() {
        return http.configured();
    }

    /** {@code GET /api/v3/movie/{id}}: the movie resource (title, ids, alternate titles). */
    public Uni<JsonNode> movie(long movieId) {
        return http.getJson("/api/v3/movie/" + movieId, (api, key) -> api.movie(movieId, key));
    }

    /** The download queue, history and tags, as the reconciler reads them. */
    public ArrQueueHistory queueAndHistory() {
        return reads;
    }

    /** {@code GET /api/v3/movie}: every movie Radarr has, as it answers them. */
    public Uni<List<JsonNode>> allMovies() {
        String path = "/api/v3/movie";
        return http.getJson(path, (api, key) -> api.allMovies(key)).map(json -> list(json, path));
    }

    private static List<JsonNode> list(JsonNode json, String path) {
        if (json == null || !json.isArray()) {
            throw new UpstreamException("radarr", path, 200, "radarr GET " + path + ": expected a JSON array", null,
                    false);
        }
        List<JsonNode> all = new ArrayList<>();
        json.forEach(all::add);
        return Collections.unmodifiableList(all);
    }

    /**
     * {@code DELETE /api/v3/movie/{id}?deleteFiles=…&addImportExclusion=false}: true when Radarr deleted it, false
     * when it no longer had it (404). No import exclusion: the movie may be requested again.
     */
    public Uni<Boolean> deleteMovie(long movieId, boolean deleteFiles) {
        String path = "/api/v3/movie/" + movieId;
        return http.delete(path, (api, key) -> api.deleteMovie(movieId, deleteFiles, false, key));
    }

    /** {@code POST /api/v3/command {"name":"MoviesSearch","movieIds":[…]}}: the command as Radarr queued it. */
    public Uni<JsonNode> searchMovie(long movieId) {
        com.fasterxml.jackson.databind.node.ObjectNode command = mapper.createObjectNode().put("name", "MoviesSearch");
        command.putArray("movieIds").add(movieId);
        String body = command.toString();
        return http.postJson("/api/v3/command", (api, key) -> api.command(body, key));
    }


    /** {@code GET /api/v3/notification}: every connection with its fields and event flags (passwords masked by Radarr). */
    public Uni<List<JsonNode>> notifications() {
        String path = "/api/v3/notification";
        return http.getJson(path, (api, key) -> api.notifications(key)).map(json -> list(json, path));
    }

    /** {@code GET /api/v3/rootfolder}: {@code [{id, path, accessible, freeSpace}]}. */
    public Uni<List<JsonNode>> rootFolders() {
        String path = "/api/v3/rootfolder";
        return http.getJson(path, (api, key) -> api.rootFolders(key)).map(json -> list(json, path));
    }

    /** {@code GET /api/v3/health}: the current health check results ({@code [{source, type, message, wikiUrl}]}). */
    public Uni<List<JsonNode>> health() {
        String path = "/api/v3/health";
        return http.getJson(path, (api, key) -> api.health(key)).map(json -> list(json, path));
    }

    /**
     * {@code GET /api/v3/downloadclient}: every download client with only the settings the setup doctor reads (see
     * {@link SonarrClient#downloadClientSettings}); the username and password fields are dropped here.
     */
    public Uni<List<JsonNode>> downloadClients() {
        String path = "/api/v3/downloadclient";
        return http.getJson(path, (api, key) -> api.downloadClients(key))
                .map(json -> list(json, path).stream().map(SonarrClient::downloadClientSettings).toList());
    }

    /** {@code GET /api/v3/remotepathmapping}: {@code [{id, host, remotePath, localPath}]}. */
    public Uni<List<JsonNode>> remotePathMappings() {
        String path = "/api/v3/remotepathmapping";
        return http.getJson(path, (api, key) -> api.remotePathMappings(key)).map(json -> list(json, path));
    }
}
