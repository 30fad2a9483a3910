package app.statustracker.ingest;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prototype's auto-link rules (original-system.md Appendix A), pure:
 * <ul>
 * <li>the guard: Shoko's first search hit is only used when its name shares a word of at least three letters with
 * the request's title or one of its alternate titles (case and accents ignored). Stricter than the prototype, which
 * tested substrings: a word must match a whole word, and a few filler words ({@code the}, {@code and}, {@code season},
 * ...) do not count;</li>
 * <li>the episode number from a file name: {@code S01E05} first, else {@code " - 05"}.</li>
 * </ul>
 */
public final class ShokoAutoLink {

    /** Letters a shared word needs. */
    static final int MIN_LETTERS = 3;

    /** Words that say nothing about which series it is. */
    private static final Set<String> FILLER = Set.of("the", "and", "for", "with", "from", "season", "movie", "film",
            "part", "series", "anime", "tv", "ova", "ona", "special", "specials", "der", "die", "das", "les", "des",
            "une", "los", "las");

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SPLIT = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern SEASON_EPISODE = Pattern.compile("[Ss](\\d{1,4})[Ee](\\d{1,4})");
    private static final Pattern DASH_NUMBER = Pattern.compile(" - (\\d{1,4})(?:[vV]\\d)?(?=$|[^\\p{L}\\p{N}])");

    private ShokoAutoLink() {
    }

    /**
     * Whether the search hit may be linked: its name shares a word of at least {@link #MIN_LETTERS} letters with the
     * title or with one of the alternate titles.
     */
    public static boolean accepts(String hitName, String title, Collection<String> alternateTitles) {
        return matchingTitle(hitName, title, alternateTitles).isPresent();
    }

    /** The first of title, then the alternate titles, that shares such a word with the hit's name. */
    public static Optional<String> matchingTitle(String hitName, String title, Collection<String> alternateTitles) {
        Set<String> hitWords = words(hitName);
        if (hitWords.isEmpty()) {
            return Optional.empty();
        }
        List<String> titles = new ArrayList<>();
        titles.add(title);
        if (alternateTitles != null) {
            titles.addAll(alternateTitles);
        }
        for (String t : titles) {
            if (t != null && words(t).stream().anyMatch(hitWords::contains)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The word shared by both texts, if any (the first of a's words). */
    public static Optional<String> sharedWord(String a, String b) {
        Set<String> other = words(b);
        return words(a).stream().filter(other::contains).findFirst();
    }

    /**
     * The significant words of a title: lower case, accents removed, split on anything that is not a letter or a
     * digit, with at least {@link #MIN_LETTERS} letters, filler words left out.
     */
    static Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        if (text == null || text.isBlank()) {
            return words;
        }
        String folded = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("")
                .toLowerCase(Locale.ROOT);
        for (String word : SPLIT.split(folded)) {
            if (word.codePoints().filter(Character::isLetter).count() >= MIN_LETTERS && !FILLER.contains(word)) {
                words.add(word);
            }
        }
        return words;
    }

    /**
     * The episode number in a file name (or path: only its last segment is read): {@code S01E05} → 5, else
     * {@code "Title - 05 [1080p].mkv"} → 5; null when neither is there or the number is 0.
     */
    public static Integer episodeNumber(String fileName) {
        String name = baseName(fileName);
        if (name == null) {
            return null;
        }
        Matcher se = SEASON_EPISODE.matcher(name);
        if (se.find()) {
            return positive(se.group(2));
        }
        Matcher dash = DASH_NUMBER.matcher(name);
        if (dash.find()) {
            return positive(dash.group(1));
        }
        return null;
    }

    /** The season number of an {@code S01E05} file name; null without one. */
    public static Integer seasonNumber(String fileName) {
        String name = baseName(fileName);
        if (name == null) {
            return null;
        }
        Matcher se = SEASON_EPISODE.matcher(name);
        return se.find() ? Integer.valueOf(se.group(1)) : null;
    }

    private static String baseName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return null;
        }
        String path = fileName.replace('\\', '/');
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static Integer positive(String digits) {
        int n = Integer.parseInt(digits);
        return n > 0 ? n : null;
    }
}
