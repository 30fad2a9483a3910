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
 * One deletion of a request (from the dashboard, or seen in Sonarr/Radarr): a snapshot of what the request was, who
 * deleted it, and how the deletion went overall. Each upstream's progress is in {@link DeletionStep}.
 */
@Entity
@Table(name = "deletion_log")
public class DeletionLog extends PanacheEntityBase {

    /** Where the deletion started. */
    public enum Source {
        DASHBOARD, SONARR, RADARR;

        @JsonValue
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Source> parse(String value) {
            return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
        }
    }

    /** In progress while a step is pending or running; then incomplete if any step failed, else complete. */
    public enum Status {
        IN_PROGRESS, COMPLETE, INCOMPLETE;

        @JsonValue
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Status> parse(String value) {
            return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "request_id")
    public Long requestId;
    public String title;
    @Column(name = "media_type")
    public MediaType mediaType;
    public Integer year;
    @Column(name = "poster_url")
    public String posterUrl;
    @Column(name = "is_anime")
    public Boolean isAnime;
    @Column(name = "tmdb_id")
    public Long tmdbId;
    @Column(name = "tvdb_id")
    public Long tvdbId;
    @Column(name = "imdb_id")
    public String imdbId;
    @Column(name = "jellyfin_id")
    public String jellyfinId;
    @Column(name = "sonarr_id")
    public Long sonarrId;
    @Column(name = "radarr_id")
    public Long radarrId;
    @Column(name = "jellyseerr_id")
    public Long jellyseerrId;
    /** Lower-case qBittorrent hashes, comma separated; null when none is known. */
    @Column(name = "download_hashes", columnDefinition = "text")
    public String downloadHashes;
    @Column(name = "delete_files")
    public boolean deleteFiles;
    public Source source;
    @Column(name = "deleted_by_user_id")
    public String deletedByUserId;
    @Column(name = "deleted_by_username")
    public String deletedByUsername;
    public Status status;
    @Column(name = "initiated_at")
    public Instant initiatedAt;
    @Column(name = "completed_at")
    public Instant completedAt;

    /** The hashes as a list (empty when none). */
    public java.util.List<String> hashes() {
        if (downloadHashes == null || downloadHashes.isBlank()) {
            return java.util.List.of();
        }
        return Arrays.stream(downloadHashes.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
    }
}
