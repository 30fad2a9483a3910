package app.statustracker;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One tracked request: a movie, or a series with the seasons asked for. */
@Entity
@Table(name = "media_request")
public class MediaRequest extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String title;
    @Column(name = "media_type")
    public MediaType mediaType;
    public RequestState state;
    /** For problem states: the normal state in which the problem happened. */
    @Column(name = "problem_stage")
    public RequestState problemStage;
    @Column(name = "is_4k")
    public boolean is4k;
    @Column(name = "jellyseerr_id")
    public Long jellyseerrId;
    @Column(name = "tmdb_id")
    public Long tmdbId;
    @Column(name = "tvdb_id")
    public Long tvdbId;
    @Column(name = "imdb_id")
    public String imdbId;
    @Column(name = "sonarr_id")
    public Long sonarrId;
    @Column(name = "radarr_id")
    public Long radarrId;
    @Column(name = "is_anime")
    public Boolean isAnime;
    /** Torrent info-hash, always lower-case. */
    @Column(name = "download_hash")
    public String downloadHash;
    @Column(name = "download_progress")
    public Double downloadProgress;
    @Column(name = "download_speed_bps")
    public Long downloadSpeedBps;
    @Column(name = "download_eta_seconds")
    public Long downloadEtaSeconds;
    public String quality;
    public String indexer;
    @Column(name = "release_group")
    public String releaseGroup;
    @Column(name = "file_size")
    public Long fileSize;
    @Column(name = "requested_by")
    public String requestedBy;
    @Column(name = "poster_url")
    public String posterUrl;
    public Integer year;
    @Column(columnDefinition = "text")
    public String overview;
    public Integer season;
    /** Comma-separated season numbers, e.g. {@code 1,2}. */
    @Column(name = "requested_seasons")
    public String requestedSeasons;
    @Column(name = "total_episodes")
    public Integer totalEpisodes;
    @Column(name = "final_path")
    public String finalPath;
    /** Where qBittorrent put the finished download (its completion hook says). */
    @Column(name = "download_path")
    public String downloadPath;
    @Column(name = "jellyfin_id")
    public String jellyfinId;
    @Column(name = "stuck_reason")
    public String stuckReason;
    /** Other titles of the media, one per line (Sonarr's and Radarr's alternate titles); null when none are known. */
    @Column(name = "alternate_titles")
    public String alternateTitles;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "state_changed_at")
    public Instant stateChangedAt;
    @Column(name = "available_at")
    public Instant availableAt;
    /** When the download last made progress (polled from qBittorrent); null before any. */
    @Column(name = "progress_at")
    public Instant progressAt;

    /** The stage used for ordering: the state itself, or for a problem state the stage it happened in. */
    public RequestState stage() {
        return state.isProblem() ? (problemStage == null ? RequestState.REQUESTED : problemStage) : state;
    }
}
