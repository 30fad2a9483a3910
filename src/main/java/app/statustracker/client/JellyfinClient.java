package app.statustracker.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

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
 * Jellyfin REST (protocols.md §7): is a movie playable, which series and episodes does the library hold. Jellyfin has
 * no provider-id filter, so items are found by title search (then verified by their ProviderIds) or, failing that,
 * by paging through the library and matching ProviderIds here.
 */
@ApplicationScoped
public class JellyfinClient {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Items per page when paging through the library. */
    static final int PAGE_SIZE = 500;
    /** Title-search hits looked at. */
    static final int SEARCH_LIMIT = 50;
    /** Paging stops after this many pages even if Jellyfin keeps answering (100 000 items). */
    static final int MAX_PAGES = 200;

    private static final String PLAYABLE_FIELDS = "ProviderIds,Path,MediaSources";
    private static final String SERIES_FIELDS = "ProviderIds,Path";
    /** What the verification reads of every movie, series and episode: ids, playability, other titles. */
    private static final String LIBRARY_FIELDS = "ProviderIds,Path,MediaSources,OriginalTitle";
    /** Item types the verification reads. */
    private static final String LIBRARY_TYPES = "Movie,Series,Episode";
    /** Items asked for by id in one call (the ids go into the URL). */
    public static final int IDS_PER_CALL = 100;

    private final UpstreamHttp<JellyfinApi> http;

    @Inject
    public JellyfinClient(TrackerConfig config, Vertx vertx, ObjectMapper mapper) {
        this(config.jellyfin().configured() ? config.jellyfin().baseUrl() : null,
                config.jellyfin().apiKey().orElse(null), vertx, mapper);
    }

    /**
     * @param baseUrl {@code http://host:port}; null means not configured
     * @param apiKey  Jellyfin API key; null or blank means not configured
     */
    public JellyfinClient(String baseUrl, String apiKey, Vertx vertx, ObjectMapper mapper) {
        this.http = new UpstreamHttp<>("jellyfin", "JELLYFIN_API_KEY", baseUrl, apiKey,
                "MediaBrowser Token=\"" + (apiKey == null ? "" : apiKey) + "\"", TIMEOUT, JellyfinApi.class, vertx,
                mapper);
    }

    void stop(@Observes ShutdownEvent event) {
        http.close();
    }

    public boolean configured() {
        return http.configured();
    }

    /**
     * A playable Movie whose ProviderIds match tmdbId (or imdbId): first among the title-search hits (year checked
     * when both are known), then by paging through the movies that have a TMDB id (an IMDb id when only that is
     * given). Empty when none, or when neither id is given.
     */
    public Uni<Optional<JellyfinItem>> findPlayableMovie(Long tmdbId, String imdbId, String title, Integer year) {
        String tmdb = tmdbId == null ? null : tmdbId.toString();
        String imdb = blankToNull(imdbId);
        Predicate<JellyfinItem> match = item -> isType(item, "Movie") && item.playable()
                && idsAgree(item, "tmdb", tmdb, "imdb", imdb);
        Predicate<JellyfinItem> searchMatch = match
                .and(item -> year == null || item.year() == null || year.equals(item.year()));
        String hasId = tmdb != null ? "hasTmdbId" : "hasImdbId";
        return find("Movie", PLAYABLE_FIELDS, tmdb == null && imdb == null, title, searchMatch, hasId, match);
    }

    /**
     * A Series whose ProviderIds match tvdbId or tmdbId: first among the title-search hits, then by paging through
     * the series (those with a TVDB id when only that is given, with a TMDB id when only that is given, all series
     * when both are given). {@code playable} is false for series. Empty when none, or when neither id is given.
     */
    public Uni<Optional<JellyfinItem>> findSeries(Long tvdbId, Long tmdbId, String title) {
        String tvdb = tvdbId == null ? null : tvdbId.toString();
        String tmdb = tmdbId == null ? null : tmdbId.toString();
        Predicate<JellyfinItem> match = item -> isType(item, "Series") && idsAgree(item, "tvdb", tvdb, "tmdb", tmdb);
        String hasId = tvdb != null && tmdb != null ? null : tvdb != null ? "hasTvdbId" : "hasTmdbId";
        return find("Series", SERIES_FIELDS, tvdb == null && tmdb == null, title, match, hasId, match);
    }

    /**
     * The episodes Jellyfin lists for a series, virtual (missing) ones included but not playable.
     *
     * @param seriesId Jellyfin series id, with or without dashes
     */
    public Uni<List<JellyfinItem>> episodes(String seriesId) {
        Uni<List<JellyfinItem>> unavailable = http.unavailable();
        if (unavailable != null) {
            return unavailable;
        }
        if (seriesId == null || seriesId.isBlank()) {
            return Uni.createFrom().failure(new IllegalArgumentException("a Jellyfin series id is required"));
        }
        String id = normaliseId(seriesId);
        Map<String, String> query = query("fields", PLAYABLE_FIELDS, "enableImages", "false", "enableUserData",
                "false");
        return http.getJson("/Shows/" + UpstreamHttp.encode(id) + "/Episodes",
                (api, auth) -> api.episodes(id, query, auth))
                .map(JellyfinClient::items);
    }

    /**
     * {@code POST /Library/Refresh} (204): a library scan, after which Shokofin rebuilds its virtual file system. Heavy
     * on big libraries: callers rate-limit it.
     */
    public Uni<Void> refreshLibrary() {
        return http.postJson("/Library/Refresh", (api, auth) -> api.refreshLibrary(auth)).replaceWithVoid();
    }

    /** {@code GET /System/Info}: ServerName, Version, Id, ... A refused key fails with its status (401/403). */
    public Uni<JsonNode> systemInfo() {
        return http.getJson("/System/Info", (api, auth) -> api.systemInfo(auth));
    }

    /** {@code GET /Plugins}: every installed plugin ({@code [{Name, Version, Id, Status, ...}]}). */
    public Uni<List<JsonNode>> plugins() {
        return http.getJson("/Plugins", (api, auth) -> api.plugins(auth)).map(json -> array(json, "/Plugins"));
    }

    /**
     * {@code GET /Plugins/{id}/Configuration}: the plugin's settings. They may hold the plugin's own credentials
     * (Shokofin keeps Shoko's API key): callers read the fields they judge and pass nothing else on.
     */
    public Uni<JsonNode> pluginConfiguration(String pluginId) {
        if (pluginId == null || pluginId.isBlank()) {
            return Uni.createFrom().failure(new IllegalArgumentException("a Jellyfin plugin id is required"));
        }
        String id = pluginId.trim();
        return http.getJson("/Plugins/" + UpstreamHttp.encode(id) + "/Configuration",
                (api, auth) -> api.pluginConfiguration(id, auth));
    }

    /** {@code GET /Library/VirtualFolders}: the libraries with their folders ({@code [{Name, Locations, ItemId}]}). */
    public Uni<List<JsonNode>> virtualFolders() {
        return http.getJson("/Library/VirtualFolders", (api, auth) -> api.virtualFolders(auth))
                .map(json -> array(json, "/Library/VirtualFolders"));
    }

    private static List<JsonNode> array(JsonNode json, String path) {
        if (json == null || !json.isArray()) {
            throw new UpstreamException("jellyfin", path, 200, "jellyfin GET " + path + ": expected a JSON array",
                    null, false);
        }
        List<JsonNode> all = new ArrayList<>(json.size());
        json.forEach(all::add);
        return Collections.unmodifiableList(all);
    }

    /**
     * One item by id (with or without dashes), e.g. to resolve a webhook's SeriesId to provider ids; empty when
     * Jellyfin does not have it.
     */
    public Uni<Optional<JellyfinItem>> item(String itemId) {
        Uni<Optional<JellyfinItem>> unavailable = http.unavailable();
        if (unavailable != null) {
            return unavailable;
        }
        if (itemId == null || itemId.isBlank()) {
            return Uni.createFrom().failure(new IllegalArgumentException("a Jellyfin item id is required"));
        }
        String id = normaliseId(itemId);
        Map<String, String> query = query("ids", id, "fields", PLAYABLE_FIELDS, "enableImages", "false",
                "enableUserData", "false");
        return http.getJson("/Items", (api, auth) -> api.items(query, auth))
                .map(json -> {
                    List<JellyfinItem> items = items(json);
                    // Only the asked-for id: an older server ignoring "ids" must not make another item "the" item.
                    return items.stream().filter(i -> id.equals(i.id())).findFirst();
                });
    }

    /**
     * Every movie, series and episode of the library ({@code since} null), or those saved since then
     * ({@code minDateLastSaved}: added, or their metadata or files changed), read page by page. One call per
     * {@link #PAGE_SIZE} items, whatever the caller wants to match them against: Jellyfin has no provider-id filter.
     */
    public Uni<List<JellyfinItem>> library(java.time.Instant since) {
        Uni<List<JellyfinItem>> unavailable = http.unavailable();
        if (unavailable != null) {
            return unavailable;
        }
        List<JellyfinItem> all = new ArrayList<>();
        return libraryPage(since, 0, 0, all).replaceWith(all);
    }

    private Uni<Void> libraryPage(java.time.Instant since, int start, int pagesRead, List<JellyfinItem> into) {
        Map<String, String> query = query("recursive", "true", "includeItemTypes", LIBRARY_TYPES);
        if (since != null) {
            // ISO-8601 in UTC, which ASP.NET reads as a DateTime.
            query.put("minDateLastSaved", since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        }
        query.putAll(query("fields", LIBRARY_FIELDS, "enableImages", "false", "enableUserData", "false",
                "sortBy", "SortName", "sortOrder", "Ascending", "startIndex", String.valueOf(start),
                "limit", String.valueOf(PAGE_SIZE)));
        return items(query).chain(json -> {
            List<JellyfinItem> items = items(json);
            into.addAll(items);
            int next = start + items.size();
            Integer total = UpstreamHttp.integer(json, "TotalRecordCount");
            boolean more = total != null ? next < total : items.size() >= PAGE_SIZE;
            if (items.isEmpty() || !more || pagesRead + 1 >= MAX_PAGES) {
                return Uni.createFrom().voidItem();
            }
            return libraryPage(since, next, pagesRead + 1, into);
        });
    }

    /**
     * These items (ids with or without dashes), {@link #IDS_PER_CALL} per call; ids Jellyfin does not know are
     * left out of the answer.
     */
    public Uni<List<JellyfinItem>> itemsByIds(java.util.Collection<String> ids) {
        Uni<List<JellyfinItem>> unavailable = http.unavailable();
        if (unavailable != null) {
            return unavailable;
        }
        List<String> wanted = ids.stream().map(JellyfinClient::normaliseId).filter(java.util.Objects::nonNull)
                .distinct().toList();
        List<JellyfinItem> all = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < wanted.size(); i += IDS_PER_CALL) {
            List<String> chunk = wanted.subList(i, Math.min(wanted.size(), i + IDS_PER_CALL));
            java.util.Set<String> asked = java.util.Set.copyOf(chunk);
            Map<String, String> query = query("ids", String.join(",", chunk), "fields", LIBRARY_FIELDS,
                    "enableImages", "false", "enableUserData", "false", "limit", String.valueOf(chunk.size()));
            // Only the asked-for ids: an older server ignoring "ids" answers with the whole library.
            chain = chain.chain(() -> items(query).invoke(json -> items(json).stream()
                    .filter(item -> asked.contains(item.id())).forEach(all::add)).replaceWithVoid());
        }
        return chain.replaceWith(all);
    }

    private Uni<Optional<JellyfinItem>> find(String type, String fields, boolean nothingToMatch, String title,
            Predicate<JellyfinItem> searchMatch, String hasId, Predicate<JellyfinItem> pageMatch) {
        Uni<Optional<JellyfinItem>> unavailable = http.unavailable();
        if (unavailable != null) {
            return unavailable;
        }
        if (nothingToMatch) {
            return Uni.createFrom().item(Optional.empty());
        }
        Uni<Optional<JellyfinItem>> bySearch = title == null || title.isBlank()
                ? Uni.createFrom().item(Optional.empty())
                : items(query("recursive", "true", "includeItemTypes", type, "searchTerm", title.trim(), "fields",
                        fields, "enableImages", "false", "enableUserData", "false", "limit",
                        String.valueOf(SEARCH_LIMIT)))
                        .map(json -> items(json).stream().filter(searchMatch).findFirst());
        return bySearch.chain(found -> found.isPresent() ? Uni.createFrom().item(found)
                : page(type, fields, hasId, pageMatch, 0, 0));
    }

    private Uni<Optional<JellyfinItem>> page(String type, String fields, String hasId, Predicate<JellyfinItem> match,
            int start, int pagesRead) {
        Map<String, String> query = query("recursive", "true", "includeItemTypes", type);
        if (hasId != null) {
            query.put(hasId, "true");
        }
        query.putAll(query("fields", fields, "enableImages", "false", "enableUserData", "false", "sortBy", "SortName",
                "sortOrder", "Ascending", "startIndex", String.valueOf(start), "limit", String.valueOf(PAGE_SIZE)));
        return items(query).chain(json -> {
            List<JellyfinItem> items = items(json);
            Optional<JellyfinItem> found = items.stream().filter(match).findFirst();
            if (found.isPresent()) {
                return Uni.createFrom().item(found);
            }
            int next = start + items.size();
            Integer total = UpstreamHttp.integer(json, "TotalRecordCount");
            if (items.isEmpty() || total != null && next >= total || pagesRead + 1 >= MAX_PAGES) {
                return Uni.createFrom().item(Optional.<JellyfinItem>empty());
            }
            return page(type, fields, hasId, match, next, pagesRead + 1);
        });
    }

    /** {@code GET /Items} with these (unencoded) query parameters. */
    private Uni<JsonNode> items(Map<String, String> query) {
        return http.getJson("/Items", (api, auth) -> api.items(query, auth));
    }

    /** Query parameters in the given order, from name/value pairs. */
    private static Map<String, String> query(String... namesAndValues) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            query.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return query;
    }

    /**
     * True when at least one wanted id is present on the item and equal, and no wanted id present on the item
     * differs (a title hit with another TMDB id is another film, even if its IMDb id happened to agree).
     */
    private static boolean idsAgree(JellyfinItem item, String key1, String wanted1, String key2, String wanted2) {
        Boolean first = compare(item.providerId(key1), wanted1);
        Boolean second = compare(item.providerId(key2), wanted2);
        if (Boolean.FALSE.equals(first) || Boolean.FALSE.equals(second)) {
            return false;
        }
        return Boolean.TRUE.equals(first) || Boolean.TRUE.equals(second);
    }

    /** null when either side is unknown. */
    private static Boolean compare(String have, String wanted) {
        if (wanted == null || have == null || have.isBlank()) {
            return null;
        }
        return have.trim().equalsIgnoreCase(wanted.trim());
    }

    private static boolean isType(JellyfinItem item, String type) {
        return item.type() == null || type.equalsIgnoreCase(item.type());
    }

    static List<JellyfinItem> items(JsonNode json) {
        JsonNode items = json == null ? null : json.get("Items");
        if (items == null || !items.isArray()) {
            return List.of();
        }
        List<JellyfinItem> result = new ArrayList<>(items.size());
        for (JsonNode node : items) {
            if (node.isObject()) {
                result.add(toItem(node));
            }
        }
        return Collections.unmodifiableList(result);
    }

    static JellyfinItem toItem(JsonNode node) {
        String type = UpstreamHttp.text(node, "Type");
        String path = blankToNull(UpstreamHttp.text(node, "Path"));
        JsonNode sources = node.get("MediaSources");
        boolean hasSource = sources != null && sources.isArray() && !sources.isEmpty();
        boolean virtual = "Virtual".equalsIgnoreCase(UpstreamHttp.text(node, "LocationType"));
        boolean playable = !"Series".equalsIgnoreCase(type) && !virtual && (hasSource || path != null);
        return new JellyfinItem(normaliseId(UpstreamHttp.text(node, "Id")), UpstreamHttp.text(node, "Name"), type,
                UpstreamHttp.integer(node, "ProductionYear"), providerIds(node.get("ProviderIds")), path, playable,
                normaliseId(UpstreamHttp.text(node, "SeriesId")), UpstreamHttp.integer(node, "ParentIndexNumber"),
                UpstreamHttp.integer(node, "IndexNumber"), UpstreamHttp.integer(node, "IndexNumberEnd"),
                blankToNull(UpstreamHttp.text(node, "OriginalTitle")));
    }

    private static Map<String, String> providerIds(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Map.of();
        }
        Map<String, String> ids = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String value = e.getValue() == null || e.getValue().isNull() || e.getValue().isContainerNode() ? null
                    : e.getValue().asText();
            if (value != null && !value.isBlank()) {
                ids.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), value);
            }
        }
        return Collections.unmodifiableMap(ids);
    }

    /**
     * Logs a user in with Jellyfin's {@code AuthenticateByName} (credentials in the body, never in the URL). Each
     * login gets its own device id: Jellyfin revokes the earlier token of a user who logs in again from the same
     * device, which would log the user out in their other browser.
     *
     * @return the user and the token Jellyfin issued; fails with an {@link UpstreamException} of status 401 when
     *         Jellyfin refuses the credentials
     */
    public Uni<JellyfinUser.Login> authenticate(String username, String password) {
        com.fasterxml.jackson.databind.node.ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode().put("Username", username).put("Pw", password);
        String device = "status-tracker-" + java.util.UUID.randomUUID();
        return http.postJson("/Users/AuthenticateByName",
                (api, auth) -> api.authenticateByName(body.toString(), clientHeader(device, null)))
                .map(json -> {
                    JellyfinUser user = user(json.get("User"));
                    String token = UpstreamHttp.text(json, "AccessToken");
                    if (user == null || token == null || token.isBlank()) {
                        throw new UpstreamException("jellyfin", "jellyfin answered the login without a user or token");
                    }
                    return new JellyfinUser.Login(user, token);
                });
    }

    /**
     * The user a token belongs to ({@code GET /Users/Me}); fails with an {@link UpstreamException} of status 401 when
     * Jellyfin no longer knows the token.
     */
    public Uni<JellyfinUser> userOf(String token) {
        return http.getJson("/Users/Me", (api, auth) -> api.me(clientHeader("status-tracker", token)))
                .map(json -> {
                    JellyfinUser user = user(json);
                    if (user == null) {
                        throw new UpstreamException("jellyfin", "jellyfin answered /Users/Me without a user id");
                    }
                    return user;
                });
    }

    /** Revokes a token at Jellyfin (logout). */
    public Uni<Void> logout(String token) {
        return http.postJson("/Sessions/Logout", (api, auth) -> api.logout(clientHeader("status-tracker", token)))
                .replaceWithVoid();
    }

    /** Jellyfin's client header; with a user's token for calls made as that user instead of with the API key. */
    private static String clientHeader(String device, String token) {
        String header = "MediaBrowser Client=\"status-tracker\", Device=\"status-tracker\", DeviceId=\"" + device
                + "\", Version=\"1\"";
        return token == null ? header : header + ", Token=\"" + token.replace("\"", "") + "\"";
    }

    private static JellyfinUser user(JsonNode node) {
        String id = normaliseId(UpstreamHttp.text(node, "Id"));
        if (id == null) {
            return null;
        }
        JsonNode policy = node.get("Policy");
        boolean admin = policy != null && policy.path("IsAdministrator").asBoolean(false);
        return new JellyfinUser(id, UpstreamHttp.text(node, "Name"), admin);
    }

    /** Jellyfin ids: dashes stripped, lower case. */
    static String normaliseId(String id) {
        return id == null || id.isBlank() ? null : id.trim().replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
