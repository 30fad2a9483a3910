package app.statustracker.service;

import java.time.Instant;

import app.statustracker.EventOutcome;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A stored inbound event as admins see it; the payload has its secrets masked. */
@RegisterForReflection
public record InboundEventView(long id, String source, String eventType, Instant receivedAt, EventOutcome outcome,
        String outcomeReason, Long requestId, String contentType, String payload) {
}
