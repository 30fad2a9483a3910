package app.statustracker.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every application setting. The environment variable names of the prototype are mapped onto these properties in
 * {@code application.properties}; README.md lists each one with its default.
 */
@ConfigMapping(prefix = "tracker")
public interface TrackerConfig {

    /** Jellyfin: verifies that media is playable and serves "Watch" links. */
    JellyfinConfig jellyfin();

    /** Sonarr (TV). */
    Upstream sonarr();

    /** Radarr (movies). */
    Upstream radarr();

    /** Jellyseerr (requests). */
    Upstream jellyseerr();

    /** qBittorrent Web API (download progress). */
    QbittorrentConfig qbittorrent();

    /** Shoko Server (anime matching over SignalR). */
    ShokoConfig shoko();

    /** Prefix prepended to Shoko's import-folder-relative paths ({@code MEDIA_PATH_PREFIX}). */
    @WithDefault("/data")
    String mediaPathPrefix();

    /**
     * The address the upstreams reach this tracker at ({@code TRACKER_URL}, e.g. {@code http://status-tracker:8000}):
     * the setup doctor writes it into its fixes and checks webhook URLs against it. Empty: only the paths are checked.
     */
    Optional<String> publicUrl();

    Doctor doctor();

    /** The setup doctor (issue 8): when it checks the upstreams' wiring. */
    interface Doctor {
        /** How often every check runs again ({@code DOCTOR_EVERY}); it also runs at start-up and on demand. */
        @WithDefault("24h")
        Duration every();

        /** The first run after start-up ({@code DOCTOR_DELAY}). */
        @WithDefault("30s")
        Duration delay();

        /** How long one check may take before it says {@code unknown} ({@code DOCTOR_CHECK_TIMEOUT}). */
        @WithDefault("10s")
        Duration checkTimeout();
    }

    /** Jellyfin user ids that are admins ({@code ADMIN_USER_IDS}, comma separated). */
    Optional<List<String>> adminUserIds();

    Timeouts timeouts();

    DeletionSync deletionSync();

    Auth auth();

    Webhook webhook();

    Retention retention();

    Stream stream();

    Pipeline pipeline();

    UpstreamCheck upstreamCheck();

    Anime anime();

    ArrRequests arrRequests();

    Reconcile reconcile();

    Verification verification();

    /** An upstream reached with host, port and API key. It counts as configured when it has an API key. */
    interface Upstream {
        String host();

        int port();

        /** Secret: never logged, never returned by the API. */
        Optional<String> apiKey();

        default boolean configured() {
            return apiKey().filter(k -> !k.isBlank()).isPresent() && !host().isBlank();
        }

        default String baseUrl() {
            return "http://" + host() + ":" + port();
        }
    }

    interface JellyfinConfig extends Upstream {
        /** The address users open in their browser ({@code JELLYFIN_URL}); used for "Watch" links only. */
        @WithName("public-url")
        String publicUrl();
    }

    interface QbittorrentConfig {
        /** Empty means "not configured": the prototype's default host {@code gluetun} is not assumed. */
        Optional<String> host();

        @WithDefault("8080")
        int port();

        @WithDefault("admin")
        String username();

        /** Secret: never logged, never returned by the API. */
        Optional<String> password();

        /** {@code QBIT_POLL_ACTIVE}: time between two progress checks while a tracked torrent is downloading. */
        @WithDefault("3s")
        Duration pollActive();

        /** {@code QBIT_POLL_IDLE}: time between two checks when nothing tracked is downloading. */
        @WithDefault("15s")
        Duration pollIdle();

        /** {@code QBIT_STALLED_AFTER}: a torrent without data for this long is reported stalled in stuck_reason. */
        @WithDefault("30m")
        Duration stalledAfter();

        default boolean configured() {
            return host().filter(h -> !h.isBlank()).isPresent();
        }
    }

    interface ShokoConfig extends Upstream {
        /** {@code ENABLE_SHOKO}: listen to Shoko's SignalR hub at all. */
        @WithDefault("true")
        boolean enabled();

        /** Seconds to wait before each reconnection attempt; the last value repeats. */
        @WithDefault("0,2,10,30,60,120,300")
        List<Integer> reconnectIntervals();

        /**
         * {@code SHOKO_PATH_MAP}: how Shoko's folders appear to the tracker, {@code shoko-path=tracker-path} pairs,
         * comma separated (e.g. {@code /mnt/anime=/data/media/anime}); tried before the import folders' own paths
         * and {@code MEDIA_PATH_PREFIX}.
         */
        Optional<List<String>> pathMap();

        /** {@code SHOKO_AUTO_LINK}: on FileNotMatched, link the file to the series Shoko finds by the request's title. */
        @WithDefault("true")
        boolean autoLink();

        /**
         * {@code SHOKO_VERIFY_DELAYS}: seconds after a match before Jellyfin is asked, and between the next tries
         * (prototype: 10, then up to 3 more 15 s apart).
         */
        @WithDefault("10,15,15,15")
        List<Integer> verifyDelays();

        /**
         * {@code VFS_REFRESH_AFTER}: an anime request this long in anime_matching makes the tracker ask Jellyfin to
         * refresh its library, so that Shokofin rebuilds its virtual file system (0 = never).
         */
        @WithDefault("3m")
        Duration vfsRefreshAfter();

        /** {@code VFS_REFRESH_MIN_INTERVAL}: at most one such library refresh this often. */
        @WithDefault("10m")
        Duration vfsRefreshMinInterval();

        @Override
        default boolean configured() {
            return enabled() && Upstream.super.configured();
        }
    }

    interface Timeouts {
        /** {@code ENABLE_TIMEOUT_CHECKER}. */
        @WithDefault("true")
        boolean enabled();

        /** {@code DOWNLOADING_TIMEOUT}, minutes in downloading before a request times out. */
        @WithDefault("1440")
        int downloadingMinutes();

        /** {@code IMPORTING_TIMEOUT}, minutes in importing before a request times out. */
        @WithDefault("60")
        int importingMinutes();

        /** {@code REQUESTED_TIMEOUT}, minutes waiting for approval in Jellyseerr (7 days; 0 = never). */
        @WithDefault("10080")
        int requestedMinutes();

        /** {@code APPROVED_TIMEOUT}, minutes before Radarr/Sonarr take an approved request (prototype: 120). */
        @WithDefault("120")
        int approvedMinutes();

        /** {@code SEARCHING_TIMEOUT}, minutes Radarr/Sonarr may search without grabbing anything. */
        @WithDefault("1440")
        int searchingMinutes();

        /** {@code GRABBING_TIMEOUT}, minutes from the grab until qBittorrent shows progress (prototype: 60). */
        @WithDefault("60")
        int grabbingMinutes();

        /** {@code DOWNLOADED_TIMEOUT}, minutes from a finished download until the import (prototype: 30). */
        @WithDefault("30")
        int downloadedMinutes();

        /** {@code ANIME_MATCHING_TIMEOUT}, minutes waiting for Shoko to match and Jellyfin to show (prototype: 30). */
        @WithDefault("30")
        int animeMatchingMinutes();

        /** {@code TIMEOUT_CHECK_EVERY}, how often the check runs (prototype: 300 s; also once shortly after start). */
        @WithDefault("5m")
        Duration checkEvery();

        /** {@code TIMEOUT_CHECK_DELAY}, delay after start-up before the first check. */
        @WithDefault("20s")
        Duration checkDelay();

        /** Minutes a request may stay in this active state before it times out; 0 = never, -1 = not an active state. */
        default int minutesIn(app.statustracker.RequestState state) {
            return switch (state) {
                case REQUESTED -> requestedMinutes();
                case APPROVED -> approvedMinutes();
                case SEARCHING -> searchingMinutes();
                case GRABBING -> grabbingMinutes();
                case DOWNLOADING -> downloadingMinutes();
                case DOWNLOADED -> downloadedMinutes();
                case IMPORTING -> importingMinutes();
                case ANIME_MATCHING -> animeMatchingMinutes();
                default -> -1;
            };
        }
    }

    interface DeletionSync {
        /** {@code ENABLE_DELETION_SYNC}. */
        @WithDefault("false")
        boolean enabled();
    }

    /** Logins with Jellyfin accounts (issue 7): who may read the dashboard and who may act. */
    interface Auth {
        /**
         * {@code DASHBOARD_ACCESS}: {@code public} (the prototype's default: anyone who can reach the tracker sees
         * progress, read-only) or {@code login} (every read needs a Jellyfin login). Admin actions always need an
         * admin login.
         */
        @WithDefault("public")
        Access dashboardAccess();

        /** How long a validated Jellyfin token is trusted before Jellyfin is asked again ({@code AUTH_CACHE}). */
        @WithDefault("60s")
        Duration cacheFor();

        /**
         * While Jellyfin cannot be reached, a token it confirmed less than this long ago stays valid
         * ({@code AUTH_GRACE}), so a Jellyfin restart does not log everyone out.
         */
        @WithDefault("15m")
        Duration grace();

        /** Failed logins allowed per client address and per user name within {@link #lockout()}. */
        @WithDefault("5")
        int maxFailures();

        /** How long failed logins are remembered; once {@link #maxFailures()} is reached, logins wait this long. */
        @WithDefault("15m")
        Duration lockout();

        /** Session cookie lifetime ({@code SESSION_MAX_AGE}); Jellyfin may revoke the token earlier. */
        @WithDefault("7d")
        Duration sessionMaxAge();

        enum Access {
            PUBLIC, LOGIN
        }
    }

    interface Webhook {
        /** Largest accepted webhook body in KiB; larger bodies get 413. */
        @WithDefault("1024")
        int maxBodyKb();

        /**
         * {@code WEBHOOK_SECRET}: when set, every webhook must carry it (Bearer, Basic auth password, the raw
         * Authorization header, an {@code X-Webhook-Secret} header or {@code ?token=}); others get 401. Secret.
         */
        Optional<String> secret();

        /** Per-source secrets that replace {@code WEBHOOK_SECRET} for that source ({@code WEBHOOK_SECRET_SONARR}, ...). */
        SourceSecrets sources();

        /** The secret a webhook from this source must carry; empty when none is required. */
        default Optional<String> secretFor(String source) {
            Optional<String> own = switch (source) {
                case "jellyseerr" -> sources().jellyseerr();
                case "sonarr" -> sources().sonarr();
                case "radarr" -> sources().radarr();
                case "jellyfin" -> sources().jellyfin();
                case "qbittorrent" -> sources().qbittorrent();
                default -> Optional.empty();
            };
            return own.filter(s -> !s.isBlank()).or(() -> secret().filter(s -> !s.isBlank()));
        }

        /** One optional secret per webhook source. */
        interface SourceSecrets {
            Optional<String> jellyseerr();

            Optional<String> sonarr();

            Optional<String> radarr();

            Optional<String> jellyfin();

            Optional<String> qbittorrent();
        }
    }

    interface Retention {
        /** Inbound events (raw payloads) older than this many days are deleted. */
        @WithDefault("30")
        int eventDays();

        /** How many SSE updates are kept for clients that resume with Last-Event-ID. */
        @WithDefault("10000")
        int streamEvents();

        /** How often the pruning runs. */
        @WithDefault("1h")
        Duration pruneEvery();

        /** Delay after start-up before the first pruning. */
        @WithDefault("30s")
        Duration pruneDelay();
    }

    interface Stream {
        /** Seconds between heartbeat comments on idle SSE connections. */
        @WithDefault("15")
        int heartbeatSeconds();

        /** Updates queued for one slow SSE client before it is disconnected (it then resumes from the database). */
        @WithDefault("256")
        int clientBuffer();
    }

    interface UpstreamCheck {
        /** How often each configured upstream is asked whether it is reachable. */
        @WithDefault("60s")
        Duration every();

        /** Delay after start-up before the first check. */
        @WithDefault("2s")
        Duration delay();

        /** {@code BREAKER_FAILURES}: calls to one upstream that fail in a row before it counts as unavailable. */
        @WithDefault("3")
        int breakerFailures();

        /** {@code BREAKER_OPEN_FOR}: how long an unavailable upstream is left alone before one call tries it again. */
        @WithDefault("30s")
        Duration breakerOpenFor();

        /** {@code BREAKER_MAX_OPEN_FOR}: the wait doubles after each failed try, up to this. */
        @WithDefault("5m")
        Duration breakerMaxOpenFor();
    }

    interface Pipeline {
        /** Most events applied in one database transaction when deliveries queue up. */
        @WithDefault("64")
        int batchSize();
    }

    /** How anime is told apart (protocols.md §8): Sonarr's series type, else these signals. */
    interface Anime {
        /** Radarr/Sonarr tag labels that mark anime ({@code ANIME_TAGS}, comma separated, case-insensitive). */
        @WithDefault("anime")
        List<String> tags();

        /** Path fragments that mark anime when no tag or series type says ({@code ANIME_PATH_MARKERS}). */
        @WithDefault("/anime/")
        List<String> pathMarkers();
    }

    /** Requests made directly in Sonarr/Radarr (PRODUCT.md §1.8). */
    interface ArrRequests {
        /** {@code TRACK_ARR_REQUESTS}: track media added or grabbed in Sonarr/Radarr without a Jellyseerr request. */
        @WithDefault("true")
        boolean tracked();
    }

    /** Reconciliation with Sonarr and Radarr: what a lost webhook would have said is read from their queue and history. */
    interface Reconcile {
        /** {@code ENABLE_RECONCILER}. */
        @WithDefault("true")
        boolean enabled();

        /** {@code RECONCILE_EVERY}: time between two reconciliations. */
        @WithDefault("60s")
        Duration every();

        /** {@code RECONCILE_DELAY}: delay after start-up before the first one. */
        @WithDefault("10s")
        Duration delay();

        /** {@code RECONCILE_LOOKBACK}: how far back the first reconciliation after a start reads the history. */
        @WithDefault("24h")
        Duration lookback();
    }

    /** Scheduled verification in Jellyfin: is what was imported playable yet? */
    interface Verification {
        /** {@code ENABLE_JELLYFIN_VERIFICATION}. */
        @WithDefault("true")
        boolean enabled();

        /** {@code VERIFY_EVERY}: time between two verification cycles (prototype: 30 s). */
        @WithDefault("30s")
        Duration every();

        /** {@code VERIFY_DELAY}: delay after start-up before the first cycle. */
        @WithDefault("15s")
        Duration delay();

        /** {@code VERIFY_ACTIVE_AFTER}: requests in earlier states are verified too once they have been in their state this long. */
        @WithDefault("30m")
        Duration activeAfter();

        /** {@code JELLYFIN_FULL_SCAN_EVERY}: between cycles that read only what changed, the whole library is read this often. */
        @WithDefault("6h")
        Duration fullScanEvery();
    }
}
