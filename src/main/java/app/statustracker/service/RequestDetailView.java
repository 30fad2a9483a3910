package app.statustracker.service;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A request with its episodes, timeline (oldest first) and the raw inbound events that touched it. */
@RegisterForReflection
public record RequestDetailView(@JsonUnwrapped RequestView request, List<TimelineView> timelineEvents,
        List<InboundEventView> events) {
}
