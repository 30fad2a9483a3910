package app.statustracker.ingest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import app.statustracker.ingest.ShokoMessage.Connected;
import app.statustracker.ingest.ShokoMessage.CrossReference;
import app.statustracker.ingest.ShokoMessage.EpisodeChange;
import app.statustracker.ingest.ShokoMessage.FileEvent;
import app.statustracker.ingest.ShokoMessage.Kind;
import app.statustracker.ingest.ShokoMessage.Malformed;
import app.statustracker.ingest.ShokoMessage.MetadataEvent;
import app.statustracker.ingest.ShokoMessage.Subject;
import app.statustracker.ingest.ShokoMessage.Unknown;

/**
 * Reads one Shoko hub message into a {@link ShokoMessage}; pure, never throws for any input.
 * <p>
 * As tolerant as the prototype (original-system.md §4.7), stricter where it was wrong:
 * <ul>
 * <li>the argument text may be the hub's whole {@code arguments} array, one argument, or even the whole invocation
 * envelope ({@code {"type":1,"target":…,"arguments":[…]}}); an array gives its first element, a list inside that its
 * first element again; an object holding a {@code FileInfo} object is read from FileInfo first, then from itself;</li>
 * <li>every field is found under its 5.x PascalCase name, the listed aliases (camelCase, {@code Id} for {@code ID},
 * Shoko 6's managed folders) and finally by a case-insensitive match;</li>
 * <li>ids must be positive: a file id of 0 is "no id" (the caller looks the file up by path instead); import folder
 * paths get {@code /} separators and no leading separator; a blank path is no path;</li>
 * <li>an unreadable argument, a missing one, or an object without any field the tracker needs gives
 * {@link Malformed}; a target the tracker does not read gives {@link Unknown}.</li>
 * </ul>
 */
public final class ShokoMessages {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Hex characters of a SHA-256 kept in keys. */
    private static final int HASH_CHARS = 16;
    /** Longest source or reason text put into a key as it is. */
    private static final int SHORT_TEXT = 16;

    private static final String[] FILE_ID = { "FileID", "FileId", "fileId", "VideoID", "videoId" };
    private static final String[] FILE_LOCATION_ID = { "FileLocationID", "FileLocationId", "fileLocationId",
            "LocationID", "locationId" };
    private static final String[] FOLDER_ID = { "ImportFolderID", "ImportFolderId", "importFolderId",
            "ManagedFolderID", "ManagedFolderId", "managedFolderId" };
    private static final String[] RELATIVE_PATH = { "RelativePath", "relativePath" };
    private static final String[] FILE_NAME = { "FileName", "fileName", "filename" };
    private static final String[] CROSS_REFERENCES = { "CrossReferences", "crossReferences" };
    private static final String[] HAS_CROSS_REFERENCES = { "HasCrossReferences", "hasCrossReferences" };
    private static final String[] AUTO_MATCH_ATTEMPTS = { "AutoMatchAttempts", "autoMatchAttempts" };
    private static final String[] UDP_BANNED = { "IsUDPBanned", "IsUdpBanned", "isUdpBanned", "isUDPBanned" };
    private static final String[] PREVIOUS_PATH = { "PreviousRelativePath", "previousRelativePath" };
    private static final String[] PREVIOUS_FOLDER = { "PreviousImportFolderID", "PreviousImportFolderId",
            "previousImportFolderId", "PreviousManagedFolderID", "PreviousManagedFolderId",
            "previousManagedFolderId" };
    private static final String[] FILE_INFO = { "FileInfo", "fileInfo" };

    private static final String[] EPISODE_ID = { "EpisodeID", "EpisodeId", "episodeId" };
    private static final String[] ANIDB_EPISODE_ID = { "AnidbEpisodeID", "AniDBEpisodeID", "AnidbEpisodeId",
            "anidbEpisodeId" };
    private static final String[] SERIES_ID = { "SeriesID", "SeriesId", "seriesId" };
    private static final String[] ANIDB_ANIME_ID = { "AnidbAnimeID", "AniDBAnimeID", "AnidbAnimeId",
            "anidbAnimeId" };
    private static final String[] GROUP_ID = { "GroupID", "GroupId", "groupId" };

    private static final String[] SOURCE = { "Source", "source" };
    private static final String[] REASON = { "Reason", "reason" };
    private static final String[] MOVIE_ID = { "MovieID", "MovieId", "movieId" };
    private static final String[] SHOKO_SERIES_IDS = { "ShokoSeriesIDs", "ShokoSeriesIds", "shokoSeriesIds" };
    private static final String[] SHOKO_EPISODE_IDS = { "ShokoEpisodeIDs", "ShokoEpisodeIds", "shokoEpisodeIds" };
    private static final String[] EPISODES = { "Episodes", "episodes" };

    /** What a known target is: a file event of a kind, or a metadata event of a subject. */
    private record Route(Kind kind, Subject subject, String defaultReason) {
    }

    /** Known targets, lower case. */
    private static final Map<String, Route> TARGETS = Map.ofEntries(
            Map.entry("shokoevent:filedetected", file(Kind.DETECTED)),
            Map.entry("shokoevent:filehashed", file(Kind.HASHED)),
            Map.entry("shokoevent:filematched", file(Kind.MATCHED)),
            Map.entry("shokoevent:filenotmatched", file(Kind.NOT_MATCHED)),
            Map.entry("shokoevent:filerenamed", file(Kind.RENAMED)),
            Map.entry("shokoevent:filemoved", file(Kind.MOVED)),
            Map.entry("shokoevent:filedeleted", file(Kind.DELETED)),
            Map.entry("shokoevent:seriesupdated", metadata(Subject.SERIES, null)),
            Map.entry("shokoevent:episodeupdated", metadata(Subject.EPISODE, null)),
            Map.entry("shokoevent:movieupdated", metadata(Subject.MOVIE, null)),
            // Shoko 6 (protocols.md §5.5)
            Map.entry("file:detected", file(Kind.DETECTED)),
            Map.entry("file:hashed", file(Kind.HASHED)),
            Map.entry("file:matched", file(Kind.MATCHED)),
            Map.entry("release:saved", file(Kind.MATCHED)),
            Map.entry("file:relocated", file(Kind.MOVED)),
            Map.entry("file:deleted", file(Kind.DELETED)),
            Map.entry("metadata:series.updated", metadata(Subject.SERIES, null)),
            Map.entry("metadata:episode.added", metadata(Subject.EPISODE, "Added")),
            Map.entry("metadata:episode.updated", metadata(Subject.EPISODE, null)),
            Map.entry("metadata:movie.updated", metadata(Subject.MOVIE, null)));

    private ShokoMessages() {
    }

    private static Route file(Kind kind) {
        return new Route(kind, null, null);
    }

    private static Route metadata(Subject subject, String defaultReason) {
        return new Route(null, subject, defaultReason);
    }

    /** Whether the tracker reads this target (a file, metadata or connected message). */
    public static boolean known(String target) {
        String t = target == null ? "" : target.trim().toLowerCase(Locale.ROOT);
        return TARGETS.containsKey(t) || connectedFeed(t) != null;
    }

    /**
     * One hub message.
     *
     * @param target    the invocation target, e.g. {@code ShokoEvent:FileMatched} or {@code file:matched}
     * @param arguments the JSON text of the {@code arguments} array as the hub sent it, or of its single argument;
     *                  null or blank means no argument
     */
    public static ShokoMessage parse(String target, String arguments) {
        String t = target == null ? "" : target.trim();
        if (t.isEmpty()) {
            return new Malformed("", "no target");
        }
        String lower = t.toLowerCase(Locale.ROOT);
        Route route = TARGETS.get(lower);
        if (route == null) {
            String feed = connectedFeed(lower);
            return feed != null ? new Connected(feed) : new Unknown(t);
        }
        JsonNode argument;
        try {
            argument = unwrap(read(arguments));
        } catch (JsonProcessingException | RuntimeException e) {
            return new Malformed(t, "the argument is not JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (argument == null || argument.isNull() || argument.isMissingNode()) {
            return new Malformed(t, "no argument");
        }
        if (!argument.isObject()) {
            return new Malformed(t, "the argument is a JSON " + argument.getNodeType().name().toLowerCase(Locale.ROOT)
                    + ", not an object");
        }
        List<JsonNode> scopes = scopes(argument);
        return route.kind() != null ? fileEvent(t, route.kind(), scopes)
                : metadataEvent(t, route.subject(), route.defaultReason(), scopes);
    }

    /** The feed of a greeting: {@code ShokoEvent:OnConnected} → {@code shoko}, {@code file:connected} → file. */
    private static String connectedFeed(String lowerTarget) {
        int colon = lowerTarget.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String event = lowerTarget.substring(colon + 1);
        if (!event.equals("onconnected") && !event.equals("connected")) {
            return null;
        }
        String group = lowerTarget.substring(0, colon);
        return group.endsWith("event") && group.length() > "event".length()
                ? group.substring(0, group.length() - "event".length())
                : group;
    }

    private static JsonNode read(String text) throws JsonProcessingException {
        if (text == null || text.isBlank()) {
            return NullNode.getInstance();
        }
        JsonNode node = MAPPER.readTree(text);
        return node == null ? NullNode.getInstance() : node;
    }

    /** Envelope → arguments; array → first element; a list inside → its first element. */
    private static JsonNode unwrap(JsonNode node) {
        JsonNode n = node;
        if (n.isObject() && n.get("arguments") != null && n.get("arguments").isArray()
                && (n.has("target") || n.has("type"))) {
            n = n.get("arguments");
        }
        for (int depth = 0; depth < 2 && n != null && n.isArray(); depth++) {
            n = n.isEmpty() ? null : n.get(0);
        }
        return n;
    }

    /** Where fields are looked for: a FileInfo sub-object first, then the argument itself. */
    private static List<JsonNode> scopes(JsonNode argument) {
        JsonNode info = find(List.of(argument), FILE_INFO);
        return info != null && info.isObject() ? List.of(info, argument) : List.of(argument);
    }

    private static ShokoMessage fileEvent(String target, Kind kind, List<JsonNode> scopes) {
        Long fileId = Payloads.id(find(scopes, FILE_ID));
        Long locationId = Payloads.id(find(scopes, FILE_LOCATION_ID));
        Integer folderId = intId(find(scopes, FOLDER_ID));
        String path = normalisePath(Payloads.text(find(scopes, RELATIVE_PATH)));
        if (path == null) {
            path = normalisePath(Payloads.text(find(scopes, FILE_NAME)));
        }
        List<CrossReference> xrefs = crossReferences(find(scopes, CROSS_REFERENCES));
        if (fileId == null && locationId == null && path == null && xrefs.isEmpty()) {
            return new Malformed(target, "no file id, location id, path or cross-reference");
        }
        return new FileEvent(kind, fileId, locationId, folderId, path, xrefs,
                bool(find(scopes, HAS_CROSS_REFERENCES)), count(find(scopes, AUTO_MATCH_ATTEMPTS)),
                bool(find(scopes, UDP_BANNED)), normalisePath(Payloads.text(find(scopes, PREVIOUS_PATH))),
                intId(find(scopes, PREVIOUS_FOLDER)));
    }

    private static List<CrossReference> crossReferences(JsonNode node) {
        List<CrossReference> list = new ArrayList<>();
        if (node == null || !node.isArray()) {
            return list;
        }
        for (JsonNode entry : node) {
            if (entry == null || !entry.isObject()) {
                continue;
            }
            List<JsonNode> scope = List.of(entry);
            CrossReference xref = new CrossReference(Payloads.id(find(scope, EPISODE_ID)),
                    Payloads.id(find(scope, ANIDB_EPISODE_ID)), Payloads.id(find(scope, SERIES_ID)),
                    Payloads.id(find(scope, ANIDB_ANIME_ID)), Payloads.id(find(scope, GROUP_ID)));
            if (xref.episodeId() != null || xref.anidbEpisodeId() != null || xref.seriesId() != null
                    || xref.anidbAnimeId() != null || xref.groupId() != null) {
                list.add(xref);
            }
        }
        return list;
    }

    private static ShokoMessage metadataEvent(String target, Subject subject, String defaultReason,
            List<JsonNode> scopes) {
        String source = Payloads.text(find(scopes, SOURCE));
        String reason = Payloads.text(find(scopes, REASON));
        if (reason == null) {
            reason = defaultReason;
        }
        Long seriesId = Payloads.id(find(scopes, SERIES_ID));
        Long id = switch (subject) {
            case SERIES -> seriesId;
            case EPISODE -> Payloads.id(find(scopes, EPISODE_ID));
            case MOVIE -> Payloads.id(find(scopes, MOVIE_ID));
        };
        List<Long> shokoSeries = ids(find(scopes, SHOKO_SERIES_IDS));
        List<Long> shokoEpisodes = ids(find(scopes, SHOKO_EPISODE_IDS));
        List<EpisodeChange> episodes = episodeChanges(find(scopes, EPISODES));
        if (shokoEpisodes.isEmpty() && !episodes.isEmpty()) {
            Set<Long> all = new LinkedHashSet<>();
            episodes.forEach(e -> all.addAll(e.shokoEpisodeIds()));
            shokoEpisodes = List.copyOf(all);
        }
        if (id == null && seriesId == null && shokoSeries.isEmpty() && shokoEpisodes.isEmpty()) {
            return new Malformed(target, "no id and no Shoko series or episode ids");
        }
        return new MetadataEvent(subject, source, reason, id, seriesId, shokoSeries, shokoEpisodes, episodes);
    }

    private static List<EpisodeChange> episodeChanges(JsonNode node) {
        List<EpisodeChange> list = new ArrayList<>();
        if (node == null || !node.isArray()) {
            return list;
        }
        for (JsonNode entry : node) {
            if (entry == null || !entry.isObject()) {
                continue;
            }
            List<JsonNode> scope = List.of(entry);
            EpisodeChange change = new EpisodeChange(Payloads.text(find(scope, REASON)),
                    Payloads.id(find(scope, EPISODE_ID)), ids(find(scope, SHOKO_EPISODE_IDS)));
            if (change.episodeId() != null || !change.shokoEpisodeIds().isEmpty()) {
                list.add(change);
            }
        }
        return list;
    }

    // --- field readers ---

    /**
     * The first non-null value under any of the names, scope by scope: exact names first, then a case-insensitive
     * match of the same names.
     */
    static JsonNode find(List<JsonNode> scopes, String... names) {
        for (JsonNode scope : scopes) {
            JsonNode value = app.statustracker.client.ShokoClient.field(scope, names);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static Integer intId(JsonNode node) {
        Long id = Payloads.id(node);
        return id == null || id > Integer.MAX_VALUE ? null : id.intValue();
    }

    /** A count of 0 or more, from a number or a numeric string; null otherwise. */
    private static Integer count(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue() >= 0 ? node.intValue() : null;
        }
        if (node.isTextual()) {
            String s = node.asText().trim();
            if (!s.isEmpty() && s.length() < 10 && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Integer.valueOf(s);
            }
        }
        return null;
    }

    private static Boolean bool(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual()) {
            String s = node.asText().trim();
            if (s.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (s.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }

    /** Positive ids, distinct, in order: an array of numbers or numeric strings, or a single one. */
    private static List<Long> ids(JsonNode node) {
        Set<Long> ids = new LinkedHashSet<>();
        if (node != null && node.isArray()) {
            for (JsonNode entry : node) {
                Long id = Payloads.id(entry);
                if (id != null) {
                    ids.add(id);
                }
            }
        } else {
            Long id = Payloads.id(node);
            if (id != null) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    /** Trimmed, {@code /} separators, no leading separator; blank → null (as the REST client reads paths). */
    public static String normalisePath(String path) {
        return app.statustracker.client.ShokoClient.normalisePath(path);
    }

    /** The last {@code /}-separated segment of a normalised path; null for null. */
    static String lastSegment(String path) {
        if (path == null) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        String name = slash < 0 ? path : path.substring(slash + 1);
        return name.isBlank() ? null : name;
    }

    // --- dedupe keys ---

    /** prefix + a short hash of detail, cut to fit. */
    static String key(String prefix, String detail) {
        return fit(prefix + hash(String.valueOf(detail)));
    }

    /** The text itself when it fits into a key, else its head and a hash of the whole. */
    static String fit(String text) {
        if (text.length() <= ShokoMessage.MAX_KEY) {
            return text;
        }
        int head = ShokoMessage.MAX_KEY - HASH_CHARS - 1;
        return text.substring(0, head) + "#" + hash(text);
    }

    /** A source or reason as it is when short, else hashed: a key never holds long free text. */
    static String shortText(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= SHORT_TEXT ? text : hash(text).substring(0, 8);
    }

    static String sortedIds(List<Long> ids) {
        return ids.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String hash(String text) {
        return Payloads.sha256(text).substring(0, HASH_CHARS);
    }
}
