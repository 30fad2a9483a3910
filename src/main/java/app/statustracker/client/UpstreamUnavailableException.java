package app.statustracker.client;

import java.time.Instant;

/**
 * A call refused without touching the network: the upstream's circuit breaker is open. The message says since when
 * and why ("sonarr unavailable since T: ...; next try in N s"); {@link #problem()} is the reason alone, which stays
 * the same from one refused call to the next.
 */
public class UpstreamUnavailableException extends UpstreamException {

    private static final long serialVersionUID = 1L;

    private final Instant since;
    private final String lastError;

    UpstreamUnavailableException(String upstream, Instant since, String lastError, String message) {
        super(upstream, null, null, message, null, false, false);
        this.since = since;
        this.lastError = lastError;
    }

    /** When the upstream became unavailable. */
    public Instant since() {
        return since;
    }

    /** The failure that made (or kept) it unavailable, masked. */
    public String lastError() {
        return lastError;
    }

    /** The last error alone: the same text as the failure that opened the breaker, so repeated lines dedupe. */
    @Override
    public String problem() {
        return lastError;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // Refused calls can be frequent and their origin is known: a stack trace would only cost.
        return this;
    }
}
