package app.statustracker;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a request (or one episode of it) is. Normal states have a rank and progress only moves to a higher rank;
 * problem states remember the stage they happened in and any event for that stage or a later one lifts them.
 */
public enum RequestState {
    REQUESTED(0, "Requested"),
    APPROVED(1, "Approved"),
    SEARCHING(2, "Searching"),
    GRABBING(3, "Grabbed"),
    DOWNLOADING(4, "Downloading"),
    DOWNLOADED(5, "Downloaded"),
    IMPORTING(6, "Importing"),
    ANIME_MATCHING(7, "Matching"),
    AVAILABLE(8, "Ready"),
    FAILED(-1, "Failed"),
    TIMEOUT(-1, "Timeout"),
    MATCH_FAILED(-1, "Needs Link"),
    /** Deleted in Sonarr/Radarr: finished, closed to progress. */
    REMOVED(9, "Removed");

    /** Requests still on their way (shown on the Active page). */
    public static final Set<RequestState> ACTIVE = EnumSet.of(REQUESTED, APPROVED, SEARCHING, GRABBING, DOWNLOADING,
            DOWNLOADED, IMPORTING, ANIME_MATCHING, MATCH_FAILED);

    /** Requests that are done, one way or the other (shown on the History page). */
    public static final Set<RequestState> FINISHED = EnumSet.of(AVAILABLE, FAILED, TIMEOUT, REMOVED);

    /** Closed to new progress: a new request for the same media makes a new row. */
    public static final Set<RequestState> CLOSED = EnumSet.of(AVAILABLE, REMOVED);

    private final int rank;
    private final String label;
    private final String value;

    RequestState(int rank, String label) {
        this.rank = rank;
        this.label = label;
        this.value = name().toLowerCase(Locale.ROOT);
    }

    /** Position in the flow; -1 for problem states. */
    public int rank() {
        return rank;
    }

    /** Dashboard label (the prototype's). */
    public String label() {
        return label;
    }

    public boolean isProblem() {
        return rank < 0;
    }

    /** The lowercase value used in JSON, query parameters and the database. */
    @JsonValue
    public String value() {
        return value;
    }

    public static Optional<RequestState> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (RequestState s : values()) {
            if (s.value.equals(v)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
