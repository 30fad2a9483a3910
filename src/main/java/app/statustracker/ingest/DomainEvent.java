package app.statustracker.ingest;

import java.util.EnumSet;
import java.util.Set;

/**
 * An input after its adapter has read it: the one shape every webhook, SignalR message, poll result and scheduled
 * check takes before it enters the pipeline.
 *
 * @param source        the service it came from ({@code jellyseerr}, {@code sonarr}, ...)
 * @param eventType     the upstream's own name for it ({@code MEDIA_PENDING}, {@code Grab}, ...)
 * @param dedupeKey     equal for two deliveries of the same event, different otherwise
 * @param keys          correlation keys
 * @param target        what it proves
 * @param facts         descriptive facts
 * @param timelineType  the timeline's event type ({@code Requested}, {@code Approved}, ...)
 * @param details       the timeline's details text
 * @param episodes      which episodes of a TV request it is about
 * @param followUps     what to ask other services once it is committed
 */
public record DomainEvent(String source, String eventType, String dedupeKey, MediaKeys keys, Target target,
        MediaFacts facts, String timelineType, String details, EpisodeScope episodes, Set<FollowUp> followUps) {

    /** Work that needs another service's answer; done after the commit, its result comes back as a new event. */
    public enum FollowUp {
        /** Ask Jellyfin whether the media is playable (movie) or which episodes are (TV). */
        VERIFY_IN_JELLYFIN,
        /** Ask Sonarr (else Jellyseerr) which episodes the request expects. */
        EXPECTED_EPISODES,
        /** Ask Sonarr or Radarr for an anime's other titles (for the Jellyfin verification's title fallback). */
        ALTERNATE_TITLES
    }

    public DomainEvent(String source, String eventType, String dedupeKey, MediaKeys keys, Target target,
            MediaFacts facts, String timelineType, String details) {
        this(source, eventType, dedupeKey, keys, target, facts, timelineType, details, EpisodeScope.none(),
                Set.of());
    }

    public DomainEvent withEpisodes(EpisodeScope scope) {
        return new DomainEvent(source, eventType, dedupeKey, keys, target, facts, timelineType, details, scope,
                followUps);
    }

    public DomainEvent withFollowUp(FollowUp followUp) {
        EnumSet<FollowUp> all = followUps.isEmpty() ? EnumSet.noneOf(FollowUp.class) : EnumSet.copyOf(followUps);
        all.add(followUp);
        return new DomainEvent(source, eventType, dedupeKey, keys, target, facts, timelineType, details, episodes,
                Set.copyOf(all));
    }
}
