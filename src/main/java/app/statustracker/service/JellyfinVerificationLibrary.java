package app.statustracker.service;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import app.statustracker.client.JellyfinItem;

/**
 * What the Jellyfin verification knows of the library: every movie and series (ids, titles, year, playable) and the
 * playable episodes of each series, kept compact. Filled by a full read, then kept current with what changed since
 * the last cycle; matched against the requests here, without asking Jellyfin per request.
 *
 * <p>Not thread-safe: only one verification cycle runs at a time and it alone touches this.
 */
final class JellyfinVerificationLibrary {

    private static final Pattern TRAILING_YEAR = Pattern.compile("\\s*\\((?:19|20)\\d{2}\\)\\s*$");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final List<String> PROVIDERS = List.of("tmdb", "tvdb", "imdb");
    private static final Comparator<JellyfinItem> BY_ID = Comparator.comparing(JellyfinItem::id);

    /** Movies and series by Jellyfin id. */
    private final Map<String, JellyfinItem> titles = new HashMap<>();
    /** Playable episodes by series id, then by episode id. */
    private final Map<String, Map<String, JellyfinItem>> episodesBySeries = new HashMap<>();
    /** The series each known playable episode belongs to (an episode moved or deleted is found again). */
    private final Map<String, String> seriesOfEpisode = new HashMap<>();
    /** Lookups, rebuilt when the library changed. */
    private Map<String, List<JellyfinItem>> byKey;

    int titleCount() {
        return titles.size();
    }

    int episodeCount() {
        return seriesOfEpisode.size();
    }

    /** Replaces everything with a full read of the library. */
    void replaceAll(Collection<JellyfinItem> items) {
        titles.clear();
        episodesBySeries.clear();
        seriesOfEpisode.clear();
        byKey = null; // merge() keeps the lookups when it takes in nothing: an emptied library must not keep them
        merge(items);
    }

    /** Takes in items read again (added, changed): the newer copy wins; an episode no longer playable is dropped. */
    void merge(Collection<JellyfinItem> items) {
        if (items.isEmpty()) {
            return;
        }
        for (JellyfinItem item : items) {
            if (item.id() == null || item.type() == null) {
                continue;
            }
            if (item.type().equalsIgnoreCase("Movie") || item.type().equalsIgnoreCase("Series")) {
                titles.put(item.id(), compact(item));
            } else if (item.type().equalsIgnoreCase("Episode")) {
                String before = seriesOfEpisode.remove(item.id());
                if (before != null) {
                    Map<String, JellyfinItem> of = episodesBySeries.get(before);
                    if (of != null) {
                        of.remove(item.id());
                        if (of.isEmpty()) {
                            episodesBySeries.remove(before);
                        }
                    }
                }
                if (item.playable() && item.seriesId() != null && item.seasonNumber() != null
                        && item.episodeNumber() != null) {
                    episodesBySeries.computeIfAbsent(item.seriesId(), k -> new HashMap<>()).put(item.id(),
                            compact(item));
                    seriesOfEpisode.put(item.id(), item.seriesId());
                }
            }
        }
        byKey = null;
    }

    boolean knowsTitle(String id) {
        return titles.containsKey(id);
    }

    /** Series that have playable episodes here but are not known themselves (their episodes came alone). */
    Set<String> seriesMissing() {
        Set<String> missing = new HashSet<>();
        for (String seriesId : episodesBySeries.keySet()) {
            if (!titles.containsKey(seriesId)) {
                missing.add(seriesId);
            }
        }
        return missing;
    }

    /** Movies or series (by {@code type}) whose provider id {@code provider} is {@code value}, by id. */
    List<JellyfinItem> byProvider(String type, String provider, Object value) {
        if (value == null) {
            return List.of();
        }
        return index().getOrDefault(type.toLowerCase(Locale.ROOT) + "|" + provider + "|"
                + value.toString().trim().toLowerCase(Locale.ROOT), List.of());
    }

    /** Movies or series whose Name or OriginalTitle reads like this title once normalised. */
    List<JellyfinItem> byTitle(String type, String title) {
        String key = normalise(title);
        return key == null ? List.of() : index().getOrDefault(type.toLowerCase(Locale.ROOT) + "|title|" + key, List.of());
    }

    /** The playable episodes of a series, by season and number. */
    List<JellyfinItem> playableEpisodes(String seriesId) {
        Map<String, JellyfinItem> of = episodesBySeries.get(seriesId);
        if (of == null) {
            return List.of();
        }
        List<JellyfinItem> list = new ArrayList<>(of.values());
        list.sort(Comparator.comparing(JellyfinItem::seasonNumber).thenComparing(JellyfinItem::episodeNumber)
                .thenComparing(BY_ID));
        return list;
    }

    private Map<String, List<JellyfinItem>> index() {
        if (byKey == null) {
            Map<String, List<JellyfinItem>> built = new HashMap<>();
            List<JellyfinItem> sorted = new ArrayList<>(titles.values());
            sorted.sort(BY_ID); // the same library always gives the same first match
            for (JellyfinItem item : sorted) {
                String type = item.type().toLowerCase(Locale.ROOT);
                for (String provider : PROVIDERS) {
                    String value = item.providerId(provider);
                    if (value != null) {
                        built.computeIfAbsent(type + "|" + provider + "|" + value.trim().toLowerCase(Locale.ROOT),
                                k -> new ArrayList<>(1)).add(item);
                    }
                }
                Set<String> names = new HashSet<>();
                for (String name : new String[] {item.name(), item.originalTitle()}) {
                    String key = normalise(name);
                    if (key != null && names.add(key)) {
                        built.computeIfAbsent(type + "|title|" + key, k -> new ArrayList<>(1)).add(item);
                    }
                }
            }
            byKey = built;
        }
        return byKey;
    }

    /** Only what matching needs: no path, no other provider ids. */
    private static JellyfinItem compact(JellyfinItem item) {
        boolean episode = "Episode".equalsIgnoreCase(item.type());
        Map<String, String> ids = new LinkedHashMap<>();
        if (!episode) {
            for (String provider : PROVIDERS) {
                String value = item.providerId(provider);
                if (value != null) {
                    ids.put(provider, value);
                }
            }
        }
        return new JellyfinItem(item.id(), episode ? null : item.name(), item.type(), item.year(),
                ids.isEmpty() ? Map.of() : Map.copyOf(ids), null, item.playable(), item.seriesId(),
                item.seasonNumber(), item.episodeNumber(), item.episodeNumberEnd(),
                episode ? null : item.originalTitle());
    }

    /**
     * A title as compared by the anime fallback: without a trailing "(2006)", accents, case and punctuation
     * ("Kaguya-sama: Love Is War" and "Kaguya sama Love is War" agree). Null when nothing is left.
     */
    static String normalise(String title) {
        if (title == null) {
            return null;
        }
        String t = TRAILING_YEAR.matcher(title).replaceFirst("");
        t = MARKS.matcher(Normalizer.normalize(t, Normalizer.Form.NFKD)).replaceAll("");
        t = NOT_WORD.matcher(t.toLowerCase(Locale.ROOT).replace("&", " and ")).replaceAll(" ").trim();
        return t.isEmpty() ? null : t;
    }
}
