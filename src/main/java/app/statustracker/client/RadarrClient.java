package app.statustracker.client;

import java.time.Duration;

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
public class RadarrClient {

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
}
