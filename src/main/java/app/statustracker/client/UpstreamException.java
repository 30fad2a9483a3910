package app.statustracker.client;

/**
 * A call to an upstream (Jellyfin, Sonarr, Jellyseerr, ...) failed, or the upstream is not configured. The message
 * names the upstream, the method and path (never a query string) and the HTTP status or the kind of error; it never
 * contains an API key.
 */
public class UpstreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String upstream;
    private final String path;
    private final Integer status;
    private final transient boolean retryable;
    private final transient boolean unavailable;

    /** A failure that is not about one call, e.g. "sonarr is not configured". */
    public UpstreamException(String upstream, String message) {
        this(upstream, null, null, message, null, false, false);
    }

    /** A failed call; no answer or a 5xx means the upstream is unavailable, any other status is an answer. */
    UpstreamException(String upstream, String path, Integer status, String message, Throwable cause,
            boolean retryable) {
        this(upstream, path, status, message, cause, retryable, status == null || status >= 500);
    }

    /**
     * @param unavailable whether this failure says the upstream cannot be used (no answer, a 5xx, an answer that is
     *                    not what its API answers) rather than that it refused this one call (401, 404)
     */
    UpstreamException(String upstream, String path, Integer status, String message, Throwable cause,
            boolean retryable, boolean unavailable) {
        super(message, cause);
        this.upstream = upstream;
        this.path = path;
        this.status = status;
        this.retryable = retryable;
        this.unavailable = unavailable;
    }

    /** Which upstream: {@code jellyfin}, {@code sonarr}, {@code jellyseerr}. */
    public String upstream() {
        return upstream;
    }

    /** The path that was asked for, without query string; null when no call was made. */
    public String path() {
        return path;
    }

    /** The HTTP status the upstream answered with; null when there was no answer (or no call). */
    public Integer status() {
        return status;
    }

    /** Whether the upstream answered 404. */
    public boolean notFound() {
        return status != null && status == 404;
    }

    /**
     * What went wrong, for a card or a log line that should not change while nothing changes: the message here;
     * for a call refused by the circuit breaker, the error that made the upstream unavailable.
     */
    public String problem() {
        return getMessage();
    }

    /** A connection error or a 5xx: worth one more try. */
    boolean retryable() {
        return retryable;
    }

    /** Counts towards the circuit breaker: the upstream did not answer usefully. */
    boolean unavailable() {
        return unavailable;
    }

    /** The same failure, noting that it happened again on the retry. */
    UpstreamException afterRetry() {
        return new UpstreamException(upstream, path, status, getMessage() + " (also on the retry)", getCause(), false,
                unavailable);
    }
}
