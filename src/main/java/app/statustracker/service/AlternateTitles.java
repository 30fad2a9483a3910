package app.statustracker.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request's other titles, stored one per line ({@code media_request.alternate_titles}): the ones Sonarr and Radarr
 * know (romaji, English, synonyms). New ones are added, repeats (any case) and the request's own title left out, and
 * the list is bounded so that a series with hundreds of scene names cannot outgrow its column.
 */
public final class AlternateTitles {

    /** At most this many titles are kept, the first known first. */
    static final int MAX_TITLES = 40;
    /** The column's size. */
    static final int MAX_CHARS = 4000;

    private AlternateTitles() {
    }

    /** The stored titles as a list (empty when none). */
    public static List<String> list(String stored) {
        if (stored == null || stored.isBlank()) {
            return List.of();
        }
        return Arrays.stream(stored.split("\n")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    /** The stored form of {@code stored} plus {@code more}; {@code stored} itself when nothing is new. */
    static String merge(String stored, List<String> more, String ownTitle) {
        if (more == null || more.isEmpty()) {
            return stored;
        }
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String t : list(stored)) {
            byKey.putIfAbsent(t.toLowerCase(Locale.ROOT), t);
        }
        String own = ownTitle == null ? null : ownTitle.trim().toLowerCase(Locale.ROOT);
        boolean added = false;
        for (String t : more) {
            String title = t == null ? "" : t.replaceAll("[\\r\\n]+", " ").trim();
            String key = title.toLowerCase(Locale.ROOT);
            if (title.isEmpty() || key.equals(own) || byKey.containsKey(key) || byKey.size() >= MAX_TITLES) {
                continue;
            }
            byKey.put(key, title);
            added = true;
        }
        if (!added) {
            return stored;
        }
        List<String> kept = new ArrayList<>();
        int chars = 0;
        for (String t : byKey.values()) {
            if (chars + t.length() + 1 > MAX_CHARS) {
                break;
            }
            kept.add(t);
            chars += t.length() + 1;
        }
        return String.join("\n", kept);
    }
}
