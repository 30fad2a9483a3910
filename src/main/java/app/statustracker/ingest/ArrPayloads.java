package app.statustracker.ingest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Readers shared by the Sonarr and Radarr adapters (same code base upstream, same serialiser: camelCase, nulls
 * omitted, value-type defaults such as {@code 0} kept). Every reader accepts any node, including null, and answers
 * null for what it cannot use.
 */
public final class ArrPayloads {

    /** The inbound_event and media_request columns hold 64 characters; a longer value is no torrent hash. */
    static final int MAX_HASH = 64;

    /** What Sonarr's and Radarr's events can prove. */
    static final java.util.List<String> STATES_PROVIDED = java.util.List.of(
            app.statustracker.RequestState.SEARCHING.value(), app.statustracker.RequestState.GRABBING.value(),
            app.statustracker.RequestState.IMPORTING.value(), app.statustracker.RequestState.ANIME_MATCHING.value(),
            app.statustracker.RequestState.REMOVED.value());
    /** IMDb ids are "tt" plus up to 10 digits; the columns hold 20 characters. */
    static final int MAX_IMDB = 20;
    /** Ranges in file names ("S01E01-24") are filled in up to this many episodes; more is a misread, not a file. */
    private static final int MAX_RANGE = 50;

    /** {@code S01E05}, {@code S01.E05}, with multi-episode tails {@code E06}, {@code -E06}, {@code -06}. */
    private static final Pattern SXXEYY = Pattern.compile(
            "(?<![a-z0-9])s(\\d{1,4})[ ._-]?e(\\d{1,4})(?!\\d)((?:[-_. ]?e\\d{1,4}(?!\\d)|-\\d{1,4}(?![a-z0-9]))*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TAIL = Pattern.compile("([-_. ]?e|-)(\\d{1,4})", Pattern.CASE_INSENSITIVE);
    /** {@code 1x05}; digits on either side are refused so that "1920x1080" is not read as an episode. */
    private static final Pattern NXNN = Pattern.compile("(?<![0-9a-z])(\\d{1,2})x(\\d{2,3})(?![0-9])",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private ArrPayloads() {
    }

    /** Season and episode numbers of one episode, as parsed from a file name. */
    public record Numbers(int season, int episode) {
    }

    /** The field when it is a JSON object, else null (a string or an array where an object belongs is unusable). */
    static JsonNode object(JsonNode parent, String field) {
        JsonNode node = parent != null && parent.isObject() ? parent.get(field) : null;
        return node != null && node.isObject() ? node : null;
    }

    /** The field when it is a JSON array, else null. */
    static JsonNode array(JsonNode parent, String field) {
        JsonNode node = parent != null && parent.isObject() ? parent.get(field) : null;
        return node != null && node.isArray() ? node : null;
    }

    static JsonNode field(JsonNode parent, String field) {
        return parent != null && parent.isObject() ? parent.get(field) : null;
    }

    static String text(JsonNode parent, String field) {
        return Payloads.text(field(parent, field));
    }

    /**
     * {@code alternateTitles: [{"title": …}]} of a Sonarr series or a Radarr movie resource (REST shape; webhooks do
     * not carry them); empty when absent.
     */
    static List<String> alternateTitles(JsonNode media) {
        JsonNode list = field(media, "alternateTitles");
        if (list == null || !list.isArray()) {
            return List.of();
        }
        List<String> titles = new ArrayList<>();
        for (JsonNode t : list) {
            String title = t.isTextual() ? t.asText() : Payloads.text(t.get("title"));
            if (title != null && !title.isBlank()) {
                titles.add(title);
            }
        }
        return titles;
    }

    static Long id(JsonNode parent, String field) {
        return Payloads.id(field(parent, field));
    }

    /** True only for a JSON {@code true}: the *arrs always send these flags as booleans. */
    static boolean isTrue(JsonNode parent, String field) {
        JsonNode node = field(parent, field);
        return node != null && node.isBoolean() && node.booleanValue();
    }

    /** The download client's id in lower case; null when it cannot be a hash the schema can store. */
    static String downloadHash(JsonNode parent) {
        String hash = Payloads.hash(field(parent, "downloadId"));
        return hash == null || hash.length() > MAX_HASH ? null : hash;
    }

    static String imdb(JsonNode parent) {
        String imdb = text(parent, "imdbId");
        return imdb == null || imdb.length() > MAX_IMDB ? null : imdb;
    }

    /** A year from a number or a numeric string; the *arrs send 0 for "unknown". */
    static Integer year(JsonNode node) {
        Integer value = number(node);
        return value != null && value >= 1 && value <= 9999 ? value : null;
    }

    /**
     * A season or episode number from a number or a numeric string. 0 is a real value here (season 0 holds the
     * specials); negative, fractional and implausibly large values are not numbers of an episode.
     */
    static Integer number(JsonNode node) {
        if (node == null) {
            return null;
        }
        long value;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.asLong();
        } else if (node.isTextual()) {
            String s = node.asText().trim();
            if (s.isEmpty() || s.length() > 6 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            value = Long.parseLong(s);
        } else {
            return null;
        }
        return value >= 0 && value <= 100_000 ? (int) value : null;
    }

    /** {@code "yyyy-MM-dd"}, else null. */
    static LocalDate date(JsonNode node) {
        String s = Payloads.text(node);
        if (s == null || !ISO_DATE.matcher(s).matches()) {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            return null; // "2023-02-30": shaped like a date, is none
        }
    }

    /** The remote (TMDB/TVDB) URL of the first poster image; the local URL needs the *arr's API key. */
    static String poster(JsonNode images) {
        if (images == null || !images.isArray()) {
            return null;
        }
        for (JsonNode image : images) {
            if (image.isObject() && "poster".equalsIgnoreCase(Payloads.text(image.get("coverType")))) {
                String url = Payloads.text(image.get("remoteUrl"));
                if (url != null) {
                    return url;
                }
            }
        }
        return null;
    }

    /** Whether a tag label list ({@code tags}: labels in webhooks, not ids) holds a configured anime tag. */
    static boolean hasAnimeTag(JsonNode tags, IngestRules rules) {
        if (tags == null || !tags.isArray()) {
            return false;
        }
        for (JsonNode tag : tags) {
            if (tag.isTextual() && rules.isAnimeTag(tag.asText())) {
                return true;
            }
        }
        return false;
    }

    /** Null when the upstream said nothing about the release, so that known details are not blanked. */
    static ReleaseFacts release(String quality, String indexer, String releaseGroup, Long size) {
        ReleaseFacts facts = new ReleaseFacts(quality, indexer, releaseGroup, size);
        return facts.isEmpty() ? null : facts;
    }

    /** The last segment of a path, either separator (Sonarr/Radarr on Windows send backslashes). */
    static String fileName(String path) {
        if (path == null) {
            return null;
        }
        String p = stripTrailingSeparators(path);
        String name = p.substring(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1).trim();
        return name.isEmpty() ? null : name;
    }

    /** The folder holding a path, or null when it has none. */
    static String parent(String path) {
        if (path == null) {
            return null;
        }
        String p = stripTrailingSeparators(path);
        int cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
        if (cut < 0) {
            return null;
        }
        return cut == 0 ? p.substring(0, 1) : p.substring(0, cut);
    }

    private static String stripTrailingSeparators(String path) {
        String p = path;
        while (p.length() > 1 && (p.endsWith("/") || p.endsWith("\\"))) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** A SHA-256 cut to 128 bits: still unique in practice, and it keeps dedupe keys within 100 characters. */
    static String shortSha(String text) {
        return Payloads.sha256(text).substring(0, 32);
    }

    /** Test deliveries are answered "ignored" and never recorded as duplicates: every click is its own delivery. */
    static Interpretation.Ignore testEvent(String source, MediaKeys keys) {
        return new Interpretation.Ignore("Test", source + ":Test:" + UUID.randomUUID(),
                "test event received: the webhook works", keys);
    }

    /**
     * Sonarr's webhook episodes ({@code episodes[]}) and the REST episode resource share these fields. Entries
     * without integer season and episode numbers are skipped: nothing could identify them.
     *
     * @param onlyMonitored skip episodes with {@code "monitored": false} (REST shape)
     */
    static List<EpisodeFact> episodes(JsonNode array, boolean onlyMonitored) {
        List<EpisodeFact> facts = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return facts;
        }
        Set<Numbers> seen = new LinkedHashSet<>();
        for (JsonNode e : array) {
            if (!e.isObject()) {
                continue;
            }
            if (onlyMonitored && e.path("monitored").isBoolean() && !e.path("monitored").booleanValue()) {
                continue;
            }
            Integer season = number(e.get("seasonNumber"));
            Integer episode = number(e.get("episodeNumber"));
            // One fact per episode: a payload listing one twice would otherwise update it twice.
            if (season == null || episode == null || !seen.add(new Numbers(season, episode))) {
                continue;
            }
            facts.add(new EpisodeFact(season, episode, Payloads.text(e.get("title")), Payloads.id(e.get("id")),
                    Payloads.id(e.get("tvdbId")), date(e.get("airDate")), null, null));
        }
        return facts;
    }

    /** "S01E05" for one episode, "13 episodes" for more, null for none. */
    static String episodeLabel(List<EpisodeFact> episodes) {
        if (episodes.isEmpty()) {
            return null;
        }
        return episodes.size() == 1 ? episodes.get(0).label() : episodes.size() + " episodes";
    }

    /**
     * The episodes a file name names: {@code S01E05}, multi-episode {@code S01E05E06}, {@code S01E05-E06},
     * {@code S01E05-06} (a range), or {@code 1x05}. Empty when it names none.
     */
    public static Set<Numbers> episodeNumbers(String name) {
        Set<Numbers> found = new LinkedHashSet<>();
        if (name == null) {
            return found;
        }
        Matcher m = SXXEYY.matcher(name);
        while (m.find()) {
            int season = Integer.parseInt(m.group(1));
            int previous = Integer.parseInt(m.group(2));
            found.add(new Numbers(season, previous));
            Matcher tail = TAIL.matcher(m.group(3));
            while (tail.find()) {
                int next = Integer.parseInt(tail.group(2));
                if (tail.group(1).contains("-") && next > previous && next - previous <= MAX_RANGE) {
                    // A dash joins a range (Sonarr's "Range" styles); listing styles are consecutive anyway.
                    for (int n = previous + 1; n <= next; n++) {
                        found.add(new Numbers(season, n));
                    }
                } else {
                    found.add(new Numbers(season, next));
                }
                previous = next;
            }
        }
        if (found.isEmpty()) {
            Matcher x = NXNN.matcher(name);
            while (x.find()) {
                found.add(new Numbers(Integer.parseInt(x.group(1)), Integer.parseInt(x.group(2))));
            }
        }
        return found;
    }
}
