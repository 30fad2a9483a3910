package app.statustracker.ingest;

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
 */
public record DomainEvent(String source, String eventType, String dedupeKey, MediaKeys keys, Target target,
        MediaFacts facts, String timelineType, String details) {
}
