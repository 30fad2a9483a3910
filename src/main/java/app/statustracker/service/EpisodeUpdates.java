package app.statustracker.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import app.statustracker.Episode;
import app.statustracker.MediaRequest;
import app.statustracker.MediaType;
import app.statustracker.RequestState;
import app.statustracker.ingest.DomainEvent;
import app.statustracker.ingest.EpisodeFact;
import app.statustracker.ingest.EpisodeScope;
import app.statustracker.ingest.Target;
import app.statustracker.service.TransitionRules.Decision;

import io.smallrye.mutiny.Uni;

/**
 * The episode half of applying an event to a TV request: which of its episodes the event is about, how each one
 * moves (the same transition rules as requests, plus regrabs), and which facts they take. The request's own state is
 * then derived from them ({@link EpisodeAggregate}) by {@link EventApplier}. Works on managed entities in the
 * caller's transaction.
 */
final class EpisodeUpdates {

    private static final String JELLYFIN = "jellyfin";

    private EpisodeUpdates() {
    }

    /** Applies the event's target to the episodes it names; returns what changed. Rows are managed entities. */
    static Changes apply(MediaRequest r, DomainEvent event, List<Episode> rows) {
        Changes changes = new Changes();
        changes.all = rows;
        EpisodeScope scope = event.episodes();
        if (r.mediaType != MediaType.TV || scope.mode() == EpisodeScope.Mode.NONE) {
            return changes;
        }
        Target target = event.target();
        List<Episode> selected = new ArrayList<>();
        Map<Episode, EpisodeFact> factOf = new java.util.IdentityHashMap<>();
        if (scope.mode() == EpisodeScope.Mode.BY_HASH) {
            String hash = event.keys().downloadHash();
            rows.stream().filter(e -> hash != null && hash.equals(e.downloadHash)).forEach(selected::add);
        } else {
            for (EpisodeFact fact : scope.listed()) {
                Episode match = findRow(rows, fact);
                if (match == null && scope.createsRows() && target.kind() == Target.Kind.PROGRESS
                        && mayCreateRow(r, event, fact)) {
                    match = newEpisode(r, fact, event);
                    rows.add(match);
                    changes.created.add(match);
                    changes.changed++;
                    factOf.put(match, fact);
                    continue;
                }
                if (match != null && !factOf.containsKey(match)) {
                    selected.add(match);
                    factOf.put(match, fact);
                }
            }
        }
        changes.touched = selected.size() + changes.created.size();
        Instant now = Instant.now();
        for (Episode e : selected) {
            boolean moved = false;
            if (target.kind() == Target.Kind.PROGRESS || target.kind() == Target.Kind.PROBLEM) {
                RequestState stage = e.state.isProblem() && e.problemStage != null ? e.problemStage : e.state;
                if (target.kind() == Target.Kind.PROGRESS && isRegrab(event, e.downloadHash, stage)) {
                    e.state = RequestState.GRABBING;
                    e.problemStage = null;
                    e.downloadHash = event.keys().downloadHash();
                    e.downloadProgress = null;
                    changes.newHashes.add(e.downloadHash);
                    moved = true;
                } else {
                    Decision d = TransitionRules.decide(e.state, e.problemStage, target);
                    if (d.verdict() == TransitionRules.Verdict.MOVE) {
                        e.state = d.state();
                        e.problemStage = d.problemStage();
                        if (e.state.rank() >= RequestState.DOWNLOADED.rank()) {
                            e.downloadProgress = 1.0;
                        }
                        moved = true;
                    } else if (d.verdict() == TransitionRules.Verdict.STALE) {
                        changes.stale++;
                    }
                }
            }
            boolean filled = fillEpisode(e, factOf.get(e), event, changes);
            if (moved || filled) {
                e.updatedAt = now;
            }
            if (moved) {
                changes.changed++;
            } else if (filled) {
                changes.filled = true;
            }
        }
        return changes;
    }

    /** A grab of another torrent for something not yet imported: the earlier download was given up. */
    static boolean isRegrab(DomainEvent event, String currentHash, RequestState stage) {
        return isGrab(event) && event.keys().downloadHash() != null && currentHash != null
                && !currentHash.equals(event.keys().downloadHash())
                && stage.rank() >= RequestState.GRABBING.rank() && stage.rank() < RequestState.IMPORTING.rank();
    }

    static boolean isGrab(DomainEvent event) {
        return event.target().kind() == Target.Kind.PROGRESS && event.target().state() == RequestState.GRABBING;
    }

    static boolean fillEpisode(Episode e, EpisodeFact fact, DomainEvent event, Changes changes) {
        boolean filled = false;
        if (e.downloadHash == null && isGrab(event) && event.keys().downloadHash() != null) {
            e.downloadHash = event.keys().downloadHash();
            changes.newHashes.add(e.downloadHash);
            filled = true;
        }
        if (fact == null) {
            return filled;
        }
        if (fact.finalPath() != null && !fact.finalPath().equals(e.finalPath)) {
            e.finalPath = truncate(fact.finalPath(), 2000); // an upgrade moves the file
            filled = true;
        }
        if (fact.jellyfinId() != null && !fact.jellyfinId().equals(e.jellyfinId)) {
            e.jellyfinId = fact.jellyfinId();
            filled = true;
        }
        if (e.episodeTitle == null && fact.title() != null) {
            e.episodeTitle = truncate(fact.title(), 500);
            filled = true;
        }
        if (e.airDate == null && fact.airDate() != null) {
            e.airDate = fact.airDate();
            filled = true;
        }
        if (e.sonarrEpisodeId == null && fact.sonarrEpisodeId() != null) {
            e.sonarrEpisodeId = fact.sonarrEpisodeId();
            filled = true;
        }
        if (e.episodeTvdbId == null && fact.tvdbId() != null) {
            e.episodeTvdbId = fact.tvdbId();
            filled = true;
        }
        return filled;
    }

    static Episode findRow(List<Episode> rows, EpisodeFact fact) {
        if (fact.sonarrEpisodeId() != null) {
            for (Episode e : rows) {
                if (fact.sonarrEpisodeId().equals(e.sonarrEpisodeId)) {
                    return e;
                }
            }
        }
        // The episode's own TVDB id before its numbers: anime numbering differs between Sonarr and Jellyfin.
        if (fact.tvdbId() != null) {
            for (Episode e : rows) {
                if (fact.tvdbId().equals(e.episodeTvdbId)) {
                    return e;
                }
            }
        }
        for (Episode e : rows) {
            if (sameNumber(e, fact)) {
                return e;
            }
        }
        return null;
    }

    static boolean sameNumber(Episode e, EpisodeFact fact) {
        return e.seasonNumber == fact.season() && e.episodeNumber == fact.episode();
    }

    /**
     * Sonarr's grabs and episode lists add any episode; Jellyfin's findings only add episodes of the requested
     * seasons (a series already in the library would otherwise bring every old season along).
     */
    static boolean mayCreateRow(MediaRequest r, DomainEvent event, EpisodeFact fact) {
        if (!JELLYFIN.equals(event.source())) {
            return true;
        }
        List<Integer> seasons = RequestViews.seasons(r.requestedSeasons);
        return fact.season() > 0 && (seasons.isEmpty() || seasons.contains(fact.season()));
    }

    static Episode newEpisode(MediaRequest r, EpisodeFact fact, DomainEvent event) {
        Instant now = Instant.now();
        Episode e = new Episode();
        e.requestId = r.id;
        e.seasonNumber = fact.season();
        e.episodeNumber = fact.episode();
        e.state = event.target().state();
        if (e.state.rank() >= RequestState.DOWNLOADED.rank()) {
            e.downloadProgress = 1.0;
        }
        e.createdAt = now;
        e.updatedAt = now;
        fillEpisode(e, fact, event, new Changes());
        return e;
    }

    /** Expected episodes among these rows: requested seasons, no specials (see {@link EpisodeAggregate}). */
    static int countExpected(MediaRequest r, List<Episode> rows) {
        List<Integer> seasons = RequestViews.seasons(r.requestedSeasons);
        return (int) rows.stream().filter(e -> e.seasonNumber > 0
                && (seasons.isEmpty() || seasons.contains(e.seasonNumber))).count();
    }

    static Uni<Void> persistAll(List<Episode> created) {
        return created.isEmpty() ? Uni.createFrom().voidItem()
                : Episode.persist(created.stream().map(e -> (Object) e)).replaceWithVoid();
    }

    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    /** What an event did to a request's episodes. */
    static final class Changes {
        List<Episode> all = new ArrayList<>();
        final List<Episode> created = new ArrayList<>();
        /** Torrent hashes the request's episodes (or the request) did not have before. */
        final Set<String> newHashes = new java.util.LinkedHashSet<>();
        int touched;
        int changed;
        int stale;
        boolean filled;
    }

    private static String truncate(String s, int max) {
        return EventApplier.truncate(s, max);
    }
}
