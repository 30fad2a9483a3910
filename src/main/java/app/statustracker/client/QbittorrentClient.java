package app.statustracker.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.config.TrackerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * qBittorrent's Web API v2 (protocols.md §4): cookie login, the torrents it holds, and removing torrents (deletion
 * sync). Login success is HTTP 200
 * with {@code Ok.} (4.x–5.1) or 204 (5.2+); whatever cookie the answer sets is kept (the name is {@code SID} or
 * {@code QBT_SID_<port>}) and sent back. A call answered 403 means the session is gone (expired, qBittorrent
 * restarted): log in again and retry once. The cookie and the password are secrets: they are only ever put into
 * requests, never into a message. Every call (login, relogin and retry included) goes through qBittorrent's
 * {@link CircuitBreaker}.
 */
@ApplicationScoped
public class QbittorrentClient {

    static final String NAME = "qbittorrent";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * One torrent as {@code torrents/info} reports it (the fields the tracker reads).
     *
     * @param lastActivity unix seconds of the last data transfer (0 when never)
     * @param addedOn      unix seconds it was added
     */
    public record Torrent(String hash, String name, String state, double progress, long size, long amountLeft,
            long downloadSpeed, long etaSeconds, int seeds, long lastActivity, long addedOn, String contentPath) {

        /** qBittorrent's "unknown" ETA (also for finished torrents). */
        public static final long ETA_UNKNOWN = 8_640_000L;

        /** Finished by the numbers, not by {@code completion_on} (protocols.md §4.4). */
        public boolean finished() {
            return progress >= 1.0 || (size > 0 && amountLeft == 0);
        }
    }

    private final TrackerConfig.QbittorrentConfig config;
    private final ObjectMapper json;
    private final HttpClient http;
    private final CircuitBreaker breaker;
    /** The session cookie(s) of the last login, as a Cookie header value. Secret. */
    private final java.util.concurrent.atomic.AtomicReference<String> cookie =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** The login on its way, shared by every call that needs one meanwhile; null when none is. */
    private final java.util.concurrent.atomic.AtomicReference<Uni<Void>> loggingIn =
            new java.util.concurrent.atomic.AtomicReference<>();

    @jakarta.inject.Inject
    public QbittorrentClient(TrackerConfig config, ObjectMapper json, Vertx vertx, UpstreamBreakers breakers) {
        this(config.qbittorrent(), json, vertx, breakers.breaker(NAME));
    }

    /** Outside the application (tests): a breaker of its own, with the default settings. */
    QbittorrentClient(TrackerConfig.QbittorrentConfig config, ObjectMapper json, Vertx vertx) {
        this(config, json, vertx, CircuitBreaker.withDefaults(NAME));
    }

    QbittorrentClient(TrackerConfig.QbittorrentConfig config, ObjectMapper json, Vertx vertx, CircuitBreaker breaker) {
        this.config = config;
        this.json = json;
        this.breaker = breaker;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Duration.ofSeconds(5).toMillis()).setMaxPoolSize(2)
                .setKeepAliveTimeout(15));
    }

    void stop(@Observes ShutdownEvent event) {
        http.closeAndAwait();
    }

    public boolean configured() {
        return config.configured();
    }

    /** Whether a call would be made now: configured and not refused by the circuit breaker. */
    public boolean available() {
        return configured() && breaker.available();
    }

    /** The torrents with these hashes (any case; sent lower-case) that qBittorrent holds, in one call. */
    public Uni<List<Torrent>> torrents(Collection<String> hashes) {
        if (hashes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String joined = hashes.stream().map(h -> h.toLowerCase(Locale.ROOT)).distinct().sorted()
                .collect(Collectors.joining("|"));
        return get("/api/v2/torrents/info", "hashes=" + URLEncoder.encode(joined, StandardCharsets.UTF_8),
                this::parseTorrents);
    }

    /** One file of a torrent ({@code torrents/files}): its path inside the torrent, size and progress. */
    public record TorrentFile(String name, long size, double progress) {
    }

    /** The files of one torrent, with their own progress (season packs: one file per episode). */
    public Uni<List<TorrentFile>> files(String hash) {
        return get("/api/v2/torrents/files", "hash=" + URLEncoder.encode(hash.toLowerCase(Locale.ROOT),
                StandardCharsets.UTF_8), body -> {
                    try {
                        JsonNode root = json.readTree(body.toString());
                        List<TorrentFile> out = new ArrayList<>();
                        if (root != null && root.isArray()) {
                            for (JsonNode f : root) {
                                out.add(new TorrentFile(f.path("name").asText(""), f.path("size").asLong(0),
                                        f.path("progress").asDouble(0)));
                            }
                        }
                        return out;
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new UpstreamException(NAME, "/api/v2/torrents/files", 200, NAME
                                + " torrents/files answered something that is not JSON", null, false, true);
                    }
                });
    }

    /**
     * {@code GET /api/v2/app/preferences}: the application's settings (the setup doctor reads the "run external
     * program" fields). The answer holds no password of ours: qBittorrent never returns its WebUI password.
     */
    public Uni<JsonNode> preferences() {
        return get("/api/v2/app/preferences", null, body -> {
            try {
                JsonNode root = json.readTree(body.toString());
                if (root == null || !root.isObject()) {
                    throw new UpstreamException(NAME, "/api/v2/app/preferences", 200, NAME
                            + " app/preferences answered something that is not a JSON object", null, false, true);
                }
                return root;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UpstreamException(NAME, "/api/v2/app/preferences", 200, NAME
                        + " app/preferences answered something that is not JSON", null, false, true);
            }
        });
    }

    /**
     * {@code GET /api/v2/torrents/categories}: every category by name, {@code {"tv-sonarr": {"name": "tv-sonarr",
     * "savePath": "/downloads/tv"}}}; an empty {@code savePath} means the default save path plus the category's name
     * (with automatic torrent management).
     */
    public Uni<JsonNode> categories() {
        return get("/api/v2/torrents/categories", null, body -> {
            try {
                JsonNode root = json.readTree(body.toString());
                if (root == null || !root.isObject()) {
                    throw new UpstreamException(NAME, "/api/v2/torrents/categories", 200, NAME
                            + " torrents/categories answered something that is not a JSON object", null, false, true);
                }
                return root;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UpstreamException(NAME, "/api/v2/torrents/categories", 200, NAME
                        + " torrents/categories answered something that is not JSON", null, false, true);
            }
        });
    }

    /** The application version, e.g. {@code v4.5.2}. */
    public Uni<String> version() {
        return get("/api/v2/app/version", null, Buffer::toString);
    }

    /**
     * {@code POST /api/v2/torrents/delete} with {@code hashes=h1|h2} (any case; sent lower-case): removes the
     * torrents, and with {@code deleteFiles} their downloaded data too. qBittorrent answers 200 whether it held them
     * or not. Sent once; only a 403 (no session: refused, so not done) is sent again after a new login.
     */
    public Uni<Void> deleteTorrents(Collection<String> hashes, boolean deleteFiles) {
        if (hashes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String joined = hashes.stream().map(h -> h.toLowerCase(Locale.ROOT)).distinct().sorted()
                .collect(Collectors.joining("|"));
        String form = "hashes=" + URLEncoder.encode(joined, StandardCharsets.UTF_8) + "&deleteFiles=" + deleteFiles;
        return call(HttpMethod.POST, "/api/v2/torrents/delete", null, form, body -> (Void) null);
    }

    /** One GET behind the breaker; reading the answer is part of it (an answer that is not JSON counts). */
    private <T> Uni<T> get(String path, String query, java.util.function.Function<Buffer, T> read) {
        return call(HttpMethod.GET, path, query, null, read);
    }

    private <T> Uni<T> call(HttpMethod method, String path, String query, String form,
            java.util.function.Function<Buffer, T> read) {
        if (!configured()) {
            return Uni.createFrom().failure(new UpstreamException(NAME, "qbittorrent is not configured (QBIT_HOST)"));
        }
        return breaker.guard(() -> exchange(method, path, query, form).map(read));
    }

    private Uni<Buffer> exchange(HttpMethod method, String path, String query, String form) {
        Uni<Buffer> login = cookie.get() == null ? login().replaceWith(Buffer.buffer())
                : Uni.createFrom().item(Buffer.buffer());
        return login.chain(() -> send(method, path, query, form)).chain(answer -> {
            if (answer.status() == 403) {
                // The session ended (idle timeout, restart): one new login, one retry. A 403 was refused, not done,
                // so a write may be sent again too. When another call has already logged in again since this one
                // was sent, its session is used as it is: no second login, and the new session is not thrown away.
                if (answer.session() != null && !cookie.compareAndSet(answer.session(), null)
                        && cookie.get() != null) {
                    return send(method, path, query, form).map(again -> again.expectOk(method, path));
                }
                return login().chain(() -> send(method, path, query, form)).map(again -> again.expectOk(method, path));
            }
            return Uni.createFrom().item(answer.expectOk(method, path));
        });
    }

    /** @param session the session cookie the request was sent with; null when none */
    private record Answer(int status, Buffer body, String session) {
        Buffer expectOk(HttpMethod method, String path) {
            if (status / 100 != 2) {
                throw new UpstreamException(NAME, path, status, NAME + " " + method.name() + " " + path
                        + " answered HTTP " + status + (status == 403 ? " again after a new login" : ""), null,
                        status >= 500);
            }
            return body;
        }
    }

    private Uni<Answer> send(HttpMethod method, String path, String query, String form) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(host()).setPort(config.port())
                .setURI(query == null ? path : path + "?" + query).setTimeout(TIMEOUT.toMillis());
        String session = cookie.get();
        if (session != null) {
            options.putHeader("Cookie", session);
        }
        if (form != null) {
            options.putHeader("Content-Type", "application/x-www-form-urlencoded");
        }
        return http.request(options).chain(req -> form == null ? req.send() : req.send(Buffer.buffer(form)))
                .chain(resp -> resp.body().map(body -> new Answer(resp.statusCode(), body, session)))
                .onFailure(f -> !(f instanceof UpstreamException))
                .transform(f -> new UpstreamException(NAME, path, null, NAME + " " + method.name() + " " + path
                        + " failed: " + f.getClass().getSimpleName(), null, form == null));
    }

    /**
     * One login at a time: calls that find no session while a login is on its way wait for that one. Without this,
     * a burst of calls (the setup doctor asks for several things at once) with a wrong password would count as
     * several failures, and qBittorrent bans an address after five.
     */
    private Uni<Void> login() {
        return Uni.createFrom().deferred(() -> {
            Uni<Void> running = loggingIn.get();
            if (running != null) {
                return running;
            }
            Uni<Void> fresh = loginOnce().onTermination().invoke(() -> loggingIn.set(null)).memoize().indefinitely();
            return loggingIn.compareAndSet(null, fresh) ? fresh : login();
        });
    }

    private Uni<Void> loginOnce() {
        String form = "username=" + URLEncoder.encode(config.username(), StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(config.password().orElse(""), StandardCharsets.UTF_8);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host()).setPort(config.port())
                .setURI("/api/v2/auth/login").setTimeout(TIMEOUT.toMillis())
                .putHeader("Content-Type", "application/x-www-form-urlencoded");
        String path = "/api/v2/auth/login";
        return http.request(options).chain(req -> req.send(Buffer.buffer(form)))
                .onFailure().transform(f -> new UpstreamException(NAME, path, null, NAME + " login failed: "
                        + f.getClass().getSimpleName(), null, true))
                .chain(resp -> resp.body().map(body -> {
                    accept(resp, body.toString().trim(), path);
                    return null;
                }))
                .replaceWithVoid();
    }

    private void accept(HttpClientResponse resp, String body, String path) {
        int status = resp.statusCode();
        boolean ok = status == 204 || (status == 200 && "Ok.".equals(body));
        if (!ok) {
            String why = status == 401 || (status == 200 && "Fails.".equals(body))
                    ? "the username or password was refused; check QBIT_USERNAME and QBIT_PASSWORD"
                    : status == 403 ? "this address is banned after too many failed logins; restart qBittorrent or wait"
                            : "HTTP " + status;
            throw new UpstreamException(NAME, path, status, NAME + " login: " + why, null, false);
        }
        List<String> cookies = new ArrayList<>();
        for (String setCookie : resp.cookies()) {
            int end = setCookie.indexOf(';');
            cookies.add((end < 0 ? setCookie : setCookie.substring(0, end)).trim());
        }
        // No cookie: authentication is bypassed for this address (qBittorrent's whitelist); calls work without one.
        cookie.set(cookies.isEmpty() ? "" : String.join("; ", cookies));
    }

    private List<Torrent> parseTorrents(Buffer body) {
        try {
            JsonNode root = json.readTree(body.toString());
            List<Torrent> out = new ArrayList<>();
            if (root != null && root.isArray()) {
                for (JsonNode t : root) {
                    String hash = t.path("hash").asText(null);
                    if (hash == null || hash.isBlank()) {
                        continue;
                    }
                    out.add(new Torrent(hash.toLowerCase(Locale.ROOT), t.path("name").asText(""),
                            t.path("state").asText("unknown"), t.path("progress").asDouble(0), t.path("size").asLong(0),
                            t.path("amount_left").asLong(-1), t.path("dlspeed").asLong(0),
                            t.path("eta").asLong(Torrent.ETA_UNKNOWN), t.path("num_seeds").asInt(0),
                            t.path("last_activity").asLong(0), t.path("added_on").asLong(0),
                            t.path("content_path").asText(null)));
                }
            }
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UpstreamException(NAME, "/api/v2/torrents/info", 200, NAME
                    + " torrents/info answered something that is not JSON", null, false, true);
        }
    }

    private String host() {
        return config.host().map(String::trim).orElse("");
    }
}
