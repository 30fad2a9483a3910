package app.statustracker;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the pipeline did with one inbound event; stored in the event log. */
public enum EventOutcome {
    /** It changed or confirmed a request. */
    APPLIED,
    /** The same delivery was seen before; nothing changed, nothing was emitted. */
    DUPLICATE,
    /** It is about an earlier stage than the request has already reached; kept, not applied. */
    STALE,
    /** No request fits it yet; it is re-tried when a fitting request appears. */
    UNMATCHED,
    /** Readable but not something the tracker acts on (test notification, unknown type, no media ids). */
    IGNORED,
    /** Unreadable (not JSON, wrong content type, too large). */
    REJECTED,
    /** Applying it failed unexpectedly; the request was left as it was. */
    ERROR;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EventOutcome fromValue(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
