package app.statustracker.client;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.config.TrackerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Jellyseerr REST (protocols.md §3.5): how many episodes each season of a show has. */
@ApplicationScoped
public class JellyseerrClient {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final UpstreamHttp<JellyseerrApi> http;

    @Inject
    public JellyseerrClient(TrackerConfig config, Vertx vertx, ObjectMapper mapper) {
        this(config.jellyseerr().configured() ? config.jellyseerr().baseUrl() : null,
                config.jellyseerr().apiKey().orElse(null), vertx, mapper);
    }

    /**
     * @param baseUrl {@code http://host:port}; null means not configured
     * @param apiKey  Jellyseerr API key; null or blank means not configured
     */
    public JellyseerrClient(String baseUrl, String apiKey, Vertx vertx, ObjectMapper mapper) {
        this.http = new UpstreamHttp<>("jellyseerr", "JELLYSEERR_API_KEY", baseUrl, apiKey, apiKey, TIMEOUT,
                JellyseerrApi.class, vertx, mapper);
    }

    void stop(@Observes ShutdownEvent event) {
        http.close();
    }

    public boolean configured() {
        return http.configured();
    }

    /**
     * {@code GET /api/v1/tv/{tmdbId}} → season number → episode count, in season order, specials (season 0) included
     * when TMDB lists them. A 404 (TMDB does not know the show) is an {@link UpstreamException} with status 404.
     */
    public Uni<Map<Integer, Integer>> seasonEpisodeCounts(long tmdbId) {
        return http.getJson("/api/v1/tv/" + tmdbId, (api, key) -> api.tv(tmdbId, key)).map(json -> {
            TreeMap<Integer, Integer> counts = new TreeMap<>();
            JsonNode seasons = json == null ? null : json.get("seasons");
            if (seasons != null && seasons.isArray()) {
                for (JsonNode season : seasons) {
                    Integer number = UpstreamHttp.integer(season, "seasonNumber");
                    if (number != null) {
                        Integer count = UpstreamHttp.integer(season, "episodeCount");
                        counts.put(number, count == null ? 0 : count);
                    }
                }
            }
            return Collections.unmodifiableSortedMap(counts);
        });
    }
}
