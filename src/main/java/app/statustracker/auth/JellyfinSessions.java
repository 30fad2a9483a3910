package app.statustracker.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import app.statustracker.client.JellyfinClient;
import app.statustracker.client.JellyfinUser;
import app.statustracker.client.UpstreamException;
import app.statustracker.config.TrackerConfig;
import app.statustracker.service.SecretMasker;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Turns a Jellyfin access token into the caller it belongs to. Jellyfin is asked ({@code GET /Users/Me}) at most once
 * per token per {@code AUTH_CACHE}, not on every request; while Jellyfin cannot be reached, a token it confirmed less
 * than {@code AUTH_GRACE} ago stays valid. Tokens are kept only as SHA-256 digests.
 */
@ApplicationScoped
public class JellyfinSessions {

    private static final Logger LOG = Logger.getLogger(JellyfinSessions.class);
    /** Jellyfin tokens are 32 hex characters; anything far from that shape is not sent to Jellyfin at all. */
    private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9._-]{16,256}");
    /** Cache entries kept at most (one per active browser or script). */
    private static final int MAX_ENTRIES = 2_000;

    /** What a token resolved to. */
    public sealed interface Result {
    }

    /** A valid token. */
    public record Valid(Caller caller) implements Result {
    }

    /** Jellyfin does not know the token (expired, revoked, made up). */
    public record Invalid() implements Result {
    }

    /** Jellyfin could not be asked and the token was not confirmed recently enough. */
    public record Unconfirmed(String reason) implements Result {
    }

    private record Entry(Caller caller, Instant confirmedAt, Instant checkedAt) {
    }

    private final JellyfinClient jellyfin;
    private final TrackerConfig.Auth config;
    private final Set<String> adminIds;
    private final Clock clock;
    /** Confirmed tokens; never emptied to make room (a flood of made-up tokens must not log real users out). */
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    /** Tokens Jellyfin refused, kept apart so that made-up ones only ever push out each other. */
    private final Map<String, Instant> refused = new ConcurrentHashMap<>();

    /** Told when a session ends, so that what was opened with it closes. */
    private final java.util.function.Consumer<SessionEnded> ended;

    @Inject
    public JellyfinSessions(JellyfinClient jellyfin, TrackerConfig config, jakarta.enterprise.event.Event<SessionEnded> ended) {
        this(jellyfin, config.auth(), config.adminUserIds().orElse(List.of()), Clock.systemUTC(), ended::fire);
    }

    JellyfinSessions(JellyfinClient jellyfin, TrackerConfig.Auth config, List<String> adminUserIds, Clock clock,
            java.util.function.Consumer<SessionEnded> ended) {
        this.ended = ended;
        this.jellyfin = jellyfin;
        this.config = config;
        this.adminIds = adminUserIds.stream().map(id -> id.trim().replace("-", "").toLowerCase(java.util.Locale.ROOT))
                .filter(id -> !id.isEmpty()).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.clock = clock;
    }

    /** The caller a Jellyfin login or token stands for: an admin when Jellyfin says so or ADMIN_USER_IDS lists it. */
    public Caller callerOf(JellyfinUser user) {
        return new Caller(user.id(), user.name(), user.administrator() || adminIds.contains(user.id()));
    }

    /** Remembers a token Jellyfin has just issued, so the login's first page needs no second call. */
    public void remember(String token, Caller caller) {
        Instant now = clock.instant();
        put(digest(token), new Entry(caller, now, now));
    }

    /** Forgets a token (logout), and ends what was opened with it. */
    public void forget(String token) {
        if (token != null) {
            String key = digest(token);
            cache.remove(key);
            refused.put(key, clock.instant());
            ended.accept(new SessionEnded(key));
        }
    }

    public Uni<Result> resolve(String token) {
        if (token == null || !TOKEN_SHAPE.matcher(token).matches()) {
            return Uni.createFrom().item(new Invalid());
        }
        String key = digest(token);
        Instant now = clock.instant();
        Entry known = cache.get(key);
        if (known != null && known.checkedAt().plus(config.cacheFor()).isAfter(now)) {
            return Uni.createFrom().item(new Valid(known.caller()));
        }
        Instant refusedAt = refused.get(key);
        if (known == null && refusedAt != null && refusedAt.plus(config.cacheFor()).isAfter(now)) {
            return Uni.createFrom().item(new Invalid());
        }
        return jellyfin.userOf(token).map(user -> {
            Instant loggedOut = refused.get(key);
            if (loggedOut != null && !loggedOut.isBefore(now)) {
                // Logged out while Jellyfin was being asked: the logout wins, or the token would live on.
                return (Result) new Invalid();
            }
            Caller caller = callerOf(user);
            put(key, new Entry(caller, now, now));
            refused.remove(key);
            return (Result) new Valid(caller);
        }).onFailure().recoverWithItem(failure -> {
            // 400: Jellyfin's answer to an API key, which belongs to no user ("Token is not owned by a user").
            if (failure instanceof UpstreamException u && u.status() != null
                    && (u.status() == 400 || u.status() == 401 || u.status() == 403)) {
                // Remembered as refused for a while: a stale cookie sent with every request asks Jellyfin once.
                cache.remove(key);
                if (refused.size() >= MAX_ENTRIES) {
                    refused.clear();
                }
                refused.put(key, now);
                return new Invalid();
            }
            if (known != null && known.confirmedAt().plus(config.grace()).isAfter(now)) {
                return new Valid(known.caller());
            }
            LOG.debugf("a login could not be confirmed: %s", SecretMasker.describe(failure));
            return new Unconfirmed("Jellyfin could not be reached to confirm the login; try again shortly");
        });
    }

    private void put(String key, Entry entry) {
        if (cache.size() >= MAX_ENTRIES && !cache.containsKey(key)) {
            Instant stale = clock.instant().minus(config.grace().plus(config.cacheFor()));
            cache.values().removeIf(e -> e.checkedAt().isBefore(stale));
            if (cache.size() >= MAX_ENTRIES) {
                // Only real logins get here (Jellyfin confirmed each): the longest unchecked one asks Jellyfin again.
                cache.entrySet().stream().min(java.util.Comparator.comparing(e -> e.getValue().checkedAt()))
                        .ifPresent(e -> cache.remove(e.getKey()));
            }
        }
        cache.put(key, entry);
    }

    /** A token's SHA-256 digest, in hex: how the tracker keeps and compares tokens. */
    public static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
