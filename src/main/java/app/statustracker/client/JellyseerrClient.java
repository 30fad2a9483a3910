package app.statustracker.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
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

/**
 * Jellyseerr REST (protocols.md §3.5): how many episodes each season of a show has, the requests changed lately,
 * a movie's or show's details, and for a deletion: deleting a request and the media entry. A write is sent once: it
 * is never retried once it may have reached Jellyseerr.
 */
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

    /** Requests per page when reading what changed. */
    static final int REQUEST_PAGE = 100;
    /** Paging stops here even if every request changed (1 000 requests). */
    static final int MAX_REQUEST_PAGES = 10;

    /**
     * {@code GET /api/v1/request?filter=all&sort=modified}: the requests changed since that moment, newest change
     * first, read page by page until an older one appears.
     */
    public Uni<List<JsonNode>> requestsChangedSince(Instant since) {
        return requestPage(0, since, new ArrayList<>());
    }

    private Uni<List<JsonNode>> requestPage(int page, Instant since, List<JsonNode> collected) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("take", String.valueOf(REQUEST_PAGE));
        query.put("skip", String.valueOf(page * REQUEST_PAGE));
        query.put("filter", "all");
        query.put("sort", "modified");
        String path = "/api/v1/request";
        return http.getJson(path, (api, key) -> api.requests(query, key)).chain(json -> {
            JsonNode results = json == null ? null : json.get("results");
            if (results == null || !results.isArray()) {
                return Uni.createFrom().failure(new UpstreamException("jellyseerr", path, 200,
                        "jellyseerr GET " + path + ": expected a page with results[]", null, false));
            }
            boolean older = false;
            for (JsonNode r : results) {
                Instant updated = instant(UpstreamHttp.text(r, "updatedAt"));
                if (updated != null && updated.isBefore(since)) {
                    older = true; // newest first: the rest of the list is older still
                    break;
                }
                collected.add(r);
            }
            boolean more = !older && results.size() == REQUEST_PAGE && page + 1 < MAX_REQUEST_PAGES;
            return more ? requestPage(page + 1, since, collected)
                    : Uni.createFrom().item(Collections.unmodifiableList(collected));
        });
    }

    /**
     * {@code GET /api/v1/movie/{tmdbId}} or {@code /api/v1/tv/{tmdbId}}: title, year and poster path of what a
     * request asks for (its own resource names only ids).
     */
    public Uni<MediaDetails> details(boolean tv, long tmdbId) {
        String path = (tv ? "/api/v1/tv/" : "/api/v1/movie/") + tmdbId;
        return http.getJson(path, (api, key) -> tv ? api.tv(tmdbId, key) : api.movie(tmdbId, key)).map(json -> {
            String title = UpstreamHttp.text(json, tv ? "name" : "title");
            String date = UpstreamHttp.text(json, tv ? "firstAirDate" : "releaseDate");
            Integer year = date != null && date.length() >= 4 && date.substring(0, 4).chars().allMatch(Character::isDigit)
                    ? Integer.valueOf(date.substring(0, 4)) : null;
            return new MediaDetails(title, year, UpstreamHttp.text(json, "posterPath"));
        });
    }

    /**
     * {@code DELETE /api/v1/request/{id}}: true when Jellyseerr deleted it, false when it no longer had it (404).
     */
    public Uni<Boolean> deleteRequest(long requestId) {
        return http.delete("/api/v1/request/" + requestId, (api, key) -> api.deleteRequest(requestId, key));
    }

    /**
     * The id of Jellyseerr's media entry for a movie or show ({@code mediaInfo.id} of {@code GET /api/v1/movie/{tmdb}}
     * or {@code /api/v1/tv/{tmdb}}); empty when Jellyseerr has no entry for it (never requested, or TMDB does not
     * know it: 404).
     */
    public Uni<Optional<Long>> mediaIdFor(app.statustracker.MediaType mediaType, long tmdbId) {
        boolean tv = mediaType == app.statustracker.MediaType.TV;
        String path = (tv ? "/api/v1/tv/" : "/api/v1/movie/") + tmdbId;
        return http.getJson(path, (api, key) -> tv ? api.tv(tmdbId, key) : api.movie(tmdbId, key))
                .map(json -> Optional.ofNullable(UpstreamHttp.longValue(json == null ? null : json.get("mediaInfo"),
                        "id")))
                .onFailure(f -> f instanceof UpstreamException u && u.notFound()).recoverWithItem(Optional.empty());
    }

    /**
     * {@code DELETE /api/v1/media/{id}}: removes the media entry, so Jellyseerr stops showing it as available and it
     * can be requested again; true when deleted, false when it no longer had it (404).
     */
    public Uni<Boolean> deleteMedia(long mediaId) {
        return http.delete("/api/v1/media/" + mediaId, (api, key) -> api.deleteMedia(mediaId, key));
    }




    /** What Jellyseerr knows about a movie or series (from TMDB). */
    public record MediaDetails(String title, Integer year, String posterPath) {
    }

    private static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** {@code GET /api/v1/settings/notifications/webhook}: {@code enabled}, {@code types}, {@code options.webhookUrl}. */
    public Uni<JsonNode> webhookSettings() {
        return http.getJson("/api/v1/settings/notifications/webhook", (api, key) -> api.webhookSettings(key));
    }
}
