package app.statustracker.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.Episode;
import app.statustracker.MediaType;
import app.statustracker.RequestState;
import app.statustracker.client.ShokoClient;
import app.statustracker.client.ShokoFile;
import app.statustracker.client.ShokoListener;
import app.statustracker.client.ShokoSeriesHit;
import app.statustracker.config.TrackerConfig;
import app.statustracker.ingest.DomainEvent;
import app.statustracker.ingest.EpisodeFact;
import app.statustracker.ingest.EpisodeScope;
import app.statustracker.ingest.Interpretation;
import app.statustracker.ingest.MediaFacts;
import app.statustracker.ingest.MediaKeys;
import app.statustracker.ingest.ShokoAutoLink;
import app.statustracker.ingest.ShokoMessage;
import app.statustracker.ingest.ShokoMessage.FileEvent;
import app.statustracker.ingest.ShokoMessages;
import app.statustracker.ingest.Submission;
import app.statustracker.ingest.Target;
import app.statustracker.repository.FileOwners;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What Shoko's hub says, turned into events of the one pipeline (issue 6). Every hub message is stored like a
 * webhook (source {@code shoko}, its target as the event type); a file event is matched to the request waiting for
 * that file by path ({@link FileOwners}, PRODUCT.md §1.12): Shoko names files by import folder and relative path,
 * never by a Sonarr or Radarr id.
 *
 * <ul>
 * <li>FileMatched → the request (or the file's episodes) {@code anime_matching}, then Jellyfin is asked after
 * {@code SHOKO_VERIFY_DELAYS};</li>
 * <li>FileNotMatched → auto-link: the first series Shoko finds by the request's title (or an alternate title) is
 * linked if it shares a word with it (the prototype's guard; never a search or grab in Radarr/Sonarr); failure →
 * {@code match_failed}, its reason in {@code stuck_reason}; a later FileMatched (a manual link) lifts it;</li>
 * <li>everything else is kept with outcome {@code ignored} and what it was.</li>
 * </ul>
 * After every (re)connection, messages sent meanwhile are lost: the reconciler runs, and the files of requests waiting
 * in {@code anime_matching} or {@code match_failed} are looked up in Shoko's REST API.
 */
@ApplicationScoped
public class ShokoIntake implements ShokoListener {

    public static final String SOURCE = "shoko";
    static final String CONTENT_TYPE = "application/json; origin=shoko signalr";
    private static final Logger LOG = Logger.getLogger(ShokoIntake.class);
    /** Titles searched in Shoko for one auto-link: the request's own and its first alternate ones. */
    static final int MAX_SEARCHED_TITLES = 4;
    /** Shoko's import folders are read again after this long (or when a message names an unknown one). */
    private static final Duration FOLDERS_TTL = Duration.ofMinutes(10);

    private final EventPipeline pipeline;
    private final FileOwners owners;
    private final app.statustracker.repository.InboundEventRepository events;
    private final ShokoClient shoko;
    private final Reconciler reconciler;
    private final JellyfinVerification verification;
    private final TrackerConfig config;
    private final ObjectMapper json;
    private final Vertx vertx;
    private volatile Map<Integer, String> importFolders = Map.of();
    /** Shoko series read for the series fallback, by id (bounded: cleared when full). */
    private final Map<Long, Optional<app.statustracker.client.ShokoSeries>> seriesCache =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int SERIES_CACHE = 2000;
    private volatile Instant foldersReadAt = Instant.EPOCH;

    public ShokoIntake(EventPipeline pipeline, FileOwners owners,
            app.statustracker.repository.InboundEventRepository events, ShokoClient shoko, Reconciler reconciler,
            JellyfinVerification verification, TrackerConfig config, ObjectMapper json, Vertx vertx) {
        this.pipeline = pipeline;
        this.owners = owners;
        this.events = events;
        this.shoko = shoko;
        this.reconciler = reconciler;
        this.verification = verification;
        this.config = config;
        this.json = json;
        this.vertx = vertx;
    }

    @Override
    public void onMessage(String target, String argumentsJson) {
        // Handled to the end before the next message: the hub's order is the order they are applied in (an auto-link
        // still searching must not be overtaken by the manual link that followed it). This is the hub's own delivery
        // thread, never an event loop, so waiting here holds up nothing but Shoko's next message.
        try {
            PipelineResult result = handle(target, argumentsJson).await().atMost(HANDLING_LIMIT);
            LOG.debugf("shoko %s: %s", target, result == null ? "not stored" : result.outcome().value());
        } catch (RuntimeException failure) {
            LOG.warnf("shoko %s could not be handled: %s", target, SecretMasker.describe(failure));
        }
    }

    /** The longest one hub message may take (an auto-link makes a few REST calls, each with its own time-out). */
    private static final Duration HANDLING_LIMIT = Duration.ofMinutes(2);

    @Override
    public void onConnected(boolean afterReconnect) {
        // Also after a start: Shoko may have matched files while the tracker was down.
        LOG.infof("Shoko hub connected%s: reconciling what its messages may have said meanwhile",
                afterReconnect ? " again" : "");
        reconciler.reconcileSoon();
        verifySoon();
        recheckWaitingFiles().subscribe().with(
                n -> LOG.debugf("shoko reconnect: %d waiting file(s) looked up", n),
                failure -> LOG.infof("shoko reconnect: waiting files could not be looked up: %s",
                        SecretMasker.describe(failure)));
    }

    /** Handles one hub message; the result of storing it, or null for what is not stored (the connected notice). */
    public Uni<PipelineResult> handle(String target, String argumentsJson) {
        return handle(target, argumentsJson, null);
    }

    private Uni<PipelineResult> handle(String target, String argumentsJson, String keyOverride) {
        ShokoMessage message = ShokoMessages.parse(target, argumentsJson);
        String payload = payload(target, argumentsJson);
        String key = keyOverride != null ? keyOverride : SOURCE + ":" + message.dedupeKey();
        if (message instanceof ShokoMessage.Connected) {
            return Uni.createFrom().nullItem();
        }
        if (message instanceof ShokoMessage.Malformed malformed) {
            return pipeline.submit(Submission.rejected(SOURCE, CONTENT_TYPE, payload, malformed.reason()));
        }
        if (message instanceof FileEvent file && (file.kind() == ShokoMessage.Kind.MATCHED
                || file.kind() == ShokoMessage.Kind.NOT_MATCHED)) {
            return file(target, key, payload, file);
        }
        if (message instanceof ShokoMessage.MetadataEvent meta && meta.subject() == ShokoMessage.Subject.MOVIE
                && meta.added()) {
            // Shoko added a (TMDB) movie: Shokofin will show it soon; Jellyfin is asked as after a match.
            return pipeline.submit(ignored(target, key, payload, "movie added in Shoko: Jellyfin is asked"))
                    .invoke(result -> {
                        if (result.outcome() == app.statustracker.EventOutcome.IGNORED) {
                            verifySoon();
                        }
                    });
        }
        return pipeline.submit(ignored(target, key, payload, ignoredReason(message)));
    }

    private static String ignoredReason(ShokoMessage message) {
        if (message instanceof ShokoMessage.Unknown) {
            return "not a Shoko event the tracker reads";
        }
        if (message instanceof FileEvent f) {
            return "file " + f.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + ": only a match (or a failed one) moves a request";
        }
        return "metadata change: the Jellyfin verification looks for what it makes playable";
    }

    // --- files --------------------------------------------------------------------------------------------------

    private Uni<PipelineResult> file(String target, String key, String payload, FileEvent file) {
        return located(file).chain(location -> folders(location.importFolderId()).chain(folders -> {
            String folder = location.importFolderId() == null ? null : folders.get(location.importFolderId());
            List<String> paths = candidates(folder, location.relativePath());
            String name = lastSegment(location.relativePath());
            return pipeline.execute(() -> owners.find(paths, name)).chain(owner -> {
                if (owner == null) {
                    String why = "no request waits for the file " + (name != null ? name : "with Shoko id "
                            + file.fileId()) + " (looked for " + String.join(", ", paths) + ")";
                    if (file.kind() != ShokoMessage.Kind.MATCHED) {
                        return pipeline.submit(ignored(target, key, payload, why));
                    }
                    // Shoko 6 names no links in its file:matched: Shoko's API does.
                    return crossReferences(file).chain(match -> match.linked() && !match.seriesIds().isEmpty()
                            ? bySeries(target, key, payload, match.seriesIds().get(0), name, why)
                            : pipeline.submit(ignored(target, key, payload, why)));
                }
                if (file.kind() == ShokoMessage.Kind.MATCHED) {
                    return crossReferences(file).chain(match -> matched(target, key, payload, match, owner));
                }
                return notMatched(target, key, payload, file, location, owner);
            });
        }));
    }

    /** Where the file is: the message's path, or (empty path, file id only) what Shoko's REST API says. */
    private Uni<ShokoFile.Location> located(FileEvent file) {
        if (file.relativePath() != null && file.relativePath().contains("/") || file.fileId() == null
                || !shoko.configured()) {
            return Uni.createFrom().item(new ShokoFile.Location(file.importFolderId(), file.relativePath()));
        }
        return shoko.file(file.fileId()).map(found -> found.flatMap(f -> f.locations().stream()
                .filter(l -> l.relativePath() != null).findFirst())
                .orElse(new ShokoFile.Location(file.importFolderId(), file.relativePath())))
                .onFailure().recoverWithItem(new ShokoFile.Location(file.importFolderId(), file.relativePath()));
    }

    /**
     * A matched file whose path no waiting request holds: its import webhook may be lost, the request still in
     * {@code downloaded}. Shoko's series names the media (TVDB, TMDB ids): the event then correlates by those ids,
     * like a webhook would, to the request and the episode the file name numbers (S01E05, else " - 05").
     */
    private Uni<PipelineResult> bySeries(String target, String key, String payload, Long seriesId, String name,
            String why) {
        if (!shoko.configured()) {
            return pipeline.submit(ignored(target, key, payload, why));
        }
        return seriesOf(seriesId).chain(found -> {
            if (found.isEmpty() || found.get().tvdbIds().isEmpty() && found.get().tmdbShowIds().isEmpty()
                    && found.get().tmdbMovieIds().isEmpty()) {
                return pipeline.submit(ignored(target, key, payload, why + "; Shoko's series " + seriesId
                        + " names no TVDB or TMDB id"));
            }
            app.statustracker.client.ShokoSeries series = found.get();
            boolean movie = series.tvdbIds().isEmpty() && series.tmdbShowIds().isEmpty();
            Long tvdb = series.tvdbIds().isEmpty() ? null : series.tvdbIds().get(0);
            Long tmdb = movie ? series.tmdbMovieIds().get(0)
                    : series.tmdbShowIds().isEmpty() ? null : series.tmdbShowIds().get(0);
            Integer episode = movie ? null : ShokoAutoLink.episodeNumber(name);
            Integer season = movie ? null : ShokoAutoLink.seasonNumber(name);
            if (!movie && (episode == null || season == null)) {
                // "Show - 05" could be any season's fifth episode: better not moved than the wrong one moved.
                return pipeline.submit(ignored(target, key, payload, why + "; its name numbers no season and episode"
                        + " (SxxEyy)"));
            }
            MediaKeys keys = new MediaKeys(movie ? MediaType.MOVIE : MediaType.TV, tmdb, tvdb, null, null, null, false);
            DomainEvent event = new DomainEvent(SOURCE, target, key, keys,
                    Target.progress(RequestState.ANIME_MATCHING, false).via(RequestState.IMPORTING), MediaFacts.none(),
                    "Matched", "Matched in Shoko to '" + series.name() + "'" + (movie ? "" : String.format(
                            java.util.Locale.ROOT, ": S%02dE%02d", season, episode))
                            + ", waiting for Jellyfin (the import was not seen)");
            if (!movie) {
                event = event.withEpisodes(EpisodeScope.listed(List.of(new EpisodeFact(season, episode, null, null,
                        null, null, null, null)), false));
            }
            return pipeline.submit(Submission.read(SOURCE, CONTENT_TYPE, payload, new Interpretation.Track(event)))
                    .invoke(result -> {
                        if (result.outcome() == app.statustracker.EventOutcome.APPLIED) {
                            verifySoon();
                        }
                    });
        });
    }

    /**
     * A Shoko series' ids, kept once read: a library rescan in Shoko sends a match for every file of a series, and
     * the ids of a series do not change under it. A failed read is not kept.
     */
    private Uni<Optional<app.statustracker.client.ShokoSeries>> seriesOf(long seriesId) {
        Optional<app.statustracker.client.ShokoSeries> known = seriesCache.get(seriesId);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return shoko.series(seriesId).invoke(found -> {
            if (seriesCache.size() >= SERIES_CACHE) {
                seriesCache.clear();
            }
            seriesCache.put(seriesId, found);
        }).onFailure().recoverWithItem(Optional.empty());
    }

    /** Whether a matched file is linked to a Shoko series, to which (Shoko series ids), and to which AniDB anime. */
    record Match(boolean linked, List<Long> seriesIds, Long anidbAnimeId) {
    }

    /**
     * The file's links: from the message, or — when it names none (Shoko 6's {@code file:matched} carries no
     * cross-references; Shoko 5 sometimes sends a match before the links) — from Shoko's REST API.
     */
    private Uni<Match> crossReferences(FileEvent file) {
        Long anidb = file.crossReferences().stream().map(ShokoMessage.CrossReference::anidbAnimeId)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (file.matched() || file.fileId() == null || !shoko.configured()) {
            return Uni.createFrom().item(new Match(file.matched(), file.seriesIds(), anidb));
        }
        return shoko.file(file.fileId()).map(found -> found.filter(ShokoFile::matched)
                .map(f -> new Match(true, f.seriesIds(), f.crossReferences().stream()
                        .map(ShokoFile.CrossReference::anidbAnimeId).filter(java.util.Objects::nonNull).findFirst()
                        .orElse(null)))
                .orElse(new Match(false, List.of(), anidb)))
                .onFailure().recoverWithItem(new Match(false, List.of(), anidb));
    }

    private Uni<PipelineResult> matched(String target, String key, String payload, Match file,
            FileOwners.Owner owner) {
        String anime = file.anidbAnimeId() == null ? "" : " (AniDB anime " + file.anidbAnimeId() + ")";
        String details = (file.linked() ? "Matched in Shoko" + anime : "Detected by Shoko, matching to AniDB")
                + episodesLabel(owner) + ", waiting for Jellyfin";
        DomainEvent event = event(target, key, owner, toMatching(owner), file.linked() ? "Matched" : "Detected",
                details);
        return pipeline.submit(Submission.read(SOURCE, CONTENT_TYPE, payload, new Interpretation.Track(event)))
                .invoke(result -> {
                    if (result.outcome() == app.statustracker.EventOutcome.APPLIED && file.linked()) {
                        verifySoon();
                    }
                });
    }

    private Uni<PipelineResult> notMatched(String target, String key, String payload, FileEvent file,
            ShokoFile.Location location, FileOwners.Owner owner) {
        // A message seen before is a duplicate: answered by the pipeline, without searching or linking again.
        Uni<Boolean> seen = pipeline.execute(() -> events.storedDedupeKeys(List.of(key)).map(k -> !k.isEmpty()));
        return seen.chain(known -> known
                ? pipeline.submit(ignored(target, key, payload, "seen before"))
                : attemptLink(target, key, payload, file, location, owner));
    }

    private Uni<PipelineResult> attemptLink(String target, String key, String payload, FileEvent file,
            ShokoFile.Location location, FileOwners.Owner owner) {
        return autoLink(file, location, owner).chain(outcome -> {
            DomainEvent event = outcome.linked()
                    ? event(target, key, owner, toMatching(owner), "AutoLinked", outcome.message())
                    : event(target, key, owner, Target.problem(RequestState.MATCH_FAILED), "MatchFailed",
                            "Auto-link failed: " + outcome.message());
            return pipeline.submit(Submission.read(SOURCE, CONTENT_TYPE, payload, new Interpretation.Track(event)))
                    .invoke(result -> {
                        if (outcome.linked() && result.outcome() == app.statustracker.EventOutcome.APPLIED) {
                            verifySoon();
                        }
                    });
        });
    }

    /**
     * Into anime_matching; but an anime import already waits there, and the news is then a line in the timeline,
     * not a move (a move to the same state changes nothing and says nothing).
     */
    private static Target toMatching(FileOwners.Owner owner) {
        boolean waiting = owner.episodes().isEmpty() ? owner.request().state == RequestState.ANIME_MATCHING
                : owner.episodes().stream().allMatch(e -> e.state == RequestState.ANIME_MATCHING);
        return waiting ? Target.note() : Target.progress(RequestState.ANIME_MATCHING, false);
    }

    /** What an auto-link attempt did, in words for the timeline. */
    record LinkOutcome(boolean linked, String message) {
    }

    /**
     * The prototype's auto-link: Shoko's first series hit for the request's title (then its alternate titles), only if
     * it shares a word of three letters or more with one of them; the episode number from the episode row, else from
     * the file name. Links the file to that series and episode through Shoko's API; never asks Radarr or Sonarr
     * anything (the prototype's title sync grabbed releases and caused duplicate downloads).
     */
    Uni<LinkOutcome> autoLink(FileEvent file, ShokoFile.Location location, FileOwners.Owner owner) {
        if (!config.shoko().autoLink()) {
            return Uni.createFrom().item(new LinkOutcome(false, "Shoko could not match "
                    + fileLabel(location) + " and auto-link is off (SHOKO_AUTO_LINK); link it in Shoko"));
        }
        if (file.fileId() == null) {
            return Uni.createFrom().item(new LinkOutcome(false, "Shoko named no file id for " + fileLabel(location)
                    + "; link it in Shoko"));
        }
        List<String> titles = new ArrayList<>();
        titles.add(owner.request().title);
        titles.addAll(AlternateTitles.list(owner.request().alternateTitles));
        if (titles.size() > MAX_SEARCHED_TITLES) {
            titles = new ArrayList<>(titles.subList(0, MAX_SEARCHED_TITLES)); // one search each: keep Shoko unhurried
        }
        List<String> searched = titles;
        boolean movie = owner.request().mediaType == MediaType.MOVIE;
        Integer episode = movie ? Integer.valueOf(1)
                : owner.episodes().size() == 1 ? Integer.valueOf(owner.episodes().get(0).episodeNumber)
                        : ShokoAutoLink.episodeNumber(location.relativePath());
        return firstAcceptedHit(searched, 0).chain(hit -> {
            if (hit.isEmpty()) {
                return Uni.createFrom().item(new LinkOutcome(false,
                        "Could not find a matching series in Shoko for any of: " + searched));
            }
            if (episode == null) {
                return Uni.createFrom().item(new LinkOutcome(false, "Found series '" + hit.get().name()
                        + "' but couldn't determine the episode number of " + fileLabel(location)));
            }
            return shoko.linkFromSeries(file.fileId(), hit.get().id(), String.valueOf(episode), String.valueOf(episode))
                    .map(done -> new LinkOutcome(true, "Auto-linked to '" + hit.get().name() + "'"
                            + (movie ? "" : " episode " + episode)))
                    .onFailure().recoverWithItem(f -> new LinkOutcome(false, "Found series '" + hit.get().name()
                            + "' but Shoko refused the link: " + SecretMasker.describe(f)));
        }).onFailure().recoverWithItem(f -> new LinkOutcome(false, "Shoko's search failed: "
                + SecretMasker.describe(f)));
    }

    private Uni<Optional<ShokoSeriesHit>> firstAcceptedHit(List<String> titles, int index) {
        if (index >= titles.size()) {
            return Uni.createFrom().item(Optional.empty());
        }
        String title = titles.get(index);
        return shoko.searchSeries(title).chain(hits -> {
            // Only the first hit, as the prototype: a later one is a weaker guess.
            if (!hits.isEmpty() && ShokoAutoLink.accepts(hits.get(0).name(), title, List.of())) {
                return Uni.createFrom().item(Optional.of(hits.get(0)));
            }
            return firstAcceptedHit(titles, index + 1);
        });
    }

    private DomainEvent event(String target, String key, FileOwners.Owner owner, Target eventTarget,
            String timelineType, String details) {
        List<EpisodeFact> facts = new ArrayList<>();
        for (Episode e : owner.episodes()) {
            facts.add(new EpisodeFact(e.seasonNumber, e.episodeNumber, null, null, null, null, null, null));
        }
        return new DomainEvent(SOURCE, target, key, MediaKeys.ofRequest(owner.request().id,
                owner.request().mediaType), eventTarget, MediaFacts.none(), timelineType, details)
                .withEpisodes(facts.isEmpty() ? EpisodeScope.none() : EpisodeScope.listed(facts, false));
    }

    private static String episodesLabel(FileOwners.Owner owner) {
        if (owner.episodes().isEmpty()) {
            return "";
        }
        Episode e = owner.episodes().get(0);
        return String.format(java.util.Locale.ROOT, ": S%02dE%02d", e.seasonNumber, e.episodeNumber)
                + (owner.episodes().size() > 1 ? " and " + (owner.episodes().size() - 1) + " more" : "");
    }

    private static String fileLabel(ShokoFile.Location location) {
        String name = lastSegment(location.relativePath());
        return name != null ? name : "the file";
    }

    /** Jellyfin is asked after each of {@code SHOKO_VERIFY_DELAYS}: Shokofin needs a moment to show a new match. */
    private void verifySoon() {
        if (!config.verification().enabled()) {
            return; // ENABLE_JELLYFIN_VERIFICATION=false: nothing asks Jellyfin on its own
        }
        long at = 0;
        for (Integer seconds : config.shoko().verifyDelays()) {
            at += Math.max(0, seconds) * 1000L;
            vertx.setTimer(Math.max(1, at), id -> verification.run().subscribe().with(
                    cycle -> LOG.debugf("verification after a Shoko match: %s", cycle),
                    failure -> LOG.debugf("verification after a Shoko match failed: %s",
                            SecretMasker.describe(failure))));
        }
    }

    // --- paths --------------------------------------------------------------------------------------------------

    /**
     * Where a file Shoko names by import folder and relative path may be on the tracker's side: the import folder's
     * path through {@code SHOKO_PATH_MAP}, the import folder's path as is (same mounts), and {@code MEDIA_PATH_PREFIX}
     * joined with the relative path (the prototype's only guess). The file-name fallback of {@link FileOwners} covers
     * the rest.
     */
    public List<String> candidates(String folderPath, String relativePath) {
        Set<String> paths = new LinkedHashSet<>();
        if (relativePath == null || relativePath.isBlank()) {
            return List.of();
        }
        String rel = ShokoMessages.normalisePath(relativePath);
        if (folderPath != null && !folderPath.isBlank()) {
            String folder = trimSlash(folderPath.replace('\\', '/'));
            for (String pair : config.shoko().pathMap().orElse(List.of())) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String from = trimSlash(pair.substring(0, eq).trim());
                String to = trimSlash(pair.substring(eq + 1).trim());
                if (folder.equals(from) || folder.startsWith(from + "/")) {
                    paths.add(to + folder.substring(from.length()) + "/" + rel);
                }
            }
            paths.add(folder + "/" + rel);
        }
        paths.add(trimSlash(config.mediaPathPrefix()) + "/" + rel);
        return List.copyOf(paths);
    }

    /** The file name at the end of a path, either separator; null without one. */
    static String lastSegment(String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        String p = trimSlash(path.replace('\\', '/'));
        String name = p.substring(p.lastIndexOf('/') + 1);
        return name.isBlank() ? null : name;
    }

    private static String trimSlash(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** Shoko's import folders (id → path), read again when stale or when a message names an unknown one. */
    private Uni<Map<Integer, String>> folders(Integer wanted) {
        boolean fresh = foldersReadAt.isAfter(Instant.now().minus(FOLDERS_TTL))
                && (wanted == null || importFolders.containsKey(wanted));
        if (fresh || !shoko.configured()) {
            return Uni.createFrom().item(importFolders);
        }
        return shoko.importFolders().invoke(found -> {
            importFolders = Map.copyOf(found);
            foldersReadAt = Instant.now();
        }).onFailure().recoverWithItem(f -> {
            LOG.debugf("Shoko's import folders could not be read: %s", SecretMasker.describe(f));
            return importFolders;
        });
    }

    // --- after a reconnect ----------------------------------------------------------------------------------------

    /**
     * The files of requests waiting in {@code anime_matching} or {@code match_failed}, looked up in Shoko by the end
     * of their path: a file Shoko matched while the hub was down becomes the same event its FileMatched would have
     * been. One REST call per waiting file, only after a reconnect.
     */
    Uni<Integer> recheckWaitingFiles() {
        if (!shoko.configured()) {
            return Uni.createFrom().item(0);
        }
        return pipeline.execute(() -> waitingFiles()).chain(files -> {
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (String path : files) {
                String name = lastSegment(path);
                chain = chain.chain(n -> shoko.fileByPathEnd(name).chain(found -> {
                    if (found.isEmpty() || !found.get().matched()) {
                        return Uni.createFrom().item(n + 1);
                    }
                    ShokoFile f = found.get();
                    ObjectNode arg = json.createObjectNode();
                    arg.put("FileID", f.id());
                    ShokoFile.Location l = f.locations().isEmpty() ? null : f.locations().get(0);
                    if (l != null && l.importFolderId() != null) {
                        arg.put("ImportFolderID", l.importFolderId());
                    }
                    arg.put("RelativePath", l != null && l.relativePath() != null ? l.relativePath() : name);
                    var xrefs = arg.putArray("CrossReferences");
                    for (ShokoFile.CrossReference x : f.crossReferences()) {
                        var o = xrefs.addObject();
                        if (x.seriesId() != null) {
                            o.put("SeriesID", x.seriesId());
                        }
                        if (x.anidbAnimeId() != null) {
                            o.put("AnidbAnimeID", x.anidbAnimeId());
                        }
                    }
                    // Once per file and its links: a flapping hub must not add a row per reconnect.
                    String recheckKey = SOURCE + ":recheck:" + f.id() + ":" + f.seriesIds();
                    return pipeline.execute(() -> events.storedDedupeKeys(List.of(recheckKey)))
                            .chain(stored -> stored.isEmpty()
                                    ? handle("ShokoEvent:FileMatched", arg.toString(), recheckKey)
                                    : Uni.createFrom().nullItem())
                            .replaceWith(n + 1);
                }).onFailure().recoverWithItem(n));
            }
            return chain;
        });
    }

    private Uni<List<String>> waitingFiles() {
        return io.quarkus.hibernate.reactive.panache.Panache.getSession().chain(s -> s.createSelectionQuery(
                "select e.finalPath from Episode e where e.state in :states and e.finalPath is not null",
                String.class).setParameter("states", List.of(RequestState.ANIME_MATCHING, RequestState.MATCH_FAILED))
                .setMaxResults(500).getResultList()
                .chain(episodes -> s.createSelectionQuery("select r.finalPath from MediaRequest r where r.mediaType"
                        + " = :movie and r.state in :states and r.finalPath is not null", String.class)
                        .setParameter("movie", MediaType.MOVIE)
                        .setParameter("states", List.of(RequestState.ANIME_MATCHING, RequestState.MATCH_FAILED))
                        .setMaxResults(500).getResultList()
                        .map(movies -> {
                            List<String> all = new ArrayList<>(episodes);
                            all.addAll(movies);
                            return all;
                        })));
    }

    // --- storing ------------------------------------------------------------------------------------------------

    private static Submission ignored(String target, String key, String payload, String reason) {
        return Submission.read(SOURCE, CONTENT_TYPE, payload,
                new Interpretation.Ignore(target, key, reason, MediaKeys.none()));
    }

    /** What is stored: the target and the arguments as the hub sent them (text, when they are not JSON). */
    private String payload(String target, String arguments) {
        ObjectNode n = json.createObjectNode();
        n.put("target", target);
        try {
            n.set("arguments", arguments == null ? null : json.readTree(arguments));
        } catch (java.io.IOException | RuntimeException e) {
            n.put("arguments", arguments);
        }
        return n.toString();
    }
}
