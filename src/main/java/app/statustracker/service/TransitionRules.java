package app.statustracker.service;

import app.statustracker.RequestState;
import app.statustracker.ingest.Target;

/**
 * Forward-only progress with recoverable problems (PRODUCT.md §1.1–1.2). Pure: decides, never writes.
 */
public final class TransitionRules {

    private TransitionRules() {
    }

    public enum Verdict {
        /** Move to {@link Decision#state()}. */
        MOVE,
        /** Nothing to change: the request is already there. */
        SAME,
        /** Evidence of an earlier stage (or of progress on a closed request): keep the event, change nothing. */
        STALE,
        /** A note for the timeline; the state stays. */
        NOTE
    }

    /**
     * @param verdict      what to do
     * @param state        the state after the event
     * @param problemStage for a problem state, the stage it happened in; null otherwise
     * @param reason       why, in words (for the event log)
     */
    public record Decision(Verdict verdict, RequestState state, RequestState problemStage, String reason) {
    }

    public static Decision decide(RequestState current, RequestState problemStage, Target target) {
        RequestState stage = current.isProblem() ? (problemStage == null ? RequestState.REQUESTED : problemStage) : current;
        if (target.kind() == Target.Kind.REMOVE) {
            return current == RequestState.REMOVED
                    ? new Decision(Verdict.SAME, current, problemStage, "already removed")
                    : new Decision(Verdict.MOVE, RequestState.REMOVED, stage, current.value() + " -> removed");
        }
        if (target.kind() == Target.Kind.NOTE) {
            return new Decision(Verdict.NOTE, current, problemStage, "noted");
        }
        if (target.kind() == Target.Kind.RETRY) {
            // Only problems are retried: a request on its way or done is left alone (a double click, a stale page).
            return current.isProblem()
                    ? new Decision(Verdict.MOVE, target.state(), null, current.value() + " -> " + target.state().value()
                            + " (retried)")
                    : new Decision(Verdict.STALE, current, problemStage, "only failed, timed-out or unmatched"
                            + " requests are retried; this one is " + current.value());
        }
        if (current == RequestState.REMOVED) {
            return new Decision(Verdict.STALE, current, problemStage, "request was removed");
        }
        if (current == RequestState.AVAILABLE) {
            if (target.reach() != Target.Reach.OPEN && target.kind() == Target.Kind.PROGRESS) {
                // An upgrade grabbed or imported after the request was done: worth a line, never a regression.
                return new Decision(Verdict.NOTE, current, null, "request is available; noted in its timeline");
            }
            return new Decision(Verdict.STALE, current, null, "request is already available");
        }
        RequestState wanted = target.state();
        if (target.kind() == Target.Kind.PROBLEM) {
            if (wanted == current) {
                return new Decision(Verdict.SAME, current, problemStage, "already " + current.value());
            }
            return new Decision(Verdict.MOVE, wanted, stage, current.value() + " -> " + wanted.value());
        }
        if (current.isProblem()) {
            // Proof of the same stage again or of a later one lifts a problem.
            if (wanted.rank() >= stage.rank()) {
                return new Decision(Verdict.MOVE, wanted, null, current.value() + " -> " + wanted.value() + " (recovered)");
            }
            return new Decision(Verdict.STALE, current, problemStage,
                    wanted.value() + " is before " + stage.value() + ", where the " + current.value() + " happened");
        }
        if (wanted.rank() > current.rank()) {
            return new Decision(Verdict.MOVE, wanted, null, current.value() + " -> " + wanted.value());
        }
        if (wanted == current) {
            return new Decision(Verdict.SAME, current, null, "already " + current.value());
        }
        return new Decision(Verdict.STALE, current, null, "request is already " + current.value());
    }
}
