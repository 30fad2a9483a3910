package app.statustracker.ingest;

import java.time.Instant;
import java.util.UUID;

/**
 * One input handed to the pipeline: the raw payload as received, plus what its adapter made of it, or why it could
 * not be read.
 */
public record Submission(String source, String contentType, String payload, Instant receivedAt,
        Interpretation interpretation, String rejection) {

    public static Submission read(String source, String contentType, String payload, Interpretation interpretation) {
        return new Submission(source, Payloads.storable(contentType), Payloads.storable(payload), Instant.now(),
                interpretation, null);
    }

    public static Submission rejected(String source, String contentType, String payload, String reason) {
        return new Submission(source, Payloads.storable(contentType), Payloads.storable(payload), Instant.now(), null,
                reason);
    }

    /** At most 100 characters (the column holds 128; derived keys add a suffix to the first 80). */
    public String dedupeKey() {
        // Unreadable bodies are never deduplicated: each one is kept for the admin to see.
        String key = interpretation != null ? interpretation.dedupeKey() : source + ":rejected:" + UUID.randomUUID();
        return key.length() <= 100 ? key : key.substring(0, 30) + ":sha256:" + Payloads.sha256(key);
    }

    public String eventType() {
        return interpretation != null ? interpretation.eventType() : null;
    }
}
