package app.statustracker.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.MediaType;
import app.statustracker.client.JellyfinClient;
import app.statustracker.client.JellyfinItem;
import app.statustracker.client.JellyseerrClient;
import app.statustracker.client.SonarrClient;
import app.statustracker.client.SonarrEpisode;
import app.statustracker.ingest.DomainEvent.FollowUp;
import app.statustracker.ingest.WebhookIntake;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Provider;

/**
 * Asks Jellyfin, Sonarr or Jellyseerr what an event could not tell by itself (is it playable? which episodes does
 * the request expect?) once that event is committed. The answer goes back through the one pipeline, as a payload in
 * the upstream's own shape posted to its adapter, so it is stored, deduplicated and applied like any webhook.
 *
 * <p>Runs off the pipeline: a slow upstream never holds up webhooks. A question still being asked is not asked
 * twice (several webhooks often raise it at once).
 */
@ApplicationScoped
public class FollowUps {

    private static final Logger LOG = Logger.getLogger(FollowUps.class);
    /** How long Sonarr's episode list for a request is not asked for again. */
    private static final Duration QUIET = Duration.ofMinutes(10);
    static final String ORIGIN = "application/json; origin=status-tracker follow-up";

    private final JellyfinClient jellyfin;
    private final SonarrClient sonarr;
    private final app.statustracker.client.RadarrClient radarr;
    private final JellyseerrClient jellyseerr;
    private final Provider<WebhookIntake> intake;
    private final ObjectMapper json;
    /** Questions answered for good, and when: not asked again for a while. Guarded by {@code this}. */
    private final Map<String, Instant> answered = new java.util.HashMap<>();
    /** Questions being asked now. Guarded by {@code this}. */
    private final Set<String> inFlight = new java.util.HashSet<>();
    /** The newest job per question raised while that question was being asked: it runs next. Guarded by {@code this}. */
    private final Map<String, FollowUpJob> waiting = new java.util.HashMap<>();

    public FollowUps(JellyfinClient jellyfin, SonarrClient sonarr, app.statustracker.client.RadarrClient radarr,
            JellyseerrClient jellyseerr, Provider<WebhookIntake> intake, ObjectMapper json) {
        this.jellyfin = jellyfin;
        this.sonarr = sonarr;
        this.radarr = radarr;
        this.jellyseerr = jellyseerr;
        this.intake = intake;
        this.json = json;
    }

    /**
     * Starts the jobs in the background; never throws. A question already being asked is not asked twice at once,
     * but the newest job raised meanwhile runs when the first is done: it may know more (a SeriesAdd names the
     * Sonarr series a moment after the request was created without it), and the first may fail.
     */
    public void start(List<FollowUpJob> jobs) {
        for (FollowUpJob job : jobs.stream().distinct().toList()) {
            if (claim(job)) {
                launch(job);
            }
        }
    }

    private synchronized boolean claim(FollowUpJob job) {
        Instant now = Instant.now();
        if (answered.size() > 10_000) {
            answered.values().removeIf(t -> t.isBefore(now.minus(QUIET)));
        }
        Instant last = answered.get(job.key());
        if (last != null && last.isAfter(now.minus(QUIET))) {
            return false;
        }
        if (!inFlight.add(job.key())) {
            waiting.put(job.key(), job);
            return false;
        }
        return true;
    }

    /** Ends a question; returns the job that waited for it, already claimed, or null. */
    private synchronized FollowUpJob finish(FollowUpJob job, boolean keep) {
        if (keep) {
            answered.put(job.key(), Instant.now());
        }
        FollowUpJob next = waiting.remove(job.key());
        if (next == null || keep) {
            inFlight.remove(job.key()); // a kept answer also answers the waiting job
            return null;
        }
        return next; // stays in flight under the same key
    }

    private void launch(FollowUpJob job) {
        Uni<String> asking;
        try {
            asking = run(job);
        } catch (RuntimeException e) {
            asking = Uni.createFrom().failure(e);
        }
        asking.subscribe().with(outcome -> {
            LOG.debugf("follow-up %s: %s", job.key(), outcome);
            after(job, keep(job, outcome));
        }, failure -> {
            LOG.infof("follow-up %s could not be answered: %s", job.key(), SecretMasker.describe(failure));
            after(job, false); // not answered: ask again next time
        });
    }

    private void after(FollowUpJob job, boolean keep) {
        FollowUpJob next = finish(job, keep);
        if (next != null) {
            launch(next);
        }
    }

    /**
     * Whether an answer settles the question for a while. Whether something is playable can change any minute, so
     * only questions about an upstream item no request knows are kept (not asked at every episode of a library
     * scan). For the expected episodes only Sonarr's list is final (it has air dates and what is monitored);
     * Jellyseerr's count is kept only when there is no Sonarr to ask.
     */
    boolean keep(FollowUpJob job, String outcome) {
        if (job.kind() == FollowUp.ALTERNATE_TITLES) {
            return outcome.startsWith("posted to"); // titles rarely change: once per request is enough
        }
        if (job.kind() == FollowUp.EXPECTED_EPISODES) {
            return outcome.startsWith("posted to sonarr")
                    || (outcome.startsWith("posted to jellyseerr") && !sonarrConfigured());
        }
        return job.requestId() == 0;
    }

    boolean sonarrConfigured() {
        return sonarr.configured();
    }

    /** The outcome in words, for the debug log. */
    Uni<String> run(FollowUpJob job) {
        return switch (job.kind()) {
            case VERIFY_IN_JELLYFIN -> verify(job);
            case EXPECTED_EPISODES -> expectedEpisodes(job);
            case ALTERNATE_TITLES -> alternateTitles(job);
        };
    }

    private Uni<String> verify(FollowUpJob job) {
        if (!jellyfin.configured()) {
            return Uni.createFrom().item("Jellyfin not configured");
        }
        if (job.mediaType() == MediaType.MOVIE) {
            return jellyfin.findPlayableMovie(job.tmdbId(), job.imdbId(), job.title(), job.year())
                    .chain(found -> found.isEmpty() ? Uni.createFrom().item("no playable movie yet")
                            : post("jellyfin", VerifiedPayloads.movie(json, found.get(), job.requestId(), null)));
        }
        Uni<Optional<JellyfinItem>> series = job.jellyfinId() != null ? jellyfin.item(job.jellyfinId())
                : jellyfin.findSeries(job.tvdbId(), job.tmdbId(), job.title());
        return series.chain(found -> {
            if (found.isEmpty() || !"Series".equalsIgnoreCase(found.get().type())) {
                return Uni.createFrom().item("no series in Jellyfin yet");
            }
            JellyfinItem s = found.get();
            return jellyfin.episodes(s.id()).chain(episodes -> {
                List<Integer> seasons = RequestViews.seasons(job.requestedSeasons());
                // Only the seasons the request asked for (all when it names none), as the scheduled verification
                // lists them: the same finding is then the same payload, stored once.
                List<JellyfinItem> playable = episodes.stream().filter(JellyfinItem::playable)
                        .filter(e -> seasons.isEmpty() || job.requestId() == 0 || seasons.contains(e.seasonNumber()))
                        .toList();
                return playable.isEmpty() ? Uni.createFrom().item("no playable episodes yet")
                        : post("jellyfin", VerifiedPayloads.series(json, s, playable, job.requestId(), null));
            });
        });
    }

    /**
     * An anime's other titles from its Sonarr series or Radarr movie (one call), for the Jellyfin verification's
     * title fallback: Shokofin often names items by another title than Jellyseerr's.
     */
    private Uni<String> alternateTitles(FollowUpJob job) {
        boolean tv = job.mediaType() == MediaType.TV;
        Long id = tv ? job.sonarrId() : job.radarrId();
        if (id == null || !(tv ? sonarr.configured() : radarr.configured())) {
            return Uni.createFrom().item("no " + (tv ? "Sonarr series" : "Radarr movie") + " to ask");
        }
        return (tv ? sonarr.series(id) : radarr.movie(id)).chain(resource -> {
            ObjectNode n = json.createObjectNode();
            n.put("eventType", "AlternateTitles");
            n.put("askedForRequest", job.requestId());
            ObjectNode media = n.putObject(tv ? "series" : "movie");
            // Ids to correlate by and the titles; not the tags (ids here, labels in webhooks) nor the path, which
            // would make the adapter judge "anime" on less than the event that asked.
            for (String field : List.of("id", "title", "year", "tvdbId", "tmdbId", "imdbId", "seriesType",
                    "alternateTitles")) {
                if (resource != null && resource.hasNonNull(field)) {
                    media.set(field, resource.get(field));
                }
            }
            return post(tv ? "sonarr" : "radarr", n);
        });
    }

    private Uni<String> expectedEpisodes(FollowUpJob job) {
        if (job.mediaType() != MediaType.TV) {
            return Uni.createFrom().item("not a series");
        }
        if (RequestViews.seasons(job.requestedSeasons()).isEmpty()) {
            // Made in Sonarr, not in Jellyseerr: it tracks what Sonarr grabs, not every season of the series.
            return Uni.createFrom().item("no requested seasons");
        }
        if (sonarr.configured() && (job.sonarrId() != null || job.tvdbId() != null)) {
            Uni<Optional<Long>> seriesId = job.sonarrId() != null ? Uni.createFrom().item(Optional.of(job.sonarrId()))
                    : sonarr.seriesIdByTvdb(job.tvdbId());
            return seriesId.chain(id -> id.isEmpty() ? fromJellyseerr(job)
                    : sonarr.episodes(id.get()).chain(list -> {
                        List<SonarrEpisode> wanted = list.stream().filter(e -> wanted(job, e)).toList();
                        return wanted.isEmpty() ? fromJellyseerr(job) : post("sonarr", episodeList(job, id.get(), wanted));
                    }));
        }
        return fromJellyseerr(job);
    }

    private Uni<String> fromJellyseerr(FollowUpJob job) {
        if (!jellyseerr.configured() || job.tmdbId() == null || job.jellyseerrId() == null) {
            return Uni.createFrom().item("no source for the expected episodes");
        }
        Set<Integer> seasons = Set.copyOf(RequestViews.seasons(job.requestedSeasons()));
        return jellyseerr.seasonEpisodeCounts(job.tmdbId()).chain(counts -> {
            int total = counts.entrySet().stream()
                    .filter(e -> e.getKey() > 0 && (seasons.isEmpty() || seasons.contains(e.getKey())))
                    .mapToInt(Map.Entry::getValue).sum();
            return total == 0 ? Uni.createFrom().item("Jellyseerr lists no episodes")
                    : post("jellyseerr", seasonCounts(job, counts, total));
        });
    }

    /**
     * Episodes of the requested seasons that Sonarr will download: monitored, not specials, and without a file yet
     * (one Sonarr already has is not waiting for a search).
     */
    private static boolean wanted(FollowUpJob job, SonarrEpisode e) {
        List<Integer> seasons = RequestViews.seasons(job.requestedSeasons());
        return e.monitored() && !e.hasFile() && e.seasonNumber() > 0
                && (seasons.isEmpty() || seasons.contains(e.seasonNumber()));
    }

    private Uni<String> post(String service, ObjectNode payload) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return intake.get().receive(service, ORIGIN, body).map(answer -> answer.result() == null
                ? "refused: " + answer.refusal().message()
                : "posted to " + service + ": " + answer.result().outcome().value());
    }

    private ObjectNode episodeList(FollowUpJob job, long seriesId, List<SonarrEpisode> episodes) {
        ObjectNode n = json.createObjectNode();
        n.put("eventType", "EpisodeList");
        ObjectNode series = n.putObject("series");
        series.put("id", seriesId);
        if (job.tvdbId() != null) {
            series.put("tvdbId", job.tvdbId());
        }
        if (job.tmdbId() != null) {
            series.put("tmdbId", job.tmdbId());
        }
        series.put("title", job.title());
        ArrayNode list = n.putArray("episodes");
        for (SonarrEpisode e : episodes) {
            ObjectNode ep = list.addObject();
            ep.put("id", e.id());
            ep.put("seasonNumber", e.seasonNumber());
            ep.put("episodeNumber", e.episodeNumber());
            ep.put("title", e.title());
            if (e.airDate() != null) {
                ep.put("airDate", e.airDate().toString());
            }
            ep.put("monitored", e.monitored());
        }
        return n;
    }

    private ObjectNode seasonCounts(FollowUpJob job, Map<Integer, Integer> counts, int total) {
        ObjectNode n = json.createObjectNode();
        n.put("notification_type", "SEASON_COUNTS");
        n.put("event", job.is4k() ? "4K Series Episode Counts" : "Series Episode Counts");
        ObjectNode media = n.putObject("media");
        media.put("media_type", "tv");
        media.put("tmdbId", String.valueOf(job.tmdbId()));
        media.put("tvdbId", job.tvdbId() == null ? "" : String.valueOf(job.tvdbId()));
        n.putObject("request").put("request_id", String.valueOf(job.jellyseerrId()));
        n.put("total_episodes", total);
        ArrayNode seasons = n.putArray("seasons");
        counts.forEach((season, count) -> seasons.addObject().put("seasonNumber", season).put("episodeCount", count));
        return n;
    }
}
