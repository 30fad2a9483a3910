package app.statustracker.health;

import java.util.List;
import java.util.Optional;

import app.statustracker.config.TrackerConfig;

/**
 * Settings of the tracker that work against each other. Said once in the log at start-up ({@link StartupReport}) and
 * on the Status page by the setup doctor ({@link TrackerDoctorChecks}), from the same judgement.
 */
final class SettingsConflicts {

    /** The webhook sources a secret protects (Shoko has no webhook). */
    static final List<String> WEBHOOK_SOURCES = List.of("jellyseerr", "sonarr", "radarr", "jellyfin", "qbittorrent");

    private SettingsConflicts() {
    }

    /** The webhook sources whose deliveries are accepted without a secret. */
    static List<String> openWebhookSources(TrackerConfig config) {
        return WEBHOOK_SOURCES.stream().filter(source -> config.webhook().secretFor(source).isEmpty()).toList();
    }

    /** A login is required but nobody can log in: Jellyfin, which confirms logins, is not configured. */
    static Optional<String> loginWithoutJellyfin(TrackerConfig config, boolean jellyfinConfigured) {
        if (config.auth().dashboardAccess() == TrackerConfig.Auth.Access.LOGIN && !jellyfinConfigured) {
            return Optional.of("DASHBOARD_ACCESS=login but Jellyfin is not configured: nobody can log in, so the"
                    + " dashboard shows nothing; set JELLYFIN_HOST and JELLYFIN_API_KEY");
        }
        return Optional.empty();
    }

    /**
     * Deletion sync on while a webhook source needs no secret: whoever reaches /hooks can tie a Sonarr, Radarr or
     * torrent id to a request, and deleting that request then deletes it everywhere.
     */
    static Optional<String> deletionSyncWithoutSecret(TrackerConfig config) {
        List<String> open = openWebhookSources(config).stream().filter(s -> !"jellyfin".equals(s)).toList();
        if (config.deletionSync().enabled() && !open.isEmpty()) {
            return Optional.of("ENABLE_DELETION_SYNC is on without WEBHOOK_SECRET: anyone who can reach /hooks can"
                    + " attach a Sonarr, Radarr or torrent id to a request, and deleting that request deletes it"
                    + " everywhere; set WEBHOOK_SECRET");
        }
        return Optional.empty();
    }
}
