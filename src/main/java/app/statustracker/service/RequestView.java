package app.statustracker.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import app.statustracker.MediaType;
import app.statustracker.RequestState;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A request as the API and the SSE stream show it (snake_case JSON). */
@RegisterForReflection
public record RequestView(
        long id,
        String title,
        MediaType mediaType,
        RequestState state,
        String stateLabel,
        RequestState problemStage,
        @JsonProperty("is_4k") boolean is4k,
        Long jellyseerrId,
        Long tmdbId,
        Long tvdbId,
        String imdbId,
        Long sonarrId,
        Long radarrId,
        Boolean isAnime,
        Double downloadProgress,
        String downloadSpeed,
        String downloadEta,
        String quality,
        String indexer,
        String releaseGroup,
        Long fileSize,
        String requestedBy,
        String posterUrl,
        Integer year,
        String overview,
        Integer season,
        List<Integer> requestedSeasons,
        Integer totalEpisodes,
        Map<String, Integer> episodeCounts,
        List<EpisodeView> episodes,
        String jellyfinId,
        String nextStep,
        String stuckReason,
        Instant createdAt,
        Instant updatedAt,
        Instant stateChangedAt,
        Instant availableAt) {
}
