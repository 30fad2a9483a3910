package app.statustracker.service;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A request with its episodes, timeline (oldest first) and, for admins only, the raw inbound events that touched it
 * (absent from the JSON for everyone else).
 */
@RegisterForReflection
public record RequestDetailView(@JsonUnwrapped RequestView request, List<TimelineView> timelineEvents,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        List<InboundEventView> events) {
}
