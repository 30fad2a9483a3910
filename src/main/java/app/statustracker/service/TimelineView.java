package app.statustracker.service;

import java.time.Instant;

import app.statustracker.RequestState;
import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record TimelineView(long id, String service, String eventType, RequestState state, String details,
        Instant timestamp) {
}
