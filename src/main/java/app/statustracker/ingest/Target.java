package app.statustracker.ingest;

import app.statustracker.RequestState;

/**
 * What an event proves about its request.
 *
 * @param kind       progress to a state, a problem, or only a note in the timeline
 * @param state      the state proved (progress or problem); null for a note
 * @param mayCreate  when no request fits: create one (true) or keep the event as unmatched (false)
 */
public record Target(Kind kind, RequestState state, boolean mayCreate) {

    public enum Kind {
        PROGRESS, PROBLEM, NOTE
    }

    public static Target progress(RequestState state, boolean mayCreate) {
        return new Target(Kind.PROGRESS, state, mayCreate);
    }

    public static Target problem(RequestState state) {
        return new Target(Kind.PROBLEM, state, false);
    }

    public static Target note() {
        return new Target(Kind.NOTE, null, false);
    }
}
