package app.statustracker.client;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

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
 * Sonarr REST API v3 (protocols.md §1.8): a series' episodes, the Sonarr series id for a TVDB id, the download
 * queue, history and tags for the reconciler, every series, and the writes: deleting a series and asking for a
 * search. A write is sent once: it is never retried once it may have reached Sonarr.
 */
@ApplicationScoped
public class SonarrClient {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final UpstreamHttp<SonarrApi> http;
    private final ArrReads<SonarrApi> reads;
    private final ObjectMapper mapper;

    @Inject
    public SonarrClient(TrackerConfig config, Vertx vertx, ObjectMapper mapper) {
        this(config.sonarr().configured() ? config.sonarr().baseUrl() : null, config.sonarr().apiKey().orElse(null),
                vertx, mapper);
    }

    /**
     * @param baseUrl {@code http://host:port[/urlbase]}; null means not configured
     * @param apiKey  Sonarr API key; null or blank means not configured
     */
    public SonarrClient(String baseUrl, String apiKey, Vertx vertx, ObjectMapper mapper) {
        this.mapper = mapper;
        this.http = new UpstreamHttp<>("sonarr", "SONARR_API_KEY", baseUrl, apiKey, apiKey, TIMEOUT, SonarrApi.class,
                vertx, mapper);
        this.reads = new ArrReads<>("sonarr", http, SonarrApi::queue, SonarrApi::historySince, SonarrApi::tags);
    }

    void stop(@Observes ShutdownEvent event) {
        http.close();
    }

    public boolean configured() {
        return http.configured();
    }

    /** The download queue, history and tags, as the reconciler reads them. */
    public ArrQueueHistory queueAndHistory() {
        return reads;
    }

    /** {@code GET /api/v3/episode?seriesId=}: every episode Sonarr knows for the series, specials included. */
    public Uni<List<SonarrEpisode>> episodes(long seriesId) {
        String path = "/api/v3/episode";
        return http.getJson(path, (api, key) -> api.episodes(seriesId, key)).map(json -> {
            List<SonarrEpisode> episodes = new ArrayList<>();
            for (JsonNode node : array(json, path)) {
                Long id = UpstreamHttp.longValue(node, "id");
                if (id == null) {
                    continue;
                }
                episodes.add(new SonarrEpisode(id, orZero(UpstreamHttp.integer(node, "seasonNumber")),
                        orZero(UpstreamHttp.integer(node, "episodeNumber")), UpstreamHttp.text(node, "title"),
                        airDate(node), UpstreamHttp.bool(node, "monitored"), UpstreamHttp.bool(node, "hasFile")));
            }
            return Collections.unmodifiableList(episodes);
        });
    }

    /** {@code GET /api/v3/series?tvdbId=}: Sonarr's id for the series; empty when Sonarr does not have it. */
    public Uni<Optional<Long>> seriesIdByTvdb(long tvdbId) {
        String path = "/api/v3/series";
        return http.getJson(path, (api, key) -> api.series(tvdbId, key)).map(json -> {
            for (JsonNode node : array(json, path)) {
                // Checked here too: a Sonarr that ignored the filter would answer with every series.
                Long id = UpstreamHttp.longValue(node, "id");
                Long tvdb = UpstreamHttp.longValue(node, "tvdbId");
                if (id != null && tvdb != null && tvdb == tvdbId) {
                    return Optional.of(id);
                }
            }
            return Optional.<Long>empty();
        });
    }

    /** {@code GET /api/v3/series/{id}}: the series resource (title, ids, type, alternate titles). */
    public Uni<JsonNode> series(long seriesId) {
        return http.getJson("/api/v3/series/" + seriesId, (api, key) -> api.seriesById(seriesId, key));
    }

    /** {@code GET /api/v3/series}: every series Sonarr has, as it answers them. */
    public Uni<List<JsonNode>> allSeries() {
        String path = "/api/v3/series";
        return http.getJson(path, (api, key) -> api.allSeries(key)).map(json -> {
            List<JsonNode> all = new ArrayList<>();
            array(json, path).forEach(all::add);
            return Collections.unmodifiableList(all);
        });
    }

    /**
     * {@code DELETE /api/v3/series/{id}?deleteFiles=…&addImportListExclusion=false}: true when Sonarr deleted it,
     * false when it no longer had it (404). No import-list exclusion: the media may be requested again.
     */
    public Uni<Boolean> deleteSeries(long seriesId, boolean deleteFiles) {
        String path = "/api/v3/series/" + seriesId;
        return http.delete(path, (api, key) -> api.deleteSeries(seriesId, deleteFiles, false, key));
    }

    /** {@code POST /api/v3/command {"name":"SeriesSearch","seriesId":…}}: the command as Sonarr queued it. */
    public Uni<JsonNode> searchSeries(long seriesId) {
        String body = mapper.createObjectNode().put("name", "SeriesSearch").put("seriesId", seriesId).toString();
        return http.postJson("/api/v3/command", (api, key) -> api.command(body, key));
    }


    private static JsonNode array(JsonNode json, String path) {
        if (json == null || !json.isArray()) {
            throw new UpstreamException("sonarr", path, 200, "sonarr GET " + path + ": expected a JSON array, got "
                    + (json == null ? "nothing" : json.getNodeType().name().toLowerCase(java.util.Locale.ROOT)), null,
                    false);
        }
        return json;
    }

    /** {@code airDate} (yyyy-MM-dd, the local air date), else the date part of {@code airDateUtc}. */
    static LocalDate airDate(JsonNode node) {
        LocalDate date = date(UpstreamHttp.text(node, "airDate"));
        return date != null ? date : date(UpstreamHttp.text(node, "airDateUtc"));
    }

    private static LocalDate date(String value) {
        if (value == null || value.length() < 10) {
            return null;
        }
        try {
            return LocalDate.parse(value.substring(0, 10));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** {@code GET /api/v3/notification}: every connection with its fields and event flags (passwords masked by Sonarr). */
    public Uni<List<JsonNode>> notifications() {
        String path = "/api/v3/notification";
        return http.getJson(path, (api, key) -> api.notifications(key)).map(json -> {
            List<JsonNode> all = new ArrayList<>();
            array(json, path).forEach(all::add);
            return Collections.unmodifiableList(all);
        });
    }

    /** {@code GET /api/v3/rootfolder}: {@code [{id, path, accessible, freeSpace}]}. */
    public Uni<List<JsonNode>> rootFolders() {
        String path = "/api/v3/rootfolder";
        return http.getJson(path, (api, key) -> api.rootFolders(key)).map(json -> {
            List<JsonNode> all = new ArrayList<>();
            array(json, path).forEach(all::add);
            return Collections.unmodifiableList(all);
        });
    }

    /** {@code GET /api/v3/health}: the current health check results ({@code [{source, type, message, wikiUrl}]}). */
    public Uni<List<JsonNode>> health() {
        String path = "/api/v3/health";
        return http.getJson(path, (api, key) -> api.health(key)).map(json -> {
            List<JsonNode> all = new ArrayList<>();
            array(json, path).forEach(all::add);
            return Collections.unmodifiableList(all);
        });
    }

    /**
     * {@code GET /api/v3/downloadclient}: every download client with only the settings the setup doctor reads
     * ({@link #downloadClientSettings}); the username and password fields are dropped here.
     */
    public Uni<List<JsonNode>> downloadClients() {
        String path = "/api/v3/downloadclient";
        return http.getJson(path, (api, key) -> api.downloadClients(key)).map(json -> {
            List<JsonNode> all = new ArrayList<>();
            array(json, path).forEach(c -> all.add(downloadClientSettings(c)));
            return Collections.unmodifiableList(all);
        });
    }

    /** {@code GET /api/v3/remotepathmapping}: {@code [{id, host, remotePath, localPath}]}. */
    public Uni<List<JsonNode>> remotePathMappings() {
        String path = "/api/v3/remotepathmapping";
        return http.getJson(path, (api, key) -> api.remotePathMappings(key)).map(json -> {
            List<JsonNode> all = new ArrayList<>();
            array(json, path).forEach(all::add);
            return Collections.unmodifiableList(all);
        });
    }

    /** The download client settings the setup doctor needs (Sonarr's and Radarr's field names). */
    private static final java.util.Set<String> CLIENT_FIELDS = java.util.Set.of("host", "port", "useSsl", "urlBase",
            "tvCategory", "tvImportedCategory", "movieCategory", "movieImportedCategory");
    private static final java.util.Set<String> CLIENT_PROPERTIES = java.util.Set.of("id", "name", "enable", "protocol",
            "priority", "implementation", "implementationName", "removeCompletedDownloads", "removeFailedDownloads");

    /**
     * A download client resource reduced to what the setup doctor reads: its name, kind, whether it is enabled, and
     * the host, port and category fields. Everything else (username, password, API keys of other clients) is left out,
     * so that no credential travels further than this client, masked or not.
     */
    static JsonNode downloadClientSettings(JsonNode client) {
        com.fasterxml.jackson.databind.node.ObjectNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode();
        for (String property : CLIENT_PROPERTIES) {
            JsonNode value = client.get(property);
            if (value != null && value.isValueNode()) {
                out.set(property, value);
            }
        }
        com.fasterxml.jackson.databind.node.ArrayNode fields = out.putArray("fields");
        for (JsonNode field : client.path("fields")) {
            String name = field.path("name").asText("");
            if (CLIENT_FIELDS.contains(name)) {
                com.fasterxml.jackson.databind.node.ObjectNode kept = fields.addObject().put("name", name);
                JsonNode value = field.get("value");
                if (value != null && value.isValueNode()) {
                    kept.set("value", value);
                }
            }
        }
        return out;
    }
}
