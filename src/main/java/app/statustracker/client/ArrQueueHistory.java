package app.statustracker.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** What the reconciler reads from Sonarr and Radarr alike; implemented by {@link SonarrClient} and {@link RadarrClient}. */
public interface ArrQueueHistory {

    /** {@code sonarr} or {@code radarr}. */
    String name();

    boolean configured();

    /**
     * {@code GET /api/v3/queue}, every page, with the series and episode (Sonarr) or the movie (Radarr) of each
     * record. Sonarr lists one record per episode; the records of a season pack share their downloadId.
     */
    Uni<List<JsonNode>> queue();

    /** {@code GET /api/v3/history/since?date=}: every history record from that moment on, oldest first. */
    Uni<List<JsonNode>> historySince(Instant since);

    /** {@code GET /api/v3/tag}: label by tag id (the API lists tags by id, webhooks by label). */
    Uni<Map<Long, String>> tagLabels();
}
