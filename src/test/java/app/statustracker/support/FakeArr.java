package app.statustracker.support;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Sonarr's and Radarr's queue ({@code GET /api/v3/queue}, paged as they page it) and history
 * ({@code GET /api/v3/history/since?date=}) for {@link FakeMediaServer}, in the REST API v3 shapes of protocols.md
 * §1.8 and §2.5. Which of the two answers is told by the API key, as on a real network where they are two hosts.
 */
public final class FakeArr {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One *arr's state. */
    public static final class Arr {
        public final List<ObjectNode> queue = new CopyOnWriteArrayList<>();
        public final List<ObjectNode> history = new CopyOnWriteArrayList<>();
        public final ArrayNode tags = JSON.createArrayNode();
        /** Series (Sonarr) or movie (Radarr) resources by id: {@code GET /api/v3/series/{id}}, {@code /api/v3/movie/{id}}. */
        public final Map<Long, ObjectNode> resources = new java.util.concurrent.ConcurrentHashMap<>();
        /** When set, every queue/history/tag call answers with this status (an *arr that is down or broken). */
        public volatile Integer failWith;

        void reset() {
            queue.clear();
            history.clear();
            tags.removeAll();
            resources.clear();
            failWith = null;
        }

        public Arr tag(long id, String label) {
            tags.addObject().put("id", id).put("label", label);
            return this;
        }

        /** A history record with its date; {@code data} values are strings, as the *arrs send them. */
        public ObjectNode history(String eventType, Instant date, String downloadId, ObjectNode media) {
            ObjectNode h = JSON.createObjectNode();
            h.put("id", history.size() + 1);
            h.put("eventType", eventType);
            h.put("date", date.toString());
            if (downloadId != null) {
                h.put("downloadId", downloadId);
            }
            h.setAll(media);
            h.putObject("data");
            history.add(h);
            return h;
        }
    }

    public static final Arr SONARR = new Arr();
    public static final Arr RADARR = new Arr();
    /** Jellyseerr's request resources ({@code GET /api/v1/request}), in any order; served newest change first. */
    public static final List<ObjectNode> JELLYSEERR_REQUESTS = new CopyOnWriteArrayList<>();
    /** Jellyseerr's movie and series details by "movie/ID" or "tv/ID" ({@code /api/v1/movie/ID}, {@code /api/v1/tv/ID}). */
    public static final Map<String, ObjectNode> JELLYSEERR_MEDIA = new java.util.concurrent.ConcurrentHashMap<>();

    private FakeArr() {
    }

    public static void reset() {
        SONARR.reset();
        RADARR.reset();
        JELLYSEERR_REQUESTS.clear();
        JELLYSEERR_MEDIA.clear();
    }

    /** A Jellyseerr request resource (protocols.md §3.5): status 1 pending, 2 approved, 3 declined, 4 failed, 5 completed. */
    public static ObjectNode jellyseerrRequest(long id, int status, String type, long tmdbId, Long tvdbId, String user,
            Instant updatedAt, int... seasons) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", id).put("status", status).put("type", type).put("is4k", false)
                .put("createdAt", updatedAt.minusSeconds(60).toString()).put("updatedAt", updatedAt.toString());
        ObjectNode media = r.putObject("media");
        media.put("id", id + 1000).put("mediaType", type).put("tmdbId", tmdbId).put("status", 2);
        if (tvdbId != null) {
            media.put("tvdbId", tvdbId);
        } else {
            media.putNull("tvdbId");
        }
        r.putObject("requestedBy").put("id", 3).put("displayName", user).put("jellyfinUsername", user);
        ArrayNode list = r.putArray("seasons");
        for (int s : seasons) {
            list.addObject().put("id", s + 500).put("seasonNumber", s).put("status", status);
        }
        return r;
    }

    /** Jellyseerr's details of a movie ({@code title}, {@code releaseDate}) or series ({@code name}, {@code firstAirDate}). */
    public static void jellyseerrMedia(String type, long tmdbId, String title, String date, String posterPath,
            int... episodesPerSeason) {
        ObjectNode m = JSON.createObjectNode();
        m.put("id", tmdbId).put(type.equals("tv") ? "name" : "title", title)
                .put(type.equals("tv") ? "firstAirDate" : "releaseDate", date).put("posterPath", posterPath);
        ArrayNode seasons = m.putArray("seasons"); // from season 0 (specials) on, as TMDB lists them
        for (int i = 0; i < episodesPerSeason.length; i++) {
            seasons.addObject().put("seasonNumber", i).put("episodeCount", episodesPerSeason[i]);
        }
        JELLYSEERR_MEDIA.put(type + "/" + tmdbId, m);
    }

    /** A quality object as the API nests it: {@code {"quality":{"name":…}}}. */
    public static ObjectNode quality(String name) {
        ObjectNode q = JSON.createObjectNode();
        q.putObject("quality").put("id", 7).put("name", name);
        q.putObject("revision").put("version", 1);
        return q;
    }

    /** The answer for an *arr queue, history or tag path, or null when the path is not one of those. */
    static Object answer(String path, Map<String, String> query, String apiKey) {
        if (FakeMediaServer.JELLYSEERR_KEY.equals(apiKey)) {
            return jellyseerr(path, query);
        }
        java.util.regex.Matcher byId = java.util.regex.Pattern.compile("/api/v3/(series|movie)/(\\d+)").matcher(path);
        if (byId.matches()) {
            Arr arr = byId.group(1).equals("movie") ? RADARR : SONARR;
            ObjectNode resource = arr.resources.get(Long.valueOf(byId.group(2)));
            return resource != null ? resource
                    : new Failure(404, JSON.createObjectNode().put("message", "NotFound"));
        }
        if (!path.equals("/api/v3/queue") && !path.equals("/api/v3/history/since") && !path.equals("/api/v3/tag")) {
            return null;
        }
        Arr arr = FakeMediaServer.RADARR_KEY.equals(apiKey) ? RADARR
                : FakeMediaServer.SONARR_KEY.equals(apiKey) ? SONARR : null;
        if (arr == null) {
            return new Failure(401, JSON.createObjectNode().put("message", "Unauthorized"));
        }
        if (arr.failWith != null) {
            return new Failure(arr.failWith, JSON.createObjectNode().put("message", "failing on purpose"));
        }
        switch (path) {
            case "/api/v3/tag":
                return arr.tags;
            case "/api/v3/queue": {
                int page = Integer.parseInt(query.getOrDefault("page", "1"));
                int size = Integer.parseInt(query.getOrDefault("pageSize", "10"));
                ObjectNode envelope = JSON.createObjectNode();
                envelope.put("page", page).put("pageSize", size).put("sortKey", "timeleft")
                        .put("sortDirection", "ascending").put("totalRecords", arr.queue.size());
                ArrayNode records = envelope.putArray("records");
                arr.queue.stream().skip((long) (page - 1) * size).limit(size).forEach(records::add);
                return envelope;
            }
            default: {
                Instant since = Instant.parse(query.get("date"));
                ArrayNode records = JSON.createArrayNode();
                arr.history.stream().filter(h -> !Instant.parse(h.get("date").asText()).isBefore(since))
                        .forEach(records::add);
                return records;
            }
        }
    }

    private static Object jellyseerr(String path, Map<String, String> query) {
        if (path.equals("/api/v1/request")) {
            int take = Integer.parseInt(query.getOrDefault("take", "10"));
            int skip = Integer.parseInt(query.getOrDefault("skip", "0"));
            List<ObjectNode> sorted = new java.util.ArrayList<>(JELLYSEERR_REQUESTS);
            sorted.sort(java.util.Comparator.comparing((ObjectNode r) -> Instant.parse(r.get("updatedAt").asText()))
                    .reversed());
            ObjectNode page = JSON.createObjectNode();
            page.putObject("pageInfo").put("pages", (sorted.size() + take - 1) / Math.max(1, take))
                    .put("pageSize", take).put("results", sorted.size()).put("page", skip / Math.max(1, take) + 1);
            ArrayNode results = page.putArray("results");
            sorted.stream().skip(skip).limit(take).forEach(results::add);
            return page;
        }
        for (String kind : List.of("movie", "tv")) {
            String prefix = "/api/v1/" + kind + "/";
            if (path.startsWith(prefix) && JELLYSEERR_MEDIA.containsKey(kind + "/" + path.substring(prefix.length()))) {
                return JELLYSEERR_MEDIA.get(kind + "/" + path.substring(prefix.length()));
            }
        }
        if (path.startsWith("/api/v1/movie/")) {
            return new Failure(404, JSON.createObjectNode().put("message", "Unable to retrieve movie."));
        }
        return null; // the series' season counts: FakeMediaServer's
    }

    /**
     * Sonarr's, Radarr's and Jellyseerr's answers to anything but GET (told apart by the API key); null when not
     * faked, so that the caller answers 404.
     */
    static Failure write(String method, String path, Map<String, String> query, String apiKey, String body) {
        return null;
    }

    /** An answer with its status (also non-error ones from {@link #write}); a null body sends none. */
    record Failure(int status, Object body) {
    }
}
