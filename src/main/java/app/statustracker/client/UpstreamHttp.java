package app.statustracker.client;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

/**
 * The plumbing the upstream clients share: one Quarkus REST client per upstream (typed interface {@code A}, built
 * from the configured base URL), GET with an auth header, connect and read timeouts, one retry on connection errors
 * and 5xx (POST: only when it could not connect), the body parsed into a Jackson tree, all of it behind the upstream's {@link CircuitBreaker} (a retried
 * call counts once). Every failure becomes an {@link UpstreamException} whose message holds no secret and no query
 * string.
 *
 * @param <A> the REST client interface ({@link JellyfinApi}, {@link SonarrApi}, {@link JellyseerrApi})
 */
final class UpstreamHttp<A> {

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
    private final String basePath;
    /** Where the REST client points: {@code scheme://host:port[/urlbase]}. */
    private final URI baseUri;
    /** Secret: only ever put into the request header. */
    private final String headerValue;
    /** Secret: only used to scrub messages. */
    private final String apiKey;
    private final Class<A> apiType;
    private final Vertx vertx;
    /** Built on first use, so that an upstream that is never called never needs a client. */
    private volatile A api;
    /** Found on first use: the application's shared breaker may not exist yet when a client is built. */
    private volatile CircuitBreaker breaker;

    /**
     * @param name        upstream name used in messages ({@code jellyfin}, ...)
     * @param keyVariable environment variable holding the key, for hints ({@code JELLYFIN_API_KEY})
     * @param baseUrl     {@code http://host:port[/urlbase]}; null or blank means not configured
     * @param apiKey      the key; null or blank means not configured
     * @param headerValue auth header value (contains the key); the header name is fixed by the interface
     * @param apiType     the REST client interface
     */
    UpstreamHttp(String name, String keyVariable, String baseUrl, String apiKey, String headerValue,
            Duration timeout, Class<A> apiType, Vertx vertx, ObjectMapper mapper) {
        this.name = name;
        this.vertx = vertx;
        this.keyVariable = keyVariable;
        this.timeout = timeout;
        this.mapper = mapper;
        this.headerValue = headerValue;
        this.apiKey = apiKey;
        this.apiType = apiType;
        this.configured = apiKey != null && !apiKey.isBlank() && baseUrl != null && !baseUrl.isBlank();
        String host = null;
        int port = 0;
        String basePath = "";
        URI baseUri = null;
        String problem = null;
        if (configured) {
            try {
                URI uri = URI.create(baseUrl.trim());
                boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
                if (!ssl && !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) address");
                }
                host = uri.getHost();
                port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
                String path = uri.getRawPath() == null ? "" : uri.getRawPath();
                basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
                String authority = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
                baseUri = URI.create((ssl ? "https" : "http") + "://" + authority + ":" + port + basePath);
            } catch (IllegalArgumentException e) {
                problem = name + " has an invalid address; check its host and port";
            }
            if (problem == null && (apiKey.chars().anyMatch(Character::isISOControl)
                    || headerValue.chars().anyMatch(Character::isISOControl))) {
                // The HTTP layer would refuse the header and quote its value (the key) in the error: never let it
                // get that far.
                problem = name + ": the API key contains a line break or another control character; check "
                        + keyVariable;
            }
        }
        this.host = host;
        this.port = port;
        this.basePath = basePath;
        this.baseUri = baseUri;
        this.problem = problem;
    }

    boolean configured() {
        return configured;
    }

    void close() {
        A built = api;
        api = null;
        if (built instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // shutting down: nothing left to tell
            }
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
     * Whether a call would be made now: configured, usable, and not refused by the circuit breaker. Scheduled checks
     * ask this to skip a cycle without building a request.
     */
    boolean available() {
        return configured && problem == null && breaker().available();
    }

    /** This upstream's breaker: the application's when this client points at the configured upstream. */
    CircuitBreaker breaker() {
        CircuitBreaker found = breaker;
        if (found == null) {
            found = UpstreamBreakers.forClient(name, host, port);
            breaker = found;
        }
        return found;
    }

    /**
     * One GET through the REST client, the body parsed as JSON, unless the circuit breaker refuses it at once. One
     * retry after {@link #RETRY_DELAY} when the first try could not connect, lost its connection or got a 5xx.
     *
     * @param path the path below the base URL, for messages only (no query string)
     * @param call the call: the REST client and the auth header value
     */
    Uni<JsonNode> getJson(String path, BiFunction<A, String, Uni<RestResponse<String>>> call) {
        return Uni.createFrom().deferred(() -> {
            Uni<JsonNode> unavailable = unavailable();
            if (unavailable != null) {
                return unavailable;
            }
            return breaker().guard(() -> attempt("GET", path, call)
                    .onFailure(UpstreamHttp::retryable).recoverWithUni(first -> pause()
                            .chain(() -> attempt("GET", path, call))
                            .onFailure(UpstreamException.class).transform(e -> ((UpstreamException) e).afterRetry())));
        });
    }

    /**
     * One POST through the REST client (the body is part of the call), the answer parsed as JSON (an empty answer
     * gives a missing node), unless the circuit breaker refuses it at once. Statuses are judged as for
     * {@link #getJson}, behind the same breaker, but a POST is not idempotent: it is tried again (once, after
     * {@link #RETRY_DELAY}) only when the first try could not connect at all, so that nothing was sent; never after a
     * 5xx, a timeout or a lost connection.
     *
     * @param path the path below the base URL, for messages only (no query string)
     * @param call the call: the REST client and the auth header value
     */
    Uni<JsonNode> postJson(String path, BiFunction<A, String, Uni<RestResponse<String>>> call) {
        return send("POST", path, call);
    }

    /**
     * A request that changes something upstream ({@code method} names it in messages: POST, DELETE, or a GET that
     * acts), with {@link #postJson}'s rules: behind the breaker, tried again only when nothing was sent.
     */
    Uni<JsonNode> send(String method, String path, BiFunction<A, String, Uni<RestResponse<String>>> call) {
        return Uni.createFrom().deferred(() -> {
            Uni<JsonNode> unavailable = unavailable();
            if (unavailable != null) {
                return unavailable;
            }
            return breaker().guard(() -> attempt(method, path, call)
                    .onFailure(UpstreamHttp::refusedBeforeSending).recoverWithUni(first -> pause()
                            .chain(() -> attempt(method, path, call))
                            .onFailure(UpstreamException.class).transform(e -> ((UpstreamException) e).afterRetry())));
        });
    }

    /** A DELETE, sent once: true when the upstream deleted it, false when it no longer had it (404). */
    Uni<Boolean> delete(String path, BiFunction<A, String, Uni<RestResponse<String>>> call) {
        return send("DELETE", path, call).map(ignored -> true)
                .onFailure(f -> f instanceof UpstreamException u && u.notFound()).recoverWithItem(false);
    }

    /** No connection was made (refused, unreachable, connect timeout): the request never left. */
    private static boolean refusedBeforeSending(Throwable failure) {
        if (!(failure instanceof UpstreamException u) || u.status() != null) {
            return false;
        }
        for (Throwable f = u.getCause(); f != null; f = f.getCause() == f ? null : f.getCause()) {
            if (f instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private Uni<Void> pause() {
        // A Vert.x timer: the retry continues on the caller's context, not on a foreign thread.
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(RETRY_DELAY.toMillis(), id -> emitter.complete(null)));
    }

    private A api() {
        A built = api;
        if (built == null) {
            synchronized (this) {
                built = api;
                if (built == null) {
                    built = QuarkusRestClientBuilder.newBuilder()
                            .baseUri(baseUri)
                            .connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .followRedirects(false)
                            // Statuses are judged in attempt(), not turned into exceptions by the client.
                            .disableDefaultMapper(true)
                            .httpClientOptionsCustomizer(options -> options.setKeepAlive(true)
                                    .setKeepAliveTimeout(IDLE_KEEP_ALIVE_SECONDS).setMaxPoolSize(POOL_SIZE))
                            .build(apiType);
                    api = built;
                }
            }
        }
        return built;
    }

    private Uni<JsonNode> attempt(String method, String path,
            BiFunction<A, String, Uni<RestResponse<String>>> call) {
        return Uni.createFrom().deferred(() -> call.apply(api(), headerValue))
                .map(response -> {
                    int status = response.getStatus();
                    if (status < 200 || status > 299) {
                        throw statusFailure(method, path, status);
                    }
                    String body = response.getEntity();
                    try {
                        return mapper.readTree(body == null ? "" : body);
                    } catch (java.io.IOException | RuntimeException e) {
                        throw new UpstreamException(name, path, status, describeCall(method, path)
                                + ": the answer is not JSON (" + e.getClass().getSimpleName() + ")", null, false, true);
                    }
                })
                .onFailure(f -> !(f instanceof UpstreamException)).transform(f -> transportFailure(method, path, f));
    }

    private UpstreamException statusFailure(String method, String path, int status) {
        return new UpstreamException(name, path, status, describeCall(method, path) + ": HTTP " + status
                + (status == 401 || status == 403 ? " (the API key was refused; check " + keyVariable + ")" : ""),
                null, status >= 500);
    }

    private UpstreamException transportFailure(String method, String path, Throwable failure) {
        if (failure instanceof WebApplicationException w && w.getResponse() != null) {
            // Only if a mapper turned a status into an exception after all: judged like any other status.
            return statusFailure(method, path, w.getResponse().getStatus());
        }
        // The REST client wraps what the connection threw (ProcessingException, CompletionException, ...).
        Throwable f = failure;
        while ((f instanceof ProcessingException || f instanceof java.util.concurrent.CompletionException)
                && f.getCause() != null && f.getCause() != f) {
            f = f.getCause();
        }
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
        return new UpstreamException(name, path, null, scrub(describeCall(method, path) + ": " + what), failure,
                !timedOut);
    }

    private String describeCall(String method, String path) {
        return name + " " + method + " " + basePath + path + " at " + host + ":" + port;
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
