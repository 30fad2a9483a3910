package app.statustracker.repository;

import java.util.List;

import app.statustracker.TimelineEvent;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class TimelineRepository implements PanacheRepository<TimelineEvent> {

    public Uni<List<TimelineEvent>> forRequest(long requestId) {
        return list("requestId", Sort.ascending("occurredAt", "id"), requestId);
    }
}
