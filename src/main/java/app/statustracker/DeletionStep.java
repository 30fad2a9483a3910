package app.statustracker;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What happened to one upstream service during a deletion. Append-only: the latest row per service is that service's
 * status, the earlier ones are its history (pending, running, failed, running again, done).
 */
@Entity
@Table(name = "deletion_step")
public class DeletionStep extends PanacheEntityBase {

    /** The upstreams a deletion touches, in the order they are asked (see DeletionSync for why). */
    public enum Service {
        SONARR("Sonarr"), RADARR("Radarr"), QBITTORRENT("qBittorrent"), SHOKO("Shoko"), JELLYFIN("Jellyfin"),
        JELLYSEERR("Jellyseerr");

        private final String label;

        Service(String label) {
            this.label = label;
        }

        /** How people write its name. */
        public String label() {
            return label;
        }

        @JsonValue
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Service> parse(String value) {
            return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
        }
    }

    public enum Status {
        /** Will be asked. */
        PENDING,
        /** Being asked now. */
        RUNNING,
        DONE,
        FAILED,
        /** Would apply, but was not asked (sync off, not configured, files kept, deleted elsewhere). */
        SKIPPED,
        /** Does not concern this media (Sonarr for a movie, Shoko for what is not anime). */
        NOT_APPLICABLE,
        /** Concerns it, but there is nothing to delete there (no id known). */
        NOT_NEEDED;

        @JsonValue
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Status> parse(String value) {
            return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
        }

        /** Still to be settled: the deletion is in progress while a service is here. */
        public boolean open() {
            return this == PENDING || this == RUNNING;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "deletion_log_id")
    public Long deletionLogId;
    public Service service;
    public Status status;
    @Column(columnDefinition = "text")
    public String details;
    @Column(columnDefinition = "text")
    public String error;
    @Column(name = "occurred_at")
    public Instant occurredAt;
}
