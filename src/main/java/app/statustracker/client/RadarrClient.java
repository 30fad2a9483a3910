package app.statustracker.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.config.TrackerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Radarr REST API v3 (protocols.md §2.5): the download queue, the history and the tags, for the reconciler. */
@ApplicationScoped
public class RadarrClient implements ArrQueueHistory {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final UpstreamHttp<RadarrApi> http;
    private final ArrReads<RadarrApi> reads;

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
        this.http = new UpstreamHttp<>("radarr", "RADARR_API_KEY", baseUrl, apiKey, apiKey, TIMEOUT, RadarrApi.class,
                vertx, mapper);
        this.reads = new ArrReads<>("radarr", http, new ArrReads.Calls<>() {
            @Override
            public Uni<RestResponse<String>> queue(RadarrApi api, Map<String, String> query,
                    String key) {
                return api.queue(query, key);
            }

            @Override
            public Uni<RestResponse<String>> historySince(RadarrApi api,
                    Map<String, String> query, String key) {
                return api.historySince(query, key);
            }

            @Override
            public Uni<RestResponse<String>> tags(RadarrApi api, String key) {
                return api.tags(key);
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        http.close();
    }

    @Override
    public String name() {
        return "radarr";
    }

    @Override
    public boolean configured() {
        return http.configured();
    }

    @Override
    public Uni<List<JsonNode>> queue() {
        return reads.queue();
    }

    @Override
    public Uni<List<JsonNode>> historySince(Instant since) {
        return reads.historySince(since);
    }

    @Override
    public Uni<Map<Long, String>> tagLabels() {
        return reads.tagLabels();
    }
}
