package app.statustracker.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Sonarr's or Radarr's download queue (every page), history since a moment, and tag labels: what the reconciler
 * reads to find what a lost webhook would have said. One instance per upstream ({@link ArrClients}).
 */
public class ArrClient {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Queue records per page (Sonarr's UI asks for 20; the API accepts more). */
    static final int PAGE_SIZE = 100;
    /** Paging stops here even if the upstream keeps answering (10 000 queued items). */
    static final int MAX_PAGES = 100;

    private final String name;
    private final boolean tv;
    private final UpstreamHttp<ArrApi> http;

    /**
     * @param name    {@code sonarr} or {@code radarr}
     * @param baseUrl {@code http://host:port[/urlbase]}; null means not configured
     * @param apiKey  the API key; null or blank means not configured
     */
    public ArrClient(String name, String baseUrl, String apiKey, Vertx vertx, ObjectMapper mapper) {
        this.name = name;
        this.tv = "sonarr".equals(name);
        this.http = new UpstreamHttp<>(name, name.toUpperCase(java.util.Locale.ROOT) + "_API_KEY", baseUrl, apiKey,
                apiKey, TIMEOUT, ArrApi.class, vertx, mapper);
    }

    public String name() {
        return name;
    }

    public boolean configured() {
        return http.configured();
    }

    void close() {
        http.close();
    }

    /**
     * {@code GET /api/v3/queue}, every page, with the series and episode (Sonarr) or the movie (Radarr) of each
     * record. Sonarr lists one record per episode; the records of a season pack share their downloadId.
     */
    public Uni<List<JsonNode>> queue() {
        return queuePage(1, new ArrayList<>());
    }

    private Uni<List<JsonNode>> queuePage(int page, List<JsonNode> collected) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("page", String.valueOf(page));
        query.put("pageSize", String.valueOf(PAGE_SIZE));
        if (tv) {
            query.put("includeSeries", "true");
            query.put("includeEpisode", "true");
        } else {
            query.put("includeMovie", "true");
        }
        String path = "/api/v3/queue";
        return http.getJson(path, (api, key) -> api.queue(query, key)).chain(json -> {
            JsonNode records = json == null ? null : json.get("records");
            if (records == null || !records.isArray()) {
                return Uni.createFrom().failure(notAsExpected(path, "a page with records[]", json));
            }
            records.forEach(collected::add);
            Integer total = UpstreamHttp.integer(json, "totalRecords");
            boolean more = !records.isEmpty() && total != null && collected.size() < total && page < MAX_PAGES;
            return more ? queuePage(page + 1, collected)
                    : Uni.createFrom().item(Collections.unmodifiableList(collected));
        });
    }

    /**
     * {@code GET /api/v3/history/since?date=}: every history record from that moment on, oldest first, with its
     * series and episode (Sonarr) or movie (Radarr).
     */
    public Uni<List<JsonNode>> historySince(Instant since) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("date", since.toString());
        if (tv) {
            query.put("includeSeries", "true");
            query.put("includeEpisode", "true");
        } else {
            query.put("includeMovie", "true");
        }
        String path = "/api/v3/history/since";
        return http.getJson(path, (api, key) -> api.historySince(query, key)).map(json -> {
            if (json == null || !json.isArray()) {
                throw notAsExpected(path, "a JSON array", json);
            }
            List<JsonNode> records = new ArrayList<>(json.size());
            json.forEach(records::add);
            return Collections.unmodifiableList(records);
        });
    }

    /** {@code GET /api/v3/tag}: label by tag id (the API lists tags of series and movies by id). */
    public Uni<Map<Long, String>> tagLabels() {
        String path = "/api/v3/tag";
        return http.getJson(path, ArrApi::tags).map(json -> {
            if (json == null || !json.isArray()) {
                throw notAsExpected(path, "a JSON array", json);
            }
            Map<Long, String> labels = new HashMap<>();
            for (JsonNode tag : json) {
                Long id = UpstreamHttp.longValue(tag, "id");
                String label = UpstreamHttp.text(tag, "label");
                if (id != null && label != null) {
                    labels.put(id, label);
                }
            }
            return Collections.unmodifiableMap(labels);
        });
    }

    private UpstreamException notAsExpected(String path, String expected, JsonNode json) {
        return new UpstreamException(name, path, 200, name + " GET " + path + ": expected " + expected + ", got "
                + (json == null ? "nothing" : json.getNodeType().name().toLowerCase(java.util.Locale.ROOT)), null,
                false);
    }
}
