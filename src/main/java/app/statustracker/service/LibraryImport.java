package app.statustracker.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.EventOutcome;
import app.statustracker.MediaType;
import app.statustracker.RequestState;
import app.statustracker.auth.Caller;
import app.statustracker.client.JellyfinClient;
import app.statustracker.client.JellyfinItem;
import app.statustracker.client.RadarrClient;
import app.statustracker.client.SonarrClient;
import app.statustracker.config.TrackerConfig;
import app.statustracker.ingest.DomainEvent;
import app.statustracker.ingest.Interpretation;
import app.statustracker.ingest.MediaFacts;
import app.statustracker.ingest.MediaKeys;
import app.statustracker.ingest.Submission;
import app.statustracker.ingest.Target;
import app.statustracker.repository.MediaRequestRepository;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The library import (an admin's "Import library"): movies and series that Jellyfin already has playable become
 * {@code available} requests, so the history shows the whole library and later deletions know every id.
 *
 * <p>The prototype's version made two kinds of wrong rows (original-system.md §9.2), which this one avoids:
 * <ul>
 * <li>Anime that Jellyfin knows only by AniDB id (Shokofin) got a second row beside the request that tracks it by TVDB
 * or TMDB id. Here such an item first borrows the ids of the Sonarr series or Radarr movie with its title (or one of
 * their alternate titles) and year; failing that it is compared with the tracked requests by title. Two Jellyfin
 * items with one AniDB id make one row.</li>
 * <li>Media that a request already tracks, in any state (a pending request, or one still downloading), got a row of
 * its own. Here any request with the same Jellyfin, TMDB, TVDB or IMDb id keeps it.</li>
 * </ul>
 * Each new row is an event of source {@value #SOURCE} through the pipeline, like every other input; its dedupe key is
 * the Jellyfin item, so running the import twice adds nothing the second time.
 */
@ApplicationScoped
public class LibraryImport {

    public static final String SOURCE = "library";
    private static final Logger LOG = Logger.getLogger(LibraryImport.class);
    private static final int MAX_ERROR_DETAILS = 20;

    /**
     * What one import did.
     *
     * @param scanned      movies and series Jellyfin listed
     * @param added        new available requests
     * @param skipped      items left out, with {@code skippedBecause} saying why
     * @param errors       items or upstreams that could not be handled
     * @param errorDetails what went wrong (at most 20, masked)
     */
    @RegisterForReflection
    public record Result(int scanned, int added, int skipped, Map<String, Integer> skippedBecause, int errors,
            List<String> errorDetails) {
    }

    /** A Jellyfin movie or series with the ids it ends up with. */
    private record Candidate(JellyfinItem item, MediaType type, Long tmdb, Long tvdb, String imdb, String anidb,
            Long arrId, boolean anime, String poster, List<String> titles) {
    }

    /** What the tracked requests are known by. */
    private static final class Tracked {
        final Set<String> jellyfinIds = new HashSet<>();
        final Set<String> keys = new HashSet<>();
        final Map<String, List<Integer>> titles = new HashMap<>();

        boolean byId(Candidate c) {
            return jellyfinIds.contains(c.item().id()) || keys(c).stream().anyMatch(keys::contains);
        }

        /** For media known by no TMDB/TVDB/IMDb id: a tracked request with one of its titles and a close year. */
        boolean byTitle(Candidate c) {
            for (String title : c.titles()) {
                String key = JellyfinVerificationLibrary.normalise(title);
                for (Integer year : key == null ? List.<Integer> of() : titles.getOrDefault(key, List.of())) {
                    if (year == null || c.item().year() == null || Math.abs(year - c.item().year()) <= 1) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private final JellyfinClient jellyfin;
    private final RadarrClient radarr;
    private final SonarrClient sonarr;
    private final EventPipeline pipeline;
    private final MediaRequestRepository requests;
    private final ObjectMapper json;
    private final String jellyfinUrl;
    private final TrackerConfig.Anime anime;

    public LibraryImport(JellyfinClient jellyfin, RadarrClient radarr, SonarrClient sonarr, EventPipeline pipeline,
            MediaRequestRepository requests, ObjectMapper json, TrackerConfig config) {
        this.jellyfin = jellyfin;
        this.radarr = radarr;
        this.sonarr = sonarr;
        this.pipeline = pipeline;
        this.requests = requests;
        this.json = json;
        String url = config.jellyfin().publicUrl();
        this.jellyfinUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.anime = config.anime();
    }

    /** Fails with the upstream's error when Jellyfin cannot be read; Radarr or Sonarr missing only costs ids. */
    public Uni<Result> run(Caller caller) {
        List<String> errors = new ArrayList<>();
        Uni<List<JsonNode>> movies = radarr.configured() ? radarr.allMovies().onFailure().recoverWithItem(f -> {
            errors.add("Radarr could not be read (" + SecretMasker.maskText(f.getMessage())
                    + "); movies keep Jellyfin's ids only");
            return List.of();
        }) : Uni.createFrom().item(List.of());
        Uni<List<JsonNode>> series = sonarr.configured() ? sonarr.allSeries().onFailure().recoverWithItem(f -> {
            errors.add("Sonarr could not be read (" + SecretMasker.maskText(f.getMessage())
                    + "); series keep Jellyfin's ids only");
            return List.of();
        }) : Uni.createFrom().item(List.of());
        return jellyfin.library(null).chain(items -> movies.chain(m -> series.chain(s -> pipeline
                .execute(requests::trackedKeys).chain(rows -> importAll(items, m, s, tracked(rows), errors, caller)))));
    }

    private Uni<Result> importAll(List<JellyfinItem> items, List<JsonNode> movies, List<JsonNode> series,
            Tracked tracked, List<String> errors, Caller caller) {
        ArrIndex radarrIndex = new ArrIndex(movies, "tmdbId", null);
        ArrIndex sonarrIndex = new ArrIndex(series, "tvdbId", "tmdbId");
        Map<String, Integer> playableEpisodes = new HashMap<>();
        for (JellyfinItem i : items) {
            if ("Episode".equalsIgnoreCase(i.type()) && i.playable() && i.seriesId() != null) {
                playableEpisodes.merge(i.seriesId(), 1, Integer::sum);
            }
        }
        Map<String, Integer> skipped = new LinkedHashMap<>();
        Set<String> addedKeys = new HashSet<>();
        List<Submission> submissions = new ArrayList<>();
        int scanned = 0;
        for (JellyfinItem item : items) {
            boolean movie = "Movie".equalsIgnoreCase(item.type());
            if (!movie && !"Series".equalsIgnoreCase(item.type())) {
                continue;
            }
            scanned++;
            if (movie ? !item.playable() : playableEpisodes.getOrDefault(item.id(), 0) == 0) {
                skipped.merge("nothing playable", 1, Integer::sum);
                continue;
            }
            Candidate c = candidate(item, movie ? MediaType.MOVIE : MediaType.TV, movie ? radarrIndex : sonarrIndex);
            if (tracked.byId(c)) {
                skipped.merge("already tracked", 1, Integer::sum);
                continue;
            }
            if (c.tmdb() == null && c.tvdb() == null && c.imdb() == null && tracked.byTitle(c)) {
                skipped.merge("already tracked (same title)", 1, Integer::sum);
                continue;
            }
            List<String> keys = keys(c);
            if (keys.stream().anyMatch(k -> !addedKeys.add(k))) {
                skipped.merge("another Jellyfin item of the same media", 1, Integer::sum);
                continue;
            }
            submissions.add(submission(c, caller));
        }
        int scannedItems = scanned;
        return pipeline.submitUnseen(submissions).map(results -> {
            int added = 0;
            for (PipelineResult r : results) {
                if (r.outcome() == EventOutcome.APPLIED) {
                    added++;
                } else if (r.outcome() == EventOutcome.ERROR || r.outcome() == EventOutcome.REJECTED) {
                    errors.add("an item could not be imported: " + r.reason());
                } else {
                    skipped.merge("already imported", 1, Integer::sum);
                }
            }
            int unseenSkipped = submissions.size() - results.size();
            if (unseenSkipped > 0) {
                skipped.merge("already imported", unseenSkipped, Integer::sum);
            }
            int skippedTotal = skipped.values().stream().mapToInt(Integer::intValue).sum();
            LOG.infof("library import by %s: %d scanned, %d added, %d skipped %s, %d errors",
                    caller.username() == null ? "an admin" : caller.username(), scannedItems, added, skippedTotal,
                    skipped, errors.size());
            return new Result(scannedItems, added, skippedTotal, skipped, errors.size(),
                    errors.size() > MAX_ERROR_DETAILS ? List.copyOf(errors.subList(0, MAX_ERROR_DETAILS))
                            : List.copyOf(errors));
        });
    }

    private Candidate candidate(JellyfinItem item, MediaType type, ArrIndex arr) {
        Long tmdb = number(item.providerId("tmdb"));
        Long tvdb = type == MediaType.TV ? number(item.providerId("tvdb")) : null;
        String imdb = blank(item.providerId("imdb"));
        String anidb = blank(item.providerId("anidb"));
        JsonNode found = type == MediaType.MOVIE ? arr.byId(tmdb, null) : arr.byId(tvdb, tmdb);
        if (found == null && imdb != null) {
            found = arr.byImdb(imdb);
        }
        if (found == null && tmdb == null && tvdb == null && imdb == null) {
            // Known only by AniDB (Shokofin) or not at all: the *arr entry with this title and year lends its ids.
            found = arr.byTitle(item.name(), item.originalTitle(), item.year());
        }
        List<String> titles = new ArrayList<>();
        titles.add(item.name());
        if (item.originalTitle() != null) {
            titles.add(item.originalTitle());
        }
        boolean isAnime = anidb != null;
        String poster = jellyfinUrl + "/Items/" + item.id() + "/Images/Primary";
        Long arrId = null;
        if (found != null) {
            arrId = found.path("id").canConvertToLong() ? found.path("id").asLong() : null;
            if (tmdb == null) {
                tmdb = number(found.path("tmdbId").asText(null));
            }
            if (type == MediaType.TV && tvdb == null) {
                tvdb = number(found.path("tvdbId").asText(null));
            }
            if (imdb == null) {
                imdb = blank(found.path("imdbId").asText(null));
            }
            isAnime |= "anime".equalsIgnoreCase(found.path("seriesType").asText(""));
            for (JsonNode alt : found.path("alternateTitles")) {
                String t = blank(alt.path("title").asText(null));
                if (t != null) {
                    titles.add(t);
                }
            }
            for (JsonNode image : found.path("images")) {
                if ("poster".equalsIgnoreCase(image.path("coverType").asText("")) && image.hasNonNull("remoteUrl")) {
                    poster = image.get("remoteUrl").asText();
                    break;
                }
            }
        }
        if (!isAnime && item.path() != null) {
            String path = item.path().toLowerCase(Locale.ROOT);
            isAnime = anime.pathMarkers().stream().anyMatch(m -> !m.isBlank() && path.contains(m.toLowerCase(Locale.ROOT)));
        }
        return new Candidate(item, type, tmdb, tvdb, imdb, anidb, arrId, isAnime, poster, titles);
    }

    private Submission submission(Candidate c, Caller caller) {
        String who = caller.username() == null ? "an admin" : caller.username();
        boolean movie = c.type() == MediaType.MOVIE;
        MediaKeys keys = new MediaKeys(c.type(), c.tmdb(), c.tvdb(), c.imdb(), null, null, false,
                movie ? null : c.arrId(), movie ? c.arrId() : null, c.item().id());
        MediaFacts facts = new MediaFacts(c.item().name(), c.item().year(), c.poster(), null, "Library import",
                List.of(), c.anime() ? Boolean.TRUE : null, null, null, null, null);
        DomainEvent event = new DomainEvent(SOURCE, "Import", SOURCE + ":import:" + c.item().id(), keys,
                Target.progress(RequestState.AVAILABLE, true), facts, "Import",
                "Imported from the Jellyfin library");
        ObjectNode payload = json.createObjectNode().put("action", "library-import").put("by", who)
                .put("ItemId", c.item().id()).put("Name", c.item().name()).put("Type", c.item().type());
        if (c.item().year() != null) {
            payload.put("Year", c.item().year());
        }
        ObjectNode ids = payload.putObject("ProviderIds");
        c.item().providerIds().forEach(ids::put);
        return Submission.read(SOURCE, "application/json", payload.toString(), new Interpretation.Track(event));
    }

    private static List<String> keys(Candidate c) {
        List<String> keys = new ArrayList<>();
        String t = c.type().name();
        if (c.tmdb() != null) {
            keys.add(t + ":tmdb:" + c.tmdb());
        }
        if (c.tvdb() != null) {
            keys.add("TV:tvdb:" + c.tvdb());
        }
        if (c.imdb() != null) {
            keys.add(t + ":imdb:" + c.imdb().toLowerCase(Locale.ROOT));
        }
        if (c.anidb() != null) {
            keys.add("anidb:" + c.anidb());
        }
        return keys;
    }

    private static Tracked tracked(List<Object[]> rows) {
        Tracked t = new Tracked();
        for (Object[] row : rows) {
            String type = MediaType.fromUpstream((String) row[1]).name();
            if (row[2] != null) {
                t.keys.add(type + ":tmdb:" + row[2]);
            }
            if (row[3] != null) {
                t.keys.add("TV:tvdb:" + row[3]);
            }
            if (row[4] != null) {
                t.keys.add(type + ":imdb:" + row[4].toString().toLowerCase(Locale.ROOT));
            }
            if (row[5] != null) {
                t.jellyfinIds.add(row[5].toString());
            }
            Integer year = row[7] == null ? null : ((Number) row[7]).intValue();
            List<String> names = new ArrayList<>(AlternateTitles.list((String) row[8]));
            names.add((String) row[6]);
            for (String name : names) {
                String key = JellyfinVerificationLibrary.normalise(name);
                if (key != null) {
                    t.titles.computeIfAbsent(key, k -> new ArrayList<>()).add(year);
                }
            }
        }
        return t;
    }

    /** Radarr's movies or Sonarr's series by id, IMDb id and normalised title (alternate titles too). */
    private static final class ArrIndex {
        private final Map<Long, JsonNode> byMainId = new HashMap<>();
        private final Map<Long, JsonNode> bySecondId = new HashMap<>();
        private final Map<String, JsonNode> byImdb = new HashMap<>();
        private final Map<String, List<JsonNode>> byTitle = new HashMap<>();

        ArrIndex(List<JsonNode> entries, String mainId, String secondId) {
            for (JsonNode e : entries) {
                long main = e.path(mainId).asLong(0);
                if (main > 0) {
                    byMainId.putIfAbsent(main, e);
                }
                long second = secondId == null ? 0 : e.path(secondId).asLong(0);
                if (second > 0) {
                    bySecondId.putIfAbsent(second, e);
                }
                String imdb = blank(e.path("imdbId").asText(null));
                if (imdb != null) {
                    byImdb.putIfAbsent(imdb.toLowerCase(Locale.ROOT), e);
                }
                List<String> names = new ArrayList<>();
                names.add(e.path("title").asText(null));
                e.path("alternateTitles").forEach(a -> names.add(a.path("title").asText(null)));
                for (String name : names) {
                    String key = JellyfinVerificationLibrary.normalise(name);
                    if (key != null) {
                        byTitle.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
                    }
                }
            }
        }

        JsonNode byId(Long main, Long second) {
            JsonNode found = main == null ? null : byMainId.get(main);
            return found != null || second == null ? found : bySecondId.get(second);
        }

        JsonNode byImdb(String imdb) {
            return byImdb.get(imdb.toLowerCase(Locale.ROOT));
        }

        JsonNode byTitle(String name, String originalTitle, Integer year) {
            for (String title : new String[] { name, originalTitle }) {
                String key = JellyfinVerificationLibrary.normalise(title);
                for (JsonNode e : key == null ? List.<JsonNode> of() : byTitle.getOrDefault(key, List.of())) {
                    int y = e.path("year").asInt(0);
                    if (year == null || y == 0 || Math.abs(y - year) <= 1) {
                        return e;
                    }
                }
            }
            return null;
        }
    }

    private static Long number(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(value.trim());
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
