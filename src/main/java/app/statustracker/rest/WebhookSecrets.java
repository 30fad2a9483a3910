package app.statustracker.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import app.statustracker.config.TrackerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The shared webhook secret (PRODUCT.md §1.14). None of the upstreams signs its webhooks, and each can send a secret
 * in its own way only: Sonarr and Radarr as the Basic auth password, Jellyseerr as its Authorization header (sent as
 * written), Jellyfin's Webhook plugin as a custom header, qBittorrent's curl as {@code ?token=} — so all of these are
 * accepted, compared in constant time. Off by default (a homelab behind its own network), with a warning at start-up
 * and on the status page.
 */
@ApplicationScoped
public class WebhookSecrets {

    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);
    /** Refused deliveries are logged at most this often per source: a misconfigured sender retries a lot. */
    private static final java.time.Duration LOG_EVERY = java.time.Duration.ofMinutes(1);

    private final TrackerConfig.Webhook config;
    private final Map<String, Instant> lastLogged = new ConcurrentHashMap<>();

    public WebhookSecrets(TrackerConfig config) {
        this.config = config.webhook();
    }

    void announce(@Observes StartupEvent event) {
        if (!anyRequired()) {
            LOG.warn("webhooks are accepted without a secret: anyone who can reach /hooks can change requests; set"
                    + " WEBHOOK_SECRET (README, Webhook setup)");
        }
    }

    /** Whether any source requires a secret (for the status page). */
    public boolean anyRequired() {
        return List.of("jellyseerr", "sonarr", "radarr", "jellyfin", "qbittorrent").stream()
                .anyMatch(s -> config.secretFor(s).isPresent());
    }

    /**
     * Whether this delivery may be read: no secret is required for its source, or it carries it.
     *
     * @param authorization the Authorization header, or null
     * @param headerSecret  the X-Webhook-Secret header, or null
     * @param token         the {@code token} query parameter, or null
     */
    public boolean allows(String source, String authorization, String headerSecret, String token) {
        Optional<String> required = config.secretFor(source);
        if (required.isEmpty()) {
            return true;
        }
        byte[] wanted = required.get().getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        // Every candidate is compared (no early exit), each in constant time.
        for (String offered : offered(authorization, headerSecret, token)) {
            ok |= MessageDigest.isEqual(wanted, offered.getBytes(StandardCharsets.UTF_8));
        }
        if (!ok) {
            Instant now = Instant.now();
            Instant last = lastLogged.get(source);
            if (last == null || last.isBefore(now.minus(LOG_EVERY))) {
                lastLogged.put(source, now);
                // What was offered is never logged: it may be a near-miss of the real secret.
                LOG.warnf("a %s webhook without the right secret was refused (401); check the secret in %s's"
                        + " webhook settings (README, Webhook setup)", source, source);
            }
        }
        return ok;
    }

    /** What a delivery may carry as the secret, in the forms the upstreams can send. */
    static List<String> offered(String authorization, String headerSecret, String token) {
        List<String> offered = new ArrayList<>();
        if (authorization != null && !authorization.isBlank()) {
            String a = authorization.trim();
            String lower = a.toLowerCase(Locale.ROOT);
            if (lower.startsWith("bearer ")) {
                offered.add(a.substring(7).trim());
            } else if (lower.startsWith("basic ")) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(a.substring(6).trim()),
                            StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    offered.add(colon < 0 ? decoded : decoded.substring(colon + 1)); // the password
                } catch (IllegalArgumentException e) {
                    // not Base64: nothing offered this way
                }
            }
            offered.add(a); // Jellyseerr sends its Authorization field exactly as written
        }
        if (headerSecret != null && !headerSecret.isBlank()) {
            offered.add(headerSecret.trim());
        }
        if (token != null && !token.isBlank()) {
            offered.add(token);
        }
        return offered;
    }
}
