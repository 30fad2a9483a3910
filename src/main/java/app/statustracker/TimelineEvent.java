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

/** A line in a request's history: what happened, from which service, and the state after it. */
@Entity
@Table(name = "timeline_event")
public class TimelineEvent extends PanacheEntityBase {

    @Id
    // Blocks of 50 ids (V3__pooled_ids.sql): no round trip per insert, and the inserts of an event batch together.
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "timeline_event_ids")
    @SequenceGenerator(name = "timeline_event_ids", sequenceName = "timeline_event_ids", allocationSize = 50)
    public Long id;

    @Column(name = "request_id")
    public Long requestId;
    public String service;
    @Column(name = "event_type")
    public String eventType;
    public RequestState state;
    @Column(columnDefinition = "text")
    public String details;
    @Column(name = "inbound_event_id")
    public Long inboundEventId;
    @Column(name = "occurred_at")
    public Instant occurredAt;
}
