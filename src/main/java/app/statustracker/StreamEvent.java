package app.statustracker;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One SSE update, persisted in the transaction that caused it; its id is the SSE {@code id:}. */
@Entity
@Table(name = "stream_event")
public class StreamEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "request_id")
    public Long requestId;
    @Column(name = "event_type")
    public String eventType;
    /** The JSON sent as the event's data. */
    @Column(columnDefinition = "text")
    public String payload;
    @Column(name = "created_at")
    public Instant createdAt;
}
