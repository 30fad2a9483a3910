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
 * §1.8 and §2.5, their full lists ({@code GET /api/v3/series}, {@code /api/v3/movie}), and the writes of the deletion
 * sync and the searches: Sonarr's and Radarr's {@code DELETE} and {@code POST /api/v3/command}, Jellyseerr's
 * {@code DELETE /api/v1/request/{id}} and {@code /api/v1/media/{id}}. Which upstream answers is told by the API key, as
 * on a real network where they are separate hosts. Every write is recorded ({@link #WRITES}).
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
        /**
         * When set, every queue/history/tag/list call and every write answers with this status (an *arr that is down
         * or broken).
         */
        public volatile Integer failWith;
        /** What {@code GET /api/v3/series} (Sonarr) or {@code GET /api/v3/movie} (Radarr) lists. */
        public final ArrayNode library = JSON.createArrayNode();
        /** What {@code GET /api/v3/notification} lists: the connections (NotificationResource shape). */
        public final ArrayNode notifications = JSON.createArrayNode();
        /** What {@code GET /api/v3/rootfolder} lists ({@code [{id, path, accessible, freeSpace}]}). */
        public final ArrayNode rootFolders = JSON.createArrayNode();
        /** What {@code GET /api/v3/health} lists (HealthResource: {@code source, type, message, wikiUrl}). */
        public final ArrayNode health = JSON.createArrayNode();
        /** What {@code GET /api/v3/downloadclient} lists (DownloadClientResource, with {@code fields}). */
        public final ArrayNode downloadClients = JSON.createArrayNode();
        /** What {@code GET /api/v3/remotepathmapping} lists ({@code [{id, host, remotePath, localPath}]}). */
        public final ArrayNode remotePathMappings = JSON.createArrayNode();
        /** Series or movie ids it no longer has: a {@code DELETE} of one answers 404. */
        public final java.util.Set<Long> gone = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /**
         * When set, a write waits until it is counted down (at most 20 s) before it is answered: a slow *arr, to
         * catch the deletion while it runs. The fake answers one request at a time, so everything else waits too.
         */
        public volatile java.util.concurrent.CountDownLatch holdWrites;

        void reset() {
            queue.clear();
            history.clear();
            tags.removeAll();
            resources.clear();
            library.removeAll();
            notifications.removeAll();
            rootFolders.removeAll();
            health.removeAll();
            downloadClients.removeAll();
            remotePathMappings.removeAll();
            gone.clear();
            failWith = null;
            java.util.concurrent.CountDownLatch held = holdWrites;
            holdWrites = null;
            if (held != null) {
                held.countDown();
            }
        }

        /** A root folder as {@code GET /api/v3/rootfolder} lists it. */
        public Arr rootFolder(long id, String path) {
            rootFolders.addObject().put("id", id).put("path", path).put("accessible", true)
                    .put("freeSpace", 500_000_000_000L).putArray("unmappedFolders");
            return this;
        }

        /**
         * A health check result as {@code GET /api/v3/health} lists it: {@code source} is the check's class name
         * ({@code NotificationStatusCheck}), {@code type} ok, notice, warning or error.
         */
        public Arr healthIssue(String source, String type, String message, String wikiAnchor) {
            health.addObject().put("source", source).put("type", type).put("message", message)
                    .put("wikiUrl", "https://wiki.servarr.com/" + (this == RADARR ? "radarr" : "sonarr")
                            + "/system#" + wikiAnchor);
            return this;
        }

        /**
         * A qBittorrent download client as {@code GET /api/v3/downloadclient} lists it (Sonarr v4 / Radarr v5
         * DownloadClientResource): the category field is {@code tvCategory} (Sonarr) or {@code movieCategory}
         * (Radarr); the password comes masked, as the *arrs send it.
         */
        public ObjectNode qbittorrentClient(long id, String name, String host, int port, String category) {
            boolean tv = this == SONARR;
            ObjectNode c = downloadClients.addObject();
            c.put("enable", true).put("protocol", "torrent").put("priority", 1).put("removeCompletedDownloads", true)
                    .put("removeFailedDownloads", true).put("name", name);
            ArrayNode fields = c.putArray("fields");
            field(fields, 0, "host", "Host", "textbox").put("value", host);
            field(fields, 1, "port", "Port", "textbox").put("value", port);
            field(fields, 2, "useSsl", "Use SSL", "checkbox").put("value", false);
            field(fields, 3, "urlBase", "URL Base", "textbox");
            field(fields, 4, "username", "Username", "textbox").put("value", "admin").put("privacy", "userName");
            field(fields, 5, "password", "Password", "password").put("value", "********").put("privacy", "password");
            ObjectNode cat = field(fields, 6, tv ? "tvCategory" : "movieCategory", "Category", "textbox");
            if (category != null) {
                cat.put("value", category);
            }
            field(fields, 7, tv ? "tvImportedCategory" : "movieImportedCategory", "Post-Import Category", "textbox");
            field(fields, 8, tv ? "recentTvPriority" : "recentMoviePriority", "Recent Priority", "select")
                    .put("value", 0);
            field(fields, 9, tv ? "olderTvPriority" : "olderMoviePriority", "Older Priority", "select").put("value", 0);
            field(fields, 10, "initialState", "Initial State", "select").put("value", 0);
            c.put("implementationName", "qBittorrent").put("implementation", "QBittorrent")
                    .put("configContract", "QBittorrentSettings")
                    .put("infoLink", "https://wiki.servarr.com/" + (tv ? "sonarr" : "radarr") + "/supported#qbittorrent");
            c.putArray("tags");
            c.put("id", id);
            return c;
        }

        private static ObjectNode field(ArrayNode fields, int order, String name, String label, String type) {
            return fields.addObject().put("order", order).put("name", name).put("label", label).put("type", type)
                    .put("advanced", false).put("privacy", "normal").put("isFloat", false);
        }

        /** A remote path mapping as {@code GET /api/v3/remotepathmapping} lists it. */
        public Arr remotePathMapping(long id, String host, String remotePath, String localPath) {
            remotePathMappings.addObject().put("host", host).put("remotePath", remotePath).put("localPath", localPath)
                    .put("id", id);
            return this;
        }

        /**
         * A queue record (QueueResource, protocols.md §1.8) in a tracked download state ({@code importBlocked},
         * {@code importPending}, {@code downloading}, …) with its status messages: {@code {title, messages[]}}.
         */
        public ObjectNode queueRecord(long id, String title, String downloadId, String trackedDownloadState,
                String statusMessageTitle, String... messages) {
            ObjectNode q = JSON.createObjectNode();
            q.put("id", id);
            if (this == SONARR) {
                q.put("seriesId", 42).put("episodeId", 4200 + id).put("seasonNumber", 1);
            } else {
                q.put("movieId", 17);
            }
            q.put("size", 1_500_000_000L).put("title", title).put("status", "completed")
                    .put("trackedDownloadStatus", "importBlocked".equals(trackedDownloadState)
                            || messages.length > 0 ? "warning" : "ok")
                    .put("trackedDownloadState", trackedDownloadState);
            ArrayNode statusMessages = q.putArray("statusMessages");
            if (statusMessageTitle != null) {
                ArrayNode lines = statusMessages.addObject().put("title", statusMessageTitle).putArray("messages");
                for (String m : messages) {
                    lines.add(m);
                }
            }
            q.put("downloadId", downloadId).put("protocol", "torrent").put("downloadClient", "qBittorrent")
                    .put("downloadClientHasPostImportCategory", false).put("indexer", "Nyaa")
                    .put("outputPath", (this == SONARR ? "/downloads/tv/" : "/downloads/movies/") + title)
                    .put("sizeleft", 0).put("timeleft", "00:00:00");
            queue.add(q);
            return q;
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
    /** Jellyseerr requests and media entries it no longer has, as "request/ID" or "media/ID": a DELETE answers 404. */
    public static final java.util.Set<String> JELLYSEERR_GONE = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** When set, every Jellyseerr write answers with this status. */
    public static volatile Integer jellyseerrFailWith;

    /**
     * One write as received: method, path, decoded query, the {@code X-Api-Key} it carried, the body.
     *
     * @param upstream sonarr, radarr or jellyseerr (by the key), or "unknown"
     */
    public record Write(String upstream, String method, String path, Map<String, String> query, String apiKey,
            String body) {
    }

    /** Every write to Sonarr, Radarr or Jellyseerr, in order. */
    public static final List<Write> WRITES = new CopyOnWriteArrayList<>();

    private FakeArr() {
    }

    public static void reset() {
        SONARR.reset();
        RADARR.reset();
        JELLYSEERR_REQUESTS.clear();
        JELLYSEERR_MEDIA.clear();
        JELLYSEERR_WEBHOOK.set(null);
        JELLYSEERR_GONE.clear();
        jellyseerrFailWith = null;
        WRITES.clear();
    }

    /** The writes one upstream received. */
    public static List<Write> writesTo(String upstream) {
        return WRITES.stream().filter(w -> w.upstream().equals(upstream)).toList();
    }

    /**
     * Jellyseerr's media entry for a movie or series: {@code mediaInfo.id} of {@code GET /api/v1/movie/{tmdb}} or
     * {@code /api/v1/tv/{tmdb}} (added to the details there, if any).
     */
    public static void jellyseerrMediaInfo(String type, long tmdbId, long mediaId) {
        ObjectNode details = JELLYSEERR_MEDIA.computeIfAbsent(type + "/" + tmdbId, k -> {
            ObjectNode m = JSON.createObjectNode();
            m.put("id", tmdbId);
            return m;
        });
        details.putObject("mediaInfo").put("id", mediaId).put("tmdbId", tmdbId).put("status", 5)
                .put("mediaType", type);
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
        boolean list = query.isEmpty() && (path.equals("/api/v3/series") || path.equals("/api/v3/movie")
                || path.equals("/api/v3/notification") || path.equals("/api/v3/rootfolder")
                || path.equals("/api/v3/health") || path.equals("/api/v3/downloadclient")
                || path.equals("/api/v3/remotepathmapping"));
        if (!list && !path.equals("/api/v3/queue") && !path.equals("/api/v3/history/since")
                && !path.equals("/api/v3/tag")) {
            return null; // /api/v3/series?tvdbId=: FakeMediaServer's (no series)
        }
        Arr arr = FakeMediaServer.RADARR_KEY.equals(apiKey) ? RADARR
                : FakeMediaServer.SONARR_KEY.equals(apiKey) ? SONARR : null;
        if (arr == null) {
            return new Failure(401, JSON.createObjectNode().put("message", "Unauthorized"));
        }
        if (arr.failWith != null) {
            return new Failure(arr.failWith, JSON.createObjectNode().put("message", "failing on purpose"));
        }
        if (path.equals("/api/v3/notification")) {
            return arr.notifications;
        }
        if (path.equals("/api/v3/rootfolder")) {
            return arr.rootFolders;
        }
        if (path.equals("/api/v3/health")) {
            return arr.health;
        }
        if (path.equals("/api/v3/downloadclient")) {
            return arr.downloadClients;
        }
        if (path.equals("/api/v3/remotepathmapping")) {
            return arr.remotePathMappings;
        }
        if (list) {
            return arr == (path.endsWith("/movie") ? RADARR : SONARR) ? arr.library
                    : new Failure(404, JSON.createObjectNode().put("message", "NotFound"));
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

    /** A connection as Sonarr's and Radarr's {@code GET /api/v3/notification} lists it (NotificationResource). */
    public static ObjectNode webhookConnection(long id, String name, String url, String... flagsOn) {
        return connection(id, name, "Webhook", url, flagsOn);
    }

    /** A connection of any kind ({@code implementation}: Webhook, Discord, …) with a url field and those events on. */
    public static ObjectNode connection(long id, String name, String implementation, String url, String... flagsOn) {
        ObjectNode c = JSON.createObjectNode().put("id", id).put("name", name).put("implementation", implementation)
                .put("implementationName", implementation).put("configContract", implementation + "Settings");
        ArrayNode fields = c.putArray("fields");
        fields.addObject().put("order", 0).put("name", "url").put("label", "URL").put("value", url);
        fields.addObject().put("order", 1).put("name", "method").put("label", "Method").put("value", 1);
        fields.addObject().put("order", 2).put("name", "username").put("label", "Username");
        fields.addObject().put("order", 3).put("name", "password").put("label", "Password").put("value", "********");
        for (String flag : new String[] { "onGrab", "onDownload", "onUpgrade", "onRename", "onSeriesAdd",
                "onSeriesDelete", "onMovieAdded", "onMovieDelete", "onHealthIssue" }) {
            c.put(flag, false);
        }
        for (String flag : flagsOn) {
            c.put(flag, true);
        }
        c.putArray("tags");
        return c;
    }

    /**
     * Sonarr and Radarr wired to the tracker at {@code trackerUrl} for every doctor check: a Webhook connection to
     * {@code /hooks/sonarr} ({@code /hooks/radarr}) with the events the flows need, root folders
     * {@code /data/media/tv} ({@code /data/media/movies}), a qBittorrent client (host {@code qbittorrent}, port 8080)
     * with category {@code tv-sonarr} ({@code radarr}), a health without issues and an empty queue. A qBittorrent that
     * goes with it keeps those categories in {@code /data/downloads/tv-sonarr} and {@code /data/downloads/radarr}.
     */
    public static void wellWiredArrs(String trackerUrl) {
        SONARR.notifications.add(webhookConnection(1, "status-tracker", trackerUrl + "/hooks/sonarr", "onGrab",
                "onDownload", "onUpgrade", "onSeriesAdd", "onSeriesDelete"));
        RADARR.notifications.add(webhookConnection(1, "status-tracker", trackerUrl + "/hooks/radarr", "onGrab",
                "onDownload", "onUpgrade", "onMovieAdded", "onMovieDelete"));
        SONARR.rootFolder(1, "/data/media/tv").rootFolder(2, "/data/media/anime");
        RADARR.rootFolder(1, "/data/media/movies");
        SONARR.qbittorrentClient(1, "qBittorrent", "qbittorrent", 8080, "tv-sonarr");
        RADARR.qbittorrentClient(1, "qBittorrent", "qbittorrent", 8080, "radarr");
    }

    /** Jellyseerr's webhook agent settings ({@code GET /api/v1/settings/notifications/webhook}); null: 404. */
    public static final java.util.concurrent.atomic.AtomicReference<ObjectNode> JELLYSEERR_WEBHOOK =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** The webhook agent as Jellyseerr 2.x stores it: enabled, the types bit mask, the URL. */
    public static ObjectNode jellyseerrWebhook(boolean enabled, long types, String url) {
        ObjectNode settings = JSON.createObjectNode().put("enabled", enabled).put("embedPoster", true)
                .put("types", types);
        settings.putObject("options").put("webhookUrl", url).put("authHeader", "")
                .put("jsonPayload", "eyJub3RpZmljYXRpb25fdHlwZSI6Int7bm90aWZpY2F0aW9uX3R5cGV9fSJ9");
        JELLYSEERR_WEBHOOK.set(settings);
        return settings;
    }

    private static Object jellyseerr(String path, Map<String, String> query) {
        if (path.equals("/api/v1/settings/notifications/webhook")) {
            ObjectNode settings = JELLYSEERR_WEBHOOK.get();
            return settings != null ? settings : new Failure(404, JSON.createObjectNode().put("message", "Not Found"));
        }
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

    private static final java.util.regex.Pattern ARR_DELETE = java.util.regex.Pattern
            .compile("/api/v3/(series|movie)/(\\d+)");
    private static final java.util.regex.Pattern SEERR_DELETE = java.util.regex.Pattern
            .compile("/api/v1/(request|media)/(\\d+)");

    /**
     * Sonarr's, Radarr's and Jellyseerr's answers to anything but GET (told apart by the API key); null when not
     * faked (not an {@code /api/} path: Jellyfin's), so that the caller answers.
     */
    static Failure write(String method, String path, Map<String, String> query, String apiKey, String body) {
        if (!path.startsWith("/api/")) {
            return null;
        }
        boolean seerr = FakeMediaServer.JELLYSEERR_KEY.equals(apiKey);
        Arr arr = FakeMediaServer.RADARR_KEY.equals(apiKey) ? RADARR
                : FakeMediaServer.SONARR_KEY.equals(apiKey) ? SONARR : null;
        String upstream = seerr ? "jellyseerr" : arr == RADARR ? "radarr" : arr == SONARR ? "sonarr" : "unknown";
        WRITES.add(new Write(upstream, method, path, Map.copyOf(query), apiKey, body));
        ObjectNode notFound = JSON.createObjectNode().put("message", "NotFound");
        if (seerr) {
            if (jellyseerrFailWith != null) {
                return new Failure(jellyseerrFailWith, JSON.createObjectNode().put("message", "failing on purpose"));
            }
            java.util.regex.Matcher m = SEERR_DELETE.matcher(path);
            if (method.equals("DELETE") && m.matches()) {
                return JELLYSEERR_GONE.contains(m.group(1) + "/" + m.group(2)) ? new Failure(404, notFound)
                        : new Failure(204, null);
            }
            return new Failure(404, notFound);
        }
        if (arr == null) {
            return new Failure(401, JSON.createObjectNode().put("message", "Unauthorized"));
        }
        java.util.concurrent.CountDownLatch hold = arr.holdWrites;
        if (hold != null) {
            try {
                hold.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (arr.failWith != null) {
            return new Failure(arr.failWith, JSON.createObjectNode().put("message", "failing on purpose"));
        }
        java.util.regex.Matcher m = ARR_DELETE.matcher(path);
        if (method.equals("DELETE") && m.matches()) {
            boolean right = m.group(1).equals(arr == RADARR ? "movie" : "series");
            long id = Long.parseLong(m.group(2));
            // Sonarr and Radarr answer a delete with 200 and an empty body.
            return !right || arr.gone.contains(id) ? new Failure(404, notFound) : new Failure(200, null);
        }
        if (method.equals("POST") && path.equals("/api/v3/command")) {
            ObjectNode command;
            try {
                command = (ObjectNode) JSON.readTree(body);
            } catch (java.io.IOException | ClassCastException e) {
                return new Failure(400, JSON.createObjectNode().put("message", "not a command"));
            }
            ObjectNode queued = JSON.createObjectNode();
            queued.put("id", WRITES.size()).put("name", command.path("name").asText()).put("status", "queued")
                    .put("queued", Instant.now().toString());
            queued.set("body", command);
            return new Failure(201, queued);
        }
        return new Failure(404, notFound);
    }

    /** An answer with its status (also non-error ones from {@link #write}); a null body sends none. */
    record Failure(int status, Object body) {
    }
}
