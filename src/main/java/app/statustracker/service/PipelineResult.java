package app.statustracker.service;

import app.statustracker.EventOutcome;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** What happened to one submission: its outcome, the request it touched (if any) and why. */
@RegisterForReflection
public record PipelineResult(EventOutcome outcome, Long requestId, String reason, long inboundEventId) {
}
