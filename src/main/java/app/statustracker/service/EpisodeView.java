package app.statustracker.service;

import java.time.LocalDate;

import app.statustracker.RequestState;
import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record EpisodeView(long id, int seasonNumber, int episodeNumber, String episodeTitle, RequestState state,
        Double downloadProgress, LocalDate airDate, String finalPath, String jellyfinId) {
}
