package app.statustracker.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;

/**
 * The reads Sonarr's and Radarr's REST API v3 share (protocols.md §1.8, §2.5): the download queue (every page),
 * the history since a moment, and tag labels. Used by {@link SonarrClient} and {@link RadarrClient} over their own
 * {@link UpstreamHttp}, so each upstream keeps one client with one set of timeouts, retries and breaker.
 *
 * @param <A> the upstream's REST client interface
 */
final class ArrReads<A> implements ArrQueueHistory {

    /** A call on the upstream's interface with query parameters and the API key. */
    @FunctionalInterface
    interface QueryCall<A> {
        Uni<RestResponse<String>> call(A api, Map<String, String> query, String key);
    }

    /** Queue records per page (Sonarr's UI asks for 20; the API accepts more). */
    static final int PAGE_SIZE = 100;
    /** Paging stops here even if the upstream keeps answering (10 000 queued items). */
    static final int MAX_PAGES = 100;

    private final String name;
    private final boolean tv;
    private final UpstreamHttp<A> http;
    private final QueryCall<A> queueCall;
    private final QueryCall<A> historyCall;
    private final java.util.function.BiFunction<A, String, Uni<RestResponse<String>>> tagsCall;

    /** @param name {@code sonarr} (series and episodes in the records) or {@code radarr} (the movie) */
    ArrReads(String name, UpstreamHttp<A> http, QueryCall<A> queue, QueryCall<A> history,
            java.util.function.BiFunction<A, String, Uni<RestResponse<String>>> tags) {
        this.name = name;
        this.tv = "sonarr".equals(name);
        this.http = http;
        this.queueCall = queue;
        this.historyCall = history;
        this.tagsCall = tags;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean configured() {
        return http.configured();
    }

    @Override
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
        return http.getJson(path, (api, key) -> queueCall.call(api, query, key)).chain(json -> {
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

    @Override
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
        return http.getJson(path, (api, key) -> historyCall.call(api, query, key)).map(json -> {
            if (json == null || !json.isArray()) {
                throw notAsExpected(path, "a JSON array", json);
            }
            List<JsonNode> records = new ArrayList<>(json.size());
            json.forEach(records::add);
            return Collections.unmodifiableList(records);
        });
    }

    @Override
    public Uni<Map<Long, String>> tagLabels() {
        String path = "/api/v3/tag";
        return http.getJson(path, tagsCall).map(json -> {
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
