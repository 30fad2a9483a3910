package app.statustracker;

import java.time.Instant;
import java.time.LocalDate;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** One episode of a TV request, with its own state and torrent. */
@Entity
@Table(name = "episode")
public class Episode extends PanacheEntityBase {

    @Id
    // Blocks of 50 ids (V3__pooled_ids.sql): no round trip per insert, and the inserts of an event batch together.
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "episode_ids")
    @SequenceGenerator(name = "episode_ids", sequenceName = "episode_ids", allocationSize = 50)
    public Long id;

    @Column(name = "request_id")
    public Long requestId;
    @Column(name = "season_number")
    public int seasonNumber;
    @Column(name = "episode_number")
    public int episodeNumber;
    @Column(name = "episode_title")
    public String episodeTitle;
    public RequestState state;
    @Column(name = "problem_stage")
    public RequestState problemStage;
    @Column(name = "sonarr_episode_id")
    public Long sonarrEpisodeId;
    @Column(name = "episode_tvdb_id")
    public Long episodeTvdbId;
    @Column(name = "download_hash")
    public String downloadHash;
    @Column(name = "download_progress")
    public Double downloadProgress;
    @Column(name = "air_date")
    public LocalDate airDate;
    @Column(name = "final_path")
    public String finalPath;
    @Column(name = "shoko_file_id")
    public String shokoFileId;
    @Column(name = "jellyfin_id")
    public String jellyfinId;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
