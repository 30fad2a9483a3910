package app.statustracker;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The event log: every input as received, with its dedupe key and what the pipeline did with it. */
@Entity
@Table(name = "inbound_event")
public class InboundEvent extends PanacheEntityBase {

    @Id
    // Blocks of 50 ids (V3__pooled_ids.sql): no round trip per insert, and the inserts of an event batch together.
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "inbound_event_ids")
    @SequenceGenerator(name = "inbound_event_ids", sequenceName = "inbound_event_ids", allocationSize = 50)
    public Long id;

    public String source;
    @Column(name = "event_type")
    public String eventType;
    @Column(name = "received_at")
    public Instant receivedAt;
    @Column(name = "processed_at")
    public Instant processedAt;
    @Column(name = "dedupe_key")
    public String dedupeKey;
    public EventOutcome outcome;
    @Column(name = "outcome_reason")
    public String outcomeReason;
    @Column(name = "request_id")
    public Long requestId;
    @Column(name = "content_type")
    public String contentType;
    @Column(columnDefinition = "text")
    public String payload;
    @Column(name = "media_type")
    public MediaType mediaType;
    @Column(name = "tmdb_id")
    public Long tmdbId;
    @Column(name = "tvdb_id")
    public Long tvdbId;
    @Column(name = "imdb_id")
    public String imdbId;
    @Column(name = "jellyseerr_id")
    public Long jellyseerrId;
    @Column(name = "download_hash")
    public String downloadHash;
    @Column(name = "jellyfin_id")
    public String jellyfinId;
}
