package app.statustracker.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.config.TrackerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Shoko Server REST API v3 (protocols.md §5.4; routes checked against ShokoServer's controllers): import folders,
 * a file and its links, a file by the end of its path, the series search and a series' ids, and the manual link of a
 * file to a series' episodes (the auto-link). Key in the {@code apikey} header; answers read tolerantly (PascalCase as
 * Shoko writes them, camelCase, Shoko 6's managed folders).
 */
@ApplicationScoped
public class ShokoClient {

    /** The prototype's timeout for Shoko. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Series search hits asked for. */
    static final int SEARCH_LIMIT = 10;
    /** Files asked for by the end of their path. */
    static final int PATH_LIMIT = 10;

    private final UpstreamHttp<ShokoApi> http;
    private final ObjectMapper mapper;

    @Inject
    public ShokoClient(TrackerConfig config, Vertx vertx, ObjectMapper mapper) {
        this(config.shoko().configured() ? config.shoko().baseUrl() : null, config.shoko().apiKey().orElse(null),
                vertx, mapper);
    }

    /**
     * @param baseUrl {@code http://host:port}; null means not configured
     * @param apiKey  Shoko API key; null or blank means not configured
     */
    public ShokoClient(String baseUrl, String apiKey, Vertx vertx, ObjectMapper mapper) {
        this.mapper = mapper;
        this.http = new UpstreamHttp<>("shoko", "SHOKO_API_KEY", baseUrl, apiKey, apiKey, TIMEOUT, ShokoApi.class,
                vertx, mapper);
    }

    void stop(@Observes ShutdownEvent event) {
        http.close();
    }

    public boolean configured() {
        return http.configured();
    }

    /** Whether a call would be made now (configured and not refused by the circuit breaker). */
    public boolean available() {
        return http.available();
    }

    /**
     * One of Shoko's import folders (Shoko 6: managed folders) as {@code GET /api/v3/ImportFolder} lists it.
     *
     * @param dropFolderType {@code None}, {@code Source}, {@code Destination} or {@code Both} (older servers send
     *                       0..3, read as those); null when not sent
     */
    public record ImportFolder(int id, String name, String path, String dropFolderType) {
        /** A drop source only: Shoko moves its files away to a destination, nothing stays there to be matched. */
        public boolean dropSourceOnly() {
            return "Source".equalsIgnoreCase(dropFolderType);
        }
    }

    /**
     * {@code GET /api/v3/ImportFolder}: folder id → the folder's path on the Shoko host. A server without that route
     * (404; Shoko 6 calls them managed folders) is asked {@code GET /api/v3/ManagedFolder} instead.
     */
    public Uni<Map<Integer, String>> importFolders() {
        return importFolderList().map(list -> {
            Map<Integer, String> folders = new LinkedHashMap<>();
            list.forEach(f -> folders.put(f.id(), f.path()));
            return Collections.unmodifiableMap(folders);
        });
    }

    /** The import folders with their names and drop-folder types (the setup doctor's read), in Shoko's order. */
    public Uni<List<ImportFolder>> importFolderList() {
        String path = "/api/v3/ImportFolder";
        String managed = "/api/v3/ManagedFolder";
        return http.getJson(path, (api, key) -> api.importFolders(key)).map(json -> folders(json, path))
                .onFailure(ShokoClient::notFound).recoverWithUni(() -> http
                        .getJson(managed, (api, key) -> api.managedFolders(key)).map(json -> folders(json, managed)));
    }

    /**
     * {@code GET /api/v3/File/{id}?include=XRefs}: the file, its locations and its series links; empty when Shoko
     * has no such file (404).
     */
    public Uni<Optional<ShokoFile>> file(long fileId) {
        String path = "/api/v3/File/" + fileId;
        return http.getJson(path, (api, key) -> api.file(fileId, "XRefs", true, key))
                .map(json -> {
                    if (json == null || !json.isObject()) {
                        throw unexpected(path, json, "an object");
                    }
                    return Optional.of(file(json, fileId));
                })
                .onFailure(ShokoClient::notFound).recoverWithItem(Optional.empty());
    }

    /**
     * {@code GET /api/v3/File/PathEndsWith?path=<tail>&include=XRefs}: the file one of whose locations ends with the
     * tail (a file name, or the last folders and the name); empty when none. Servers that only know the older route
     * form ({@code PathEndsWith/<tail>}) are asked that way when the query form is refused (400, 404, 405).
     */
    public Uni<Optional<ShokoFile>> fileByPathEnd(String tail) {
        String normalised = normalisePath(tail);
        if (normalised == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        String path = "/api/v3/File/PathEndsWith";
        return http.getJson(path, (api, key) -> api.fileByPathEnd(normalised, "XRefs", PATH_LIMIT, key))
                .onFailure(ShokoClient::routeMissing).recoverWithUni(() -> http.getJson(path + "/",
                        (api, key) -> api.fileByPathEndInRoute(encodeSegments(normalised), key)))
                .map(json -> {
                    List<ShokoFile> files = new ArrayList<>();
                    for (JsonNode node : list(json, path)) {
                        Long id = id(field(node, "ID", "Id", "id"));
                        if (id != null) {
                            files.add(file(node, id));
                        }
                    }
                    // Shoko compares the tail with the full server path (import folder included), which we do not
                    // know here: check the file name at least, so that a server that ignored the filter does not
                    // hand us another file.
                    String name = new ShokoFile.Location(null, normalised).fileName();
                    return files.stream().filter(f -> f.locations().stream()
                            .anyMatch(l -> name.equalsIgnoreCase(l.fileName()))).findFirst();
                });
    }

    /**
     * {@code GET /api/v3/Series/Search?query=<title>&fuzzy=true&limit=10}: Shoko's own series matching the title,
     * best first. (The prototype's {@code GET /api/v3/Series?search=} is no search: that route only knows
     * {@code pageSize}, {@code page} and {@code startsWith}, so it answered with the first series by name.)
     */
    public Uni<List<ShokoSeriesHit>> searchSeries(String title) {
        if (title == null || title.isBlank()) {
            return Uni.createFrom().item(List.of());
        }
        String path = "/api/v3/Series/Search";
        String query = title.trim();
        return http.getJson(path, (api, key) -> api.searchSeries(query, true, SEARCH_LIMIT, key)).map(json -> {
            List<ShokoSeriesHit> hits = new ArrayList<>();
            for (JsonNode node : list(json, path)) {
                Long id = seriesId(node);
                if (id != null) {
                    hits.add(new ShokoSeriesHit(id, text(field(node, "Name", "name"))));
                }
            }
            return Collections.unmodifiableList(hits);
        });
    }

    /**
     * {@code POST /api/v3/File/{id}/LinkFromSeries} with {@code {"seriesID":…,"rangeStart":"…","rangeEnd":"…"}}:
     * links the file to the series' episodes rangeStart..rangeEnd (a movie: "1".."1"). Shoko refuses a bad range or
     * an unknown series with 400, an unknown file with 404; both fail the Uni.
     */
    public Uni<Void> linkFromSeries(long fileId, long seriesId, String rangeStart, String rangeEnd) {
        String path = "/api/v3/File/" + fileId + "/LinkFromSeries";
        ObjectNode body = mapper.createObjectNode();
        body.put("seriesID", seriesId);
        body.put("rangeStart", rangeStart);
        body.put("rangeEnd", rangeEnd);
        String text = body.toString();
        return http.postJson(path, (api, key) -> api.linkFromSeries(fileId, text, key)).replaceWithVoid();
    }

    /** {@code GET /api/v3/Series/{id}}: the series' name and ids; empty when Shoko has no such series (404). */
    public Uni<Optional<ShokoSeries>> series(long seriesId) {
        String path = "/api/v3/Series/" + seriesId;
        return http.getJson(path, (api, key) -> api.series(seriesId, key))
                .map(json -> {
                    if (json == null || !json.isObject()) {
                        throw unexpected(path, json, "an object");
                    }
                    JsonNode ids = field(json, "IDs", "Ids", "ids");
                    Long id = seriesId(json);
                    JsonNode tmdb = field(ids, "TMDB", "Tmdb", "tmdb");
                    List<Long> movies;
                    List<Long> shows;
                    if (tmdb != null && tmdb.isArray()) {
                        // Before 5.0 IDs.TMDB was one list; TMDB links were movie links then.
                        movies = idList(tmdb);
                        shows = List.of();
                    } else {
                        movies = idList(field(tmdb, "Movie", "Movies", "movie", "movies"));
                        shows = idList(field(tmdb, "Show", "Shows", "show", "shows"));
                    }
                    return Optional.of(new ShokoSeries(id == null ? seriesId : id, text(field(json, "Name", "name")),
                            id(field(ids, "AniDB", "Anidb", "anidb")), idList(field(ids, "TvDB", "TVDB", "tvdb")),
                            movies, shows));
                })
                .onFailure(ShokoClient::notFound).recoverWithItem(Optional.empty());
    }

    /**
     * {@code GET /api/v3/Action/RemoveMissingFiles/true}: Shoko queues a job that drops the files it can no longer
     * find (after a deletion) from its database and from the AniDB MyList, as the prototype did. Though a GET, it
     * changes things: sent once, never retried.
     */
    public Uni<Void> removeMissingFiles() {
        String path = "/api/v3/Action/RemoveMissingFiles/true";
        return http.send("GET", path, (api, key) -> api.removeMissingFiles(true, key)).replaceWithVoid();
    }


    // --- reading answers ---

    /** Older servers write DropFolderType as a number. */
    private static final List<String> DROP_FOLDER_TYPES = List.of("None", "Source", "Destination", "Both");

    private static List<ImportFolder> folders(JsonNode json, String path) {
        List<ImportFolder> folders = new ArrayList<>();
        for (JsonNode node : list(json, path)) {
            Long id = id(field(node, "ID", "Id", "id"));
            String folderPath = text(field(node, "Path", "path"));
            if (id != null && id <= Integer.MAX_VALUE && folderPath != null) {
                JsonNode drop = field(node, "DropFolderType", "dropFolderType");
                String dropType = drop == null ? null
                        : drop.isIntegralNumber() && drop.asInt() >= 0 && drop.asInt() < DROP_FOLDER_TYPES.size()
                                ? DROP_FOLDER_TYPES.get(drop.asInt())
                                : text(drop);
                folders.add(new ImportFolder(id.intValue(), text(field(node, "Name", "name")), folderPath, dropType));
            }
        }
        return Collections.unmodifiableList(folders);
    }

    private static ShokoFile file(JsonNode json, long fallbackId) {
        Long id = id(field(json, "ID", "Id", "id"));
        List<ShokoFile.Location> locations = new ArrayList<>();
        JsonNode places = field(json, "Locations", "locations");
        if (places != null && places.isArray()) {
            for (JsonNode place : places) {
                Long folder = id(field(place, "ImportFolderID", "ImportFolderId", "importFolderId",
                        "ManagedFolderID", "ManagedFolderId", "managedFolderId"));
                String relative = normalisePath(text(field(place, "RelativePath", "relativePath")));
                if (folder != null || relative != null) {
                    locations.add(new ShokoFile.Location(folder == null || folder > Integer.MAX_VALUE ? null
                            : folder.intValue(), relative));
                }
            }
        }
        List<ShokoFile.CrossReference> xrefs = new ArrayList<>();
        JsonNode links = field(json, "SeriesIDs", "SeriesIds", "seriesIds", "CrossReferences", "crossReferences",
                "XRefs", "xrefs");
        if (links != null && links.isArray()) {
            for (JsonNode link : links) {
                JsonNode series = field(link, "SeriesID", "SeriesId", "seriesId");
                Long seriesId;
                Long anidbId;
                if (series != null && series.isObject()) {
                    seriesId = id(field(series, "ID", "Id", "id"));
                    anidbId = id(field(series, "AniDB", "Anidb", "anidb"));
                } else {
                    seriesId = id(series);
                    anidbId = id(field(link, "AnidbAnimeID", "AniDBAnimeID", "anidbAnimeId"));
                }
                List<Long> episodes = new ArrayList<>();
                List<Long> anidbEpisodes = new ArrayList<>();
                JsonNode episodeIds = field(link, "EpisodeIDs", "EpisodeIds", "episodeIds");
                if (episodeIds != null && episodeIds.isArray()) {
                    for (JsonNode episode : episodeIds) {
                        Long shoko = episode.isObject() ? id(field(episode, "ID", "Id", "id")) : id(episode);
                        Long anidb = episode.isObject() ? id(field(episode, "AniDB", "Anidb", "anidb")) : null;
                        if (shoko != null) {
                            episodes.add(shoko);
                        }
                        if (anidb != null) {
                            anidbEpisodes.add(anidb);
                        }
                    }
                }
                if (seriesId != null || anidbId != null || !episodes.isEmpty() || !anidbEpisodes.isEmpty()) {
                    xrefs.add(new ShokoFile.CrossReference(seriesId, anidbId, episodes, anidbEpisodes));
                }
            }
        }
        return new ShokoFile(id == null ? fallbackId : id, locations, xrefs);
    }

    /** A series' Shoko id: {@code IDs.ID} (v3 Series and search results), else a top-level {@code ID}. */
    private static Long seriesId(JsonNode node) {
        Long id = id(field(field(node, "IDs", "Ids", "ids"), "ID", "Id", "id"));
        return id != null ? id : id(field(node, "ID", "Id", "id"));
    }

    /** The elements of a JSON array, or of a paged answer's {@code List}. */
    private static JsonNode list(JsonNode json, String path) {
        if (json != null && json.isArray()) {
            return json;
        }
        JsonNode paged = field(json, "List", "list");
        if (paged != null && paged.isArray()) {
            return paged;
        }
        throw unexpected(path, json, "a JSON array");
    }

    private static UpstreamException unexpected(String path, JsonNode json, String expected) {
        return new UpstreamException("shoko", path, 200, "shoko GET " + path + ": expected " + expected + ", got "
                + (json == null || json.isMissingNode() ? "nothing"
                        : json.getNodeType().name().toLowerCase(Locale.ROOT)),
                null, false);
    }

    private static boolean notFound(Throwable failure) {
        return failure instanceof UpstreamException u && u.notFound();
    }

    /** How a server answers a route it does not have: 404, 405, or 400 (the segment taken for a file id). */
    private static boolean routeMissing(Throwable failure) {
        return failure instanceof UpstreamException u && u.status() != null
                && (u.status() == 404 || u.status() == 405 || u.status() == 400);
    }

    /**
     * The first non-null field under any of the names; exact names first, then ignoring case (Shoko writes
     * PascalCase, Shoko 6 and hand-made payloads camelCase). Also used to read hub messages.
     */
    public static JsonNode field(JsonNode node, String... names) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull()) {
                return value;
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue() == null || entry.getValue().isNull()) {
                continue;
            }
            for (String name : names) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue();
                }
            }
        }
        return null;
    }

    /** A positive id from a number or a numeric string; null otherwise. */
    static Long id(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        long id;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            id = value.longValue();
        } else if (value.isTextual()) {
            try {
                id = Long.parseLong(value.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        return id > 0 ? id : null;
    }

    private static List<Long> idList(JsonNode node) {
        Set<Long> ids = new LinkedHashSet<>();
        if (node != null && node.isArray()) {
            for (JsonNode entry : node) {
                Long id = id(entry);
                if (id != null) {
                    ids.add(id);
                }
            }
        } else {
            Long id = id(node);
            if (id != null) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String s = node.asText().trim();
        return s.isEmpty() ? null : s;
    }

    /**
     * Trimmed, {@code /} separators (Shoko on Windows sends {@code \}), no leading separator; blank → null. Hub
     * messages are read with the same rule.
     */
    public static String normalisePath(String path) {
        if (path == null) {
            return null;
        }
        String p = path.strip().replace('\\', '/');
        int start = 0;
        while (start < p.length() && p.charAt(start) == '/') {
            start++;
        }
        p = p.substring(start);
        return p.isBlank() ? null : p;
    }

    /** Each segment percent-encoded, the slashes between them kept. */
    private static String encodeSegments(String path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (encoded.length() > 0) {
                encoded.append('/');
            }
            encoded.append(UpstreamHttp.encode(segment));
        }
        return encoded.toString();
    }
}
