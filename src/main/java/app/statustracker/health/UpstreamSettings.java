package app.statustracker.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import app.statustracker.config.TrackerConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one list of upstreams: whether each is configured, where it is, and how to ask it whether it is up. The
 * start-up report, {@code /api/health} and the reachability probe all read it.
 */
@ApplicationScoped
public class UpstreamSettings {

    /**
     * How to ask an upstream whether it is up. The header value (an API key) is only produced when the probe sends
     * it, so that no secret sits in a record whose {@code toString} could end up in a log.
     */
    public record StatusCheck(String path, String header, Supplier<String> headerValue) {
    }

    /**
     * @param configured whether the tracker will talk to it
     * @param host       host, or null when not configured
     * @param port       port
     * @param hint       what to set to configure it, when not configured
     * @param check      its status question, when configured
     */
    public record Upstream(boolean configured, String host, int port, String hint, StatusCheck check) {
        /** host:port, or null when not configured. */
        public String address() {
            return configured ? host + ":" + port : null;
        }
    }

    private final TrackerConfig config;

    public UpstreamSettings(TrackerConfig config) {
        this.config = config;
    }

    public Map<String, Upstream> all() {
        Map<String, Upstream> all = new LinkedHashMap<>();
        all.put("jellyseerr", keyed(config.jellyseerr(), "JELLYSEERR_API_KEY", "/api/v1/status", "X-Api-Key"));
        all.put("sonarr", keyed(config.sonarr(), "SONARR_API_KEY", "/api/v3/system/status", "X-Api-Key"));
        all.put("radarr", keyed(config.radarr(), "RADARR_API_KEY", "/api/v3/system/status", "X-Api-Key"));
        TrackerConfig.JellyfinConfig jellyfin = config.jellyfin();
        all.put("jellyfin", jellyfin.configured()
                ? new Upstream(true, jellyfin.host(), jellyfin.port(), null, new StatusCheck("/System/Info",
                        "Authorization", () -> "MediaBrowser Token=\"" + jellyfin.apiKey().orElse("") + "\""))
                : notConfigured("set JELLYFIN_API_KEY"));
        TrackerConfig.QbittorrentConfig qbit = config.qbittorrent();
        // Unauthenticated on purpose: any answer proves the Web UI is up; logging in is the download tracker's job.
        all.put("qbittorrent", qbit.configured()
                ? new Upstream(true, qbit.host().orElseThrow(), qbit.port(), null,
                        new StatusCheck("/api/v2/app/webapiVersion", null, null))
                : notConfigured("set QBIT_HOST (and QBIT_USERNAME/QBIT_PASSWORD)"));
        TrackerConfig.ShokoConfig shoko = config.shoko();
        all.put("shoko", shoko.configured()
                ? keyed(shoko, "SHOKO_API_KEY", "/api/v3/Init/Status", "apikey")
                : notConfigured(shoko.enabled() ? "set SHOKO_API_KEY" : "ENABLE_SHOKO is false"));
        return all;
    }

    private static Upstream keyed(TrackerConfig.Upstream u, String keyVariable, String path, String header) {
        if (!u.configured()) {
            return notConfigured("set " + keyVariable);
        }
        Optional<String> key = u.apiKey();
        return new Upstream(true, u.host(), u.port(), null, new StatusCheck(path, header, () -> key.orElse("")));
    }

    private static Upstream notConfigured(String hint) {
        return new Upstream(false, null, 0, hint, null);
    }
}
