package app.statustracker.ingest;

import app.statustracker.RequestState;

/**
 * What an event proves about its request.
 *
 * @param kind       progress to a state, a problem, a removal, or only a note in the timeline
 * @param state      the state proved (progress or problem); null for a note or a removal
 * @param mayCreate  when no request fits: create one (true) or keep the event as unmatched (false)
 * @param via        for progress: a state the upstream passed through on the way, recorded in the timeline first
 *                   (an anime import is {@code importing}, then {@code anime_matching}); may be null
 * @param reach      which requests it may be about
 */
public record Target(Kind kind, RequestState state, boolean mayCreate, RequestState via, Reach reach) {

    public enum Kind {
        PROGRESS, PROBLEM, NOTE, REMOVE,
        /** An admin's retry: a problem state goes back to {@link Target#state()}; nothing else changes. */
        RETRY
    }

    /** Which requests an event can find. */
    public enum Reach {
        /** Requests still on their way (not available, not removed). */
        OPEN,
        /**
         * Open requests first, else the latest available one, where the event becomes a timeline note (an upgrade
         * grab or import after the request is done).
         */
        OPEN_OR_AVAILABLE,
        /** Any request, also available and removed ones (deletes). */
        ANY
    }

    public static Target progress(RequestState state, boolean mayCreate) {
        return new Target(Kind.PROGRESS, state, mayCreate, null, Reach.OPEN);
    }

    public static Target problem(RequestState state) {
        return new Target(Kind.PROBLEM, state, false, null, Reach.OPEN);
    }

    public static Target note() {
        return new Target(Kind.NOTE, null, false, null, Reach.OPEN);
    }

    public static Target remove() {
        return new Target(Kind.REMOVE, null, false, null, Reach.ANY);
    }

    /** An admin's retry of a failed, timed-out or unmatched request: back to {@code state}. */
    public static Target retry(RequestState state) {
        return new Target(Kind.RETRY, state, false, null, Reach.ANY);
    }

    public Target via(RequestState passedThrough) {
        return new Target(kind, state, mayCreate, passedThrough, reach);
    }

    public Target reach(Reach newReach) {
        return new Target(kind, state, mayCreate, via, newReach);
    }

    public Target creating(boolean create) {
        return new Target(kind, state, create, via, reach);
    }
}
