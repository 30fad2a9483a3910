package app.statustracker.client;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * The plumbing the upstream clients share: one Vert.x HTTP client per upstream, GET with an auth header, a request
 * timeout, one retry on connection errors and 5xx, the body parsed into a Jackson tree. Every failure becomes an
 * {@link UpstreamException} whose message holds no secret and no query string.
 */
final class UpstreamHttp {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Pause before the single retry. */
    static final Duration RETRY_DELAY = Duration.ofMillis(500);
    /** Connections kept per upstream; these clients make one call at a time per caller. */
    private static final int POOL_SIZE = 4;
    /** Seconds an idle pooled connection is kept open. */
    private static final int IDLE_KEEP_ALIVE_SECONDS = 15;

    private final String name;
    private final String keyVariable;
    private final Duration timeout;
    private final ObjectMapper mapper;
    private final boolean configured;
    /** Why a configured upstream cannot be called (bad address, unusable key); null when it can. */
    private final String problem;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String basePath;
    private final String headerName;
    /** Secret: only ever put into the request header. */
    private final String headerValue;
    /** Secret: only used to scrub messages. */
    private final String apiKey;
    private final HttpClient http;
    private final Vertx vertx;

    /**
     * @param name        upstream name used in messages ({@code jellyfin}, ...)
     * @param keyVariable environment variable holding the key, for hints ({@code JELLYFIN_API_KEY})
     * @param baseUrl     {@code http://host:port[/urlbase]}; null or blank means not configured
     * @param apiKey      the key; null or blank means not configured
     * @param headerName  auth header name
     * @param headerValue auth header value (contains the key)
     */
    UpstreamHttp(String name, String keyVariable, String baseUrl, String apiKey, String headerName, String headerValue,
            Duration timeout, Vertx vertx, ObjectMapper mapper) {
        this.name = name;
        this.vertx = vertx;
        this.keyVariable = keyVariable;
        this.timeout = timeout;
        this.mapper = mapper;
        this.headerName = headerName;
        this.headerValue = headerValue;
        this.apiKey = apiKey;
        this.configured = apiKey != null && !apiKey.isBlank() && baseUrl != null && !baseUrl.isBlank();
        String host = null;
        int port = 0;
        boolean ssl = false;
        String basePath = "";
        String problem = null;
        if (configured) {
            try {
                URI uri = URI.create(baseUrl.trim());
                ssl = "https".equalsIgnoreCase(uri.getScheme());
                if (!ssl && !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) address");
                }
                host = uri.getHost();
                port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
                String path = uri.getRawPath() == null ? "" : uri.getRawPath();
                basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            } catch (IllegalArgumentException e) {
                problem = name + " has an invalid address; check its host and port";
            }
            if (problem == null && (apiKey.chars().anyMatch(Character::isISOControl)
                    || headerValue.chars().anyMatch(Character::isISOControl))) {
                // Vert.x would refuse the header and quote its value (the key) in the error: never let it get that far.
                problem = name + ": the API key contains a line break or another control character; check "
                        + keyVariable;
            }
        }
        this.host = host;
        this.port = port;
        this.ssl = ssl;
        this.basePath = basePath;
        this.problem = problem;
        this.http = configured && problem == null
                ? vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
                        .setKeepAlive(true).setKeepAliveTimeout(IDLE_KEEP_ALIVE_SECONDS),
                        new PoolOptions().setHttp1MaxSize(POOL_SIZE))
                : null;
    }

    boolean configured() {
        return configured;
    }

    void close() {
        if (http != null) {
            http.closeAndAwait();
        }
    }

    /** A failed Uni when this upstream cannot be called at all; null when it can. */
    <T> Uni<T> unavailable() {
        if (!configured) {
            return Uni.createFrom().failure(new UpstreamException(name, name + " is not configured (set "
                    + keyVariable + ")"));
        }
        if (problem != null) {
            return Uni.createFrom().failure(new UpstreamException(name, problem));
        }
        return null;
    }

    /**
     * GET {@code path?query} and parse the body as JSON. One retry after {@link #RETRY_DELAY} when the first try
     * could not connect, lost its connection or got a 5xx.
     *
     * @param path  absolute path below the base URL, already encoded
     * @param query encoded query string without {@code ?}, or null
     */
    Uni<JsonNode> getJson(String path, String query) {
        return Uni.createFrom().deferred(() -> {
            Uni<JsonNode> unavailable = unavailable();
            if (unavailable != null) {
                return unavailable;
            }
            return attempt(path, query)
                    .onFailure(UpstreamHttp::retryable).recoverWithUni(first -> pause()
                            .chain(() -> attempt(path, query))
                            .onFailure(UpstreamException.class).transform(e -> ((UpstreamException) e).afterRetry()));
        });
    }

    private Uni<Void> pause() {
        // A Vert.x timer: the retry continues on the caller's context, not on a foreign thread.
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(RETRY_DELAY.toMillis(), id -> emitter.complete(null)));
    }

    private Uni<JsonNode> attempt(String path, String query) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                .setSsl(ssl).setURI(basePath + path + (query == null || query.isEmpty() ? "" : "?" + query))
                .setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis())
                .putHeader("Accept", "application/json").putHeader(headerName, headerValue);
        return http.request(options)
                .chain(request -> request.send())
                .chain(response -> response.body().map(body -> {
                    int status = response.statusCode();
                    if (status < 200 || status > 299) {
                        throw new UpstreamException(name, path, status, describeCall(path) + ": HTTP " + status
                                + (status == 401 || status == 403 ? " (the API key was refused; check " + keyVariable
                                        + ")" : ""), null, status >= 500);
                    }
                    try {
                        return mapper.readTree(body.getBytes());
                    } catch (java.io.IOException | RuntimeException e) {
                        throw new UpstreamException(name, path, status, describeCall(path)
                                + ": the answer is not JSON (" + e.getClass().getSimpleName() + ")", null, false);
                    }
                }))
                .onFailure(f -> !(f instanceof UpstreamException)).transform(f -> transportFailure(path, f));
    }

    private UpstreamException transportFailure(String path, Throwable f) {
        boolean timedOut = f instanceof TimeoutException && !(f instanceof ConnectException);
        String what;
        if (timedOut) {
            what = "no answer within " + timeout.toSeconds() + " s";
        } else if (f instanceof UnknownHostException) {
            what = "unknown host " + host;
        } else if (f instanceof ConnectException) {
            what = "connection refused or unreachable (" + f.getClass().getSimpleName() + ")";
        } else {
            what = f.getClass().getSimpleName();
        }
        return new UpstreamException(name, path, null, scrub(describeCall(path) + ": " + what), f, !timedOut);
    }

    private String describeCall(String path) {
        return name + " GET " + basePath + path + " at " + host + ":" + port;
    }

    private String scrub(String message) {
        return apiKey == null || apiKey.isBlank() ? message : message.replace(apiKey, "***");
    }

    private static boolean retryable(Throwable f) {
        return f instanceof UpstreamException u && u.retryable();
    }

    /** Percent-encodes a query value or a path segment (spaces as %20). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // --- tolerant readers over Jackson trees: absent, null or mistyped → null ---

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        return value.asText();
    }

    static Integer integer(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value.isTextual()) {
            try {
                return Integer.valueOf(value.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static Long longValue(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isTextual()) {
            try {
                return Long.valueOf(value.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static boolean bool(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && (value.isBoolean() ? value.booleanValue()
                : value.isTextual() && "true".equalsIgnoreCase(value.asText()));
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
