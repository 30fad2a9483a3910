package app.statustracker.repository;

import java.util.List;

import app.statustracker.Episode;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class EpisodeRepository implements PanacheRepository<Episode> {

    private static final Sort BY_NUMBER = Sort.ascending("seasonNumber", "episodeNumber");

    public Uni<List<Episode>> forRequest(long requestId) {
        return list("requestId", BY_NUMBER, requestId);
    }

    public Uni<List<Episode>> forRequests(List<Long> requestIds) {
        if (requestIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("requestId in ?1", BY_NUMBER, requestIds);
    }
}
