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

    /** A failure that is not about one call, e.g. "sonarr is not configured". */
    public UpstreamException(String upstream, String message) {
        this(upstream, null, null, message, null, false);
    }

    UpstreamException(String upstream, String path, Integer status, String message, Throwable cause,
            boolean retryable) {
        super(message, cause);
        this.upstream = upstream;
        this.path = path;
        this.status = status;
        this.retryable = retryable;
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

    /** A connection error or a 5xx: worth one more try. */
    boolean retryable() {
        return retryable;
    }

    /** The same failure, noting that it happened again on the retry. */
    UpstreamException afterRetry() {
        return new UpstreamException(upstream, path, status, getMessage() + " (also on the retry)", getCause(), false);
    }
}
