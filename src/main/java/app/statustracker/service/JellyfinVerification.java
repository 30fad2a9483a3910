package app.statustracker.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.Episode;
import app.statustracker.MediaRequest;
import app.statustracker.MediaType;
import app.statustracker.RequestState;
import app.statustracker.client.JellyfinClient;
import app.statustracker.client.JellyfinItem;
import app.statustracker.client.UpstreamException;
import app.statustracker.config.TrackerConfig;
import app.statustracker.ingest.JellyfinAdapter;
import app.statustracker.ingest.Submission;
import app.statustracker.ingest.WebhookIntake;
import app.statustracker.repository.EpisodeRepository;
import app.statustracker.repository.MediaRequestRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Provider;

/**
 * Scheduled verification in Jellyfin (PRODUCT.md §1.3, §1.6, §1.9): is what was imported playable yet? Looks at the
 * requests waiting for Jellyfin (downloaded, importing, anime_matching) and at any other open request, problem states
 * included, that has been in its state for {@code VERIFY_ACTIVE_AFTER}.
 *
 * <p>Jellyfin has no provider-id filter, so the tracker keeps its own compact copy of the library
 * ({@link JellyfinVerificationLibrary}) and matches requests against it locally. A cycle reads the candidates (one
 * turn of the pipeline; none: Jellyfin is not asked at all), then asks Jellyfin only for the items saved since the
 * last successful cycle (minus {@link #OVERLAP} for clock differences), 500 a page; the first cycle, and one every
 * {@code JELLYFIN_FULL_SCAN_EVERY}, reads the whole library instead (which also forgets deleted items). Series whose
 * episodes came without them are read by id, 100 a call. The calls a cycle makes thus depend on the library and what
 * changed in it, never on the number of requests.
 *
 * <p>Matching: a movie by TMDB id (IMDb id when there is no TMDB match), a series by TVDB id, then TMDB id, with its
 * playable episodes of the requested seasons. For anime requests, when that finds nothing: the other media type by
 * the same TMDB id (Shoko and TMDB disagree on what is a movie), then the title (Jellyfin's Name or OriginalTitle,
 * normalised) with the year when both are known. Playable is a media source or a path on a non-virtual item.
 *
 * <p>What is found goes through the pipeline as a {@code Verified} payload read by the Jellyfin adapter, origin
 * {@code verification}, and only if the event log does not hold the same finding yet: a repeated cycle stores
 * nothing. Requests in importing or anime_matching that Jellyfin has not shown playable for
 * {@code VERIFY_ACTIVE_AFTER} get a {@code stuck_reason} starting with {@value #REASON}; this check only ever replaces
 * or lifts its own reason.
 *
 * <p>Jellyfin not answering: the cycle ends quietly (one log line per outage), the watermark stays, and the next
 * cycle that gets an answer reads everything saved since.
 */
@ApplicationScoped
public class JellyfinVerification {

    private static final Logger LOG = Logger.getLogger(JellyfinVerification.class);
    /** How this check's stuck reasons start. */
    static final String REASON = "Jellyfin: ";
    /** Items saved this long before the last cycle are read again: Jellyfin's clock may differ from ours. */
    static final Duration OVERLAP = Duration.ofMinutes(10);
    /** Series ids Jellyfin did not return when asked by id are not asked again until the next full read. */
    private static final int MAX_UNKNOWN_SERIES = 10_000;
    private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final Set<RequestState> WAITING_FOR_JELLYFIN = Set.of(RequestState.IMPORTING,
            RequestState.ANIME_MATCHING);

    /**
     * What one cycle did.
     *
     * @param candidates     requests looked at
     * @param jellyfinAsked  whether Jellyfin was asked (not when there was nothing to verify)
     * @param fullRead       whether the whole library was read
     * @param itemsRead      items Jellyfin returned
     * @param findings       requests with something playable found
     * @param applied        what the pipeline did with the findings it did not hold yet
     * @param reasonsChanged stuck reasons set, changed or lifted
     * @param problem        why Jellyfin could not be read; null when it answered
     */
    public record Cycle(int candidates, boolean jellyfinAsked, boolean fullRead, int itemsRead, int findings,
            List<PipelineResult> applied, int reasonsChanged, String problem) {

        static Cycle skipped(String why) {
            return new Cycle(0, false, false, 0, 0, List.of(), 0, why);
        }
    }

    /** A request as the cycle saw it when reading the candidates. */
    record Candidate(long id, MediaType type, RequestState state, Instant stateChangedAt, Long tmdbId, Long tvdbId,
            String imdbId, boolean anime, String title, Integer year, List<Integer> seasons, String stuckReason,
            List<int[]> expectedEpisodes, Set<Long> availableEpisodes, List<String> alternateTitles) {

        /** The request's title, then its other titles (Sonarr's and Radarr's alternate titles). */
        List<String> titles() {
            List<String> all = new ArrayList<>();
            if (title != null) {
                all.add(title);
            }
            all.addAll(alternateTitles);
            return all;
        }
    }

    /** What the library holds for one request. */
    record Match(JellyfinItem item, List<JellyfinItem> episodes, boolean holdsAllEpisodes, String matchedBy) {
    }

    private final JellyfinClient jellyfin;
    private final EventPipeline pipeline;
    private final EventApplier applier;
    private final MediaRequestRepository requests;
    private final EpisodeRepository episodes;
    private final Provider<WebhookIntake> intake;
    private final ObjectMapper json;
    private final TrackerConfig.Verification config;
    private final Duration every;

    private final JellyfinVerificationLibrary library = new JellyfinVerificationLibrary();
    private final Set<String> unknownSeries = new java.util.HashSet<>();
    private final AtomicBoolean running = new AtomicBoolean();
    /** When the last successful cycle started (the next one reads what was saved since); null: read everything. */
    private volatile Instant watermark;
    /** Bumped by {@link #forgetLibrary()}: a cycle that read Jellyfin before it keeps nothing of what it read. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private volatile Instant lastFullRead;
    /** The outage reported in the log; null while Jellyfin answers. */
    private volatile String outage;
    private volatile boolean toldNotConfigured;

    public JellyfinVerification(JellyfinClient jellyfin, EventPipeline pipeline, EventApplier applier,
            MediaRequestRepository requests, EpisodeRepository episodes, Provider<WebhookIntake> intake,
            ObjectMapper json, TrackerConfig config) {
        this.jellyfin = jellyfin;
        this.pipeline = pipeline;
        this.applier = applier;
        this.requests = requests;
        this.episodes = episodes;
        this.intake = intake;
        this.json = json;
        this.config = config.verification();
        this.every = config.verification().every();
    }

    @Scheduled(every = "${tracker.verification.every}", delayed = "${tracker.verification.delay}",
            identity = "jellyfin-verification", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        // A database failure was logged by the pipeline; the next cycle reads everything again.
        return run().replaceWithVoid().onFailure().invoke(f -> LOG.debugf("Jellyfin verification failed (%s); it runs"
                + " again in %s", SecretMasker.describe(f), every)).onFailure().recoverWithNull();
    }

    /** Forgets the copy of the library: the next cycle reads all of it (tests; a library switched). */
    public void forgetLibrary() {
        generation.incrementAndGet();
        watermark = null;
        lastFullRead = null;
    }

    /**
     * One cycle. Completes with what it did; Jellyfin not answering is not a failure (see {@link Cycle#problem()}),
     * a database failure is. A cycle asked for while one runs is skipped.
     */
    public Uni<Cycle> run() {
        if (!jellyfin.configured()) {
            if (!toldNotConfigured) {
                toldNotConfigured = true;
                LOG.info("Jellyfin is not configured (JELLYFIN_API_KEY): requests are not verified in Jellyfin");
            }
            return Uni.createFrom().item(Cycle.skipped("Jellyfin is not configured"));
        }
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().item(Cycle.skipped("a cycle is running"));
        }
        Instant started = Instant.now();
        return Uni.createFrom().deferred(() -> cycle(started))
                .onTermination().invoke(() -> running.set(false));
    }

    /**
     * Verifies one request now, whatever its state (an admin's Verify or Retry): the same matching as a cycle, over
     * the whole library read again (an incremental read cannot see items deleted since the last full read, and an
     * admin asking is worth one full read). Waits for a running cycle to end. A request that is available or removed
     * is not looked at.
     */
    public Uni<Cycle> verifyNow(long requestId) {
        if (!jellyfin.configured()) {
            return Uni.createFrom().item(Cycle.skipped("Jellyfin is not configured"));
        }
        return Uni.createFrom().deferred(() -> {
            if (!running.compareAndSet(false, true)) {
                return Uni.createFrom().<Cycle> failure(new Busy());
            }
            Instant started = Instant.now();
            forgetLibrary();
            return Uni.createFrom().deferred(() -> cycle(started, requestId))
                    .onTermination().invoke(() -> running.set(false));
        }).onFailure(Busy.class).retry().withBackOff(Duration.ofMillis(100), Duration.ofMillis(500))
                .atMost(120);
    }

    private Uni<Cycle> cycle(Instant started) {
        return cycle(started, null);
    }

    /** A cycle is running: {@link #verifyNow} waits and tries again. */
    private static final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Busy() {
            super("a verification cycle is running", null, false, false);
        }
    }

    private Uni<Cycle> cycle(Instant started, Long onlyRequest) {
        Instant activeCutoff = started.minus(config.activeAfter());
        long t0 = System.nanoTime();
        long[] phases = new long[2];
        return pipeline.execute(() -> onlyRequest == null ? readCandidates(activeCutoff)
                : readCandidate(onlyRequest)).chain(candidates -> {
            phases[0] = System.nanoTime();
            if (candidates.isEmpty()) {
                return Uni.createFrom().item(new Cycle(0, false, false, 0, 0, List.of(), 0, null));
            }
            boolean full = watermark == null || lastFullRead == null
                    || !lastFullRead.plus(config.fullScanEvery()).isAfter(started);
            Instant since = full ? null : watermark.minus(OVERLAP);
            long readFor = generation.get();
            return jellyfin.library(since).chain(items -> completeSeries(items, full).map(series -> {
                if (readFor != generation.get()) {
                    return -1; // the copy was forgotten meanwhile: what this cycle read may be stale
                }
                if (full) {
                    library.replaceAll(items);
                    lastFullRead = started;
                } else {
                    library.merge(items);
                }
                library.merge(series);
                return items.size() + series.size();
            })).chain(read -> {
                if (read < 0) {
                    return Uni.createFrom().item(Cycle.skipped("the library copy was forgotten during the cycle"));
                }
                phases[1] = System.nanoTime();
                watermark = started;
                if (outage != null) {
                    LOG.infof("Jellyfin answers again; verification resumes (%s)", full ? "whole library read"
                            : "read what changed since " + SINCE.format(since));
                    outage = null;
                }
                return verify(candidates, activeCutoff, started).map(done -> {
                    if (LOG.isDebugEnabled()) {
                        LOG.debugf("verification cycle: %d candidates (read in %d ms), %d Jellyfin items (%s, %d ms),"
                                + " %d found, %d applied, %d reasons changed (%d ms); library copy: %d movies and"
                                + " series, %d playable episodes", candidates.size(), (phases[0] - t0) / 1_000_000,
                                read, full ? "whole library" : "changed", (phases[1] - phases[0]) / 1_000_000,
                                done.findings, done.applied.size(), done.reasonsChanged,
                                (System.nanoTime() - phases[1]) / 1_000_000, library.titleCount(),
                                library.episodeCount());
                    }
                    return new Cycle(candidates.size(), true, full, read, done.findings, done.applied,
                            done.reasonsChanged, null);
                });
            }).onFailure(UpstreamException.class).recoverWithItem(failure -> {
                String what = SecretMasker.maskText(failure.getMessage());
                if (outage == null) {
                    LOG.warnf("Jellyfin verification paused: %s; it catches up once Jellyfin answers", what);
                }
                outage = what;
                return new Cycle(candidates.size(), true, full, 0, 0, List.of(), 0, what);
            });
        });
    }

    /**
     * Series whose playable episodes were read but which are not known themselves, read by id (100 a call). A full
     * read holds them all; ids Jellyfin does not return are not asked again until the next full read.
     */
    private Uni<List<JellyfinItem>> completeSeries(List<JellyfinItem> items, boolean full) {
        if (full) {
            unknownSeries.clear();
        }
        Set<String> present = new java.util.HashSet<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (JellyfinItem item : items) {
            if ("Series".equalsIgnoreCase(item.type())) {
                present.add(item.id());
            }
        }
        for (JellyfinItem item : items) {
            if ("Episode".equalsIgnoreCase(item.type()) && item.playable() && item.seriesId() != null
                    && !present.contains(item.seriesId()) && (full || !library.knowsTitle(item.seriesId()))
                    && !unknownSeries.contains(item.seriesId())) {
                wanted.add(item.seriesId());
            }
        }
        if (wanted.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return jellyfin.itemsByIds(wanted).invoke(found -> {
            Set<String> missing = new java.util.HashSet<>(wanted);
            found.forEach(i -> missing.remove(i.id()));
            if (unknownSeries.size() + missing.size() <= MAX_UNKNOWN_SERIES) {
                unknownSeries.addAll(missing);
            }
        });
    }

    // --- reading the requests (in the pipeline's turn) ---

    private Uni<List<Candidate>> readCandidates(Instant activeCutoff) {
        return requests.toVerify(activeCutoff).chain(found -> {
            List<Long> tv = found.stream().filter(r -> r.mediaType == MediaType.TV).map(r -> r.id).toList();
            return episodes.forRequests(tv).map(rows -> {
                Map<Long, List<Episode>> byRequest = new HashMap<>();
                rows.forEach(e -> byRequest.computeIfAbsent(e.requestId, k -> new ArrayList<>()).add(e));
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                return found.stream().map(r -> candidate(r, byRequest.getOrDefault(r.id, List.of()), today)).toList();
            });
        });
    }

    private Uni<List<Candidate>> readCandidate(long id) {
        return requests.findById(id).chain(r -> r == null || RequestState.CLOSED.contains(r.state)
                ? Uni.createFrom().item(List.<Candidate> of())
                : episodes.forRequests(List.of(id)).map(rows -> List.of(candidate(r, rows,
                        LocalDate.now(ZoneOffset.UTC)))));
    }

    private static Candidate candidate(MediaRequest r, List<Episode> rows, LocalDate today) {
        List<Integer> seasons = RequestViews.seasons(r.requestedSeasons);
        List<int[]> expected = new ArrayList<>();
        Set<Long> available = new java.util.HashSet<>();
        for (Episode e : rows) {
            boolean aired = e.airDate == null || !e.airDate.isAfter(today) || e.state.rank() > RequestState.SEARCHING.rank();
            if (e.seasonNumber > 0 && (seasons.isEmpty() || seasons.contains(e.seasonNumber)) && aired) {
                expected.add(new int[] {e.seasonNumber, e.episodeNumber});
                if (e.state == RequestState.AVAILABLE) {
                    available.add(number(e.seasonNumber, e.episodeNumber));
                }
            }
        }
        return new Candidate(r.id, r.mediaType, r.state, r.stateChangedAt, r.tmdbId, r.tvdbId, r.imdbId,
                Boolean.TRUE.equals(r.isAnime), r.title, r.year, seasons, r.stuckReason, expected, available,
                AlternateTitles.list(r.alternateTitles));
    }

    private static long number(int season, int episode) {
        return ((long) season << 32) | (episode & 0xffffffffL);
    }

    // --- matching (no I/O) ---

    private record Done(int findings, List<PipelineResult> applied, int reasonsChanged) {
    }

    private Uni<Done> verify(List<Candidate> candidates, Instant activeCutoff, Instant now) {
        List<Submission> findings = new ArrayList<>();
        Map<Long, String> reasons = new HashMap<>();
        for (Candidate c : candidates) {
            Match m = c.type() == MediaType.TV ? matchSeries(c) : matchMovie(c);
            if (m != null) {
                findings.add(intake.get().interpret(JellyfinAdapter.SOURCE, "verification", payload(c, m)));
            }
            if (WAITING_FOR_JELLYFIN.contains(c.state()) && c.stateChangedAt() != null
                    && c.stateChangedAt().isBefore(activeCutoff)) {
                String reason = reason(c, m);
                if (!Objects.equals(reason, c.stuckReason()) && mayReplace(c.stuckReason())) {
                    reasons.put(c.id(), reason);
                }
            } else if (c.stuckReason() != null && c.stuckReason().startsWith(REASON) && !c.state().isProblem()) {
                reasons.put(c.id(), null); // no longer waiting for Jellyfin: lift ours
            }
        }
        return pipeline.submitUnseen(findings).chain(applied -> setReasons(candidates, reasons)
                .map(changed -> new Done(findings.size(), applied, changed)));
    }

    Match matchMovie(Candidate c) {
        List<JellyfinItem> movies = playable(library.byProvider("Movie", "tmdb", c.tmdbId()));
        if (movies.isEmpty() && c.imdbId() != null) {
            movies = playable(library.byProvider("Movie", "imdb", c.imdbId())).stream()
                    .filter(i -> c.tmdbId() == null || i.providerId("tmdb") == null
                            || i.providerId("tmdb").equals(c.tmdbId().toString()))
                    .toList();
        }
        if (!movies.isEmpty()) {
            return new Match(movies.get(0), List.of(), false, null);
        }
        if (!c.anime()) {
            return null;
        }
        for (JellyfinItem series : library.byProvider("Series", "tmdb", c.tmdbId())) {
            List<JellyfinItem> eps = library.playableEpisodes(series.id());
            if (!eps.isEmpty() && yearsClose(c.year(), series.year())) {
                return new Match(series, eps, false, "as a series, by TMDB id");
            }
        }
        for (String title : c.titles()) {
            String how = titleHow(c, title);
            JellyfinItem byTitle = byTitle(playable(library.byTitle("Movie", title)), c.year());
            if (byTitle != null) {
                return new Match(byTitle, List.of(), false, how);
            }
            for (JellyfinItem series : titleOrder(library.byTitle("Series", title), c.year())) {
                List<JellyfinItem> eps = library.playableEpisodes(series.id());
                if (!eps.isEmpty()) {
                    return new Match(series, eps, false, "as a series, " + how);
                }
            }
        }
        return null;
    }

    Match matchSeries(Candidate c) {
        List<JellyfinItem> series = library.byProvider("Series", "tvdb", c.tvdbId());
        if (series.isEmpty()) {
            series = library.byProvider("Series", "tmdb", c.tmdbId()).stream()
                    .filter(s -> c.tvdbId() == null || s.providerId("tvdb") == null
                            || s.providerId("tvdb").equals(c.tvdbId().toString()))
                    .toList();
        }
        Match byIds = seriesMatch(series, c, null);
        if (byIds != null || !c.anime()) {
            return byIds;
        }
        for (JellyfinItem movie : playable(library.byProvider("Movie", "tmdb", c.tmdbId()))) {
            if (yearsClose(c.year(), movie.year())) {
                return new Match(movie, List.of(), true, "as a movie, by TMDB id");
            }
        }
        for (String title : c.titles()) {
            String how = titleHow(c, title);
            Match byTitle = seriesMatch(titleOrder(library.byTitle("Series", title), c.year()), c, how);
            if (byTitle != null) {
                return byTitle;
            }
            JellyfinItem movie = byTitle(playable(library.byTitle("Movie", title)), c.year());
            if (movie != null) {
                return new Match(movie, List.of(), true, "as a movie, " + how);
            }
        }
        return null;
    }

    /**
     * The first of these series with playable episodes of the requested seasons, with those episodes (of every
     * series in the list: Shokofin may show one TVDB series as several).
     */
    private Match seriesMatch(List<JellyfinItem> series, Candidate c, String how) {
        JellyfinItem first = null;
        List<JellyfinItem> eps = new ArrayList<>();
        for (JellyfinItem s : series) {
            List<JellyfinItem> own = library.playableEpisodes(s.id()).stream()
                    .filter(e -> c.seasons().isEmpty() || c.seasons().contains(e.seasonNumber())).toList();
            if (!own.isEmpty()) {
                first = first == null ? s : first;
                eps.addAll(own);
            }
            if (how != null && first != null) {
                break; // a title match stays with one series
            }
        }
        return first == null ? null : new Match(first, eps, false, how);
    }

    private static List<JellyfinItem> playable(List<JellyfinItem> items) {
        return items.stream().filter(JellyfinItem::playable).toList();
    }

    /** The one title match: the one of the request's year when several; none when it stays ambiguous. */
    private static JellyfinItem byTitle(List<JellyfinItem> items, Integer year) {
        List<JellyfinItem> ordered = titleOrder(items, year);
        if (ordered.size() > 1 && (year == null || !year.equals(ordered.get(0).year()))) {
            return null; // two films of that name and nothing to choose by
        }
        return ordered.isEmpty() ? null : ordered.get(0);
    }

    /** Title matches whose year agrees when both are known, the same year first. */
    private static List<JellyfinItem> titleOrder(List<JellyfinItem> items, Integer year) {
        return items.stream().filter(i -> year == null || i.year() == null || year.equals(i.year()))
                .sorted(java.util.Comparator.comparing((JellyfinItem i) -> year == null || !year.equals(i.year())))
                .toList();
    }

    private static String titleHow(Candidate c, String title) {
        String what = title.equals(c.title()) ? "by title" : "by the alternate title \"" + title + "\"";
        return c.year() != null ? what + " and year" : what;
    }

    /** The other media type under the same TMDB number may be another work: a year at most one apart must agree. */
    private static boolean yearsClose(Integer wanted, Integer have) {
        return wanted == null || have == null || Math.abs(wanted - have) <= 1;
    }

    private ObjectNode payload(Candidate c, Match m) {
        if ("Series".equalsIgnoreCase(m.item().type())) {
            return VerifiedPayloads.series(json, m.item(), m.episodes(), c.id(), m.matchedBy());
        }
        if (m.holdsAllEpisodes() && !c.expectedEpisodes().isEmpty()) {
            return VerifiedPayloads.movieHoldingEpisodes(json, m.item(), c.expectedEpisodes(), c.id(), m.matchedBy());
        }
        return VerifiedPayloads.movie(json, m.item(), c.id(), m.matchedBy());
    }

    // --- stuck reasons ---

    /** Why Jellyfin does not make the request available yet; null when what it found does. */
    private static String reason(Candidate c, Match m) {
        String since = " (" + c.state().value() + " since " + SINCE.format(c.stateChangedAt()) + ")";
        if (c.type() == MediaType.MOVIE) {
            return m != null ? null : REASON + "no playable item for " + ids(c) + " yet" + since;
        }
        if (m == null) {
            return REASON + "no series with playable episodes for " + ids(c) + " yet" + since;
        }
        if (m.holdsAllEpisodes() || c.expectedEpisodes().isEmpty()) {
            return null;
        }
        Set<Long> playable = new java.util.HashSet<>(c.availableEpisodes());
        for (JellyfinItem e : m.episodes()) {
            int last = e.episodeNumberEnd() != null && e.episodeNumberEnd() > e.episodeNumber()
                    ? e.episodeNumberEnd() : e.episodeNumber();
            for (int n = e.episodeNumber(); n <= last; n++) {
                playable.add(number(e.seasonNumber(), n));
            }
        }
        List<String> waiting = new ArrayList<>();
        for (int[] e : c.expectedEpisodes()) {
            if (!playable.contains(number(e[0], e[1]))) {
                waiting.add(String.format("S%02dE%02d", e[0], e[1]));
            }
        }
        if (waiting.isEmpty()) {
            return null;
        }
        int total = c.expectedEpisodes().size();
        String list = waiting.size() <= 3 ? String.join(", ", waiting)
                : String.join(", ", waiting.subList(0, 3)) + " and " + (waiting.size() - 3) + " more";
        return REASON + (total - waiting.size()) + " of " + total + " episodes playable, not " + list + since;
    }

    private static String ids(Candidate c) {
        List<String> ids = new ArrayList<>();
        if (c.type() == MediaType.TV && c.tvdbId() != null) {
            ids.add("TVDB " + c.tvdbId());
        }
        if (c.tmdbId() != null) {
            ids.add("TMDB " + c.tmdbId());
        }
        if (c.type() == MediaType.MOVIE && c.tmdbId() == null && c.imdbId() != null) {
            ids.add("IMDb " + c.imdbId());
        }
        if (c.anime() && c.title() != null) {
            ids.add("titled \"" + c.title() + "\"");
        }
        return ids.isEmpty() ? "it (no TMDB, TVDB or IMDb id known)" : String.join(" or ", ids);
    }

    /** This check sets a reason only where there is none or where the one there is its own. */
    private static boolean mayReplace(String current) {
        return current == null || current.startsWith(REASON);
    }

    /**
     * In the writer's turn: sets, changes or lifts this check's reasons on requests still in the state the cycle saw
     * (one that moved meanwhile is judged at the next cycle), and tells the dashboards.
     */
    private Uni<Integer> setReasons(List<Candidate> candidates, Map<Long, String> reasons) {
        if (reasons.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Map<Long, Candidate> seen = new HashMap<>();
        candidates.forEach(c -> seen.put(c.id(), c));
        int[] changed = {0};
        return pipeline.check(effects -> requests.list("id in ?1", List.copyOf(reasons.keySet())).chain(found -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (MediaRequest r : found) {
                Candidate c = seen.get(r.id);
                String reason = reasons.get(r.id);
                if (r.state != c.state() || !Objects.equals(r.stateChangedAt, c.stateChangedAt())
                        || r.state.isProblem() || !mayReplace(r.stuckReason)
                        || Objects.equals(r.stuckReason, reason)) {
                    continue;
                }
                r.stuckReason = reason;
                changed[0]++;
                chain = chain.call(() -> applier.progress(r, null, effects));
            }
            return chain.replaceWith(List.<Submission>of());
        })).map(ignored -> changed[0]);
    }
}
