package app.statustracker.health;

import java.util.LinkedHashMap;
import java.util.Map;

import app.statustracker.config.TrackerConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Which upstreams are configured, and where they are (never their secrets). */
@ApplicationScoped
public class UpstreamSettings {

    /**
     * @param configured whether the tracker will talk to it
     * @param address    host:port, or null when not configured
     * @param hint       what to set to configure it, when not configured
     */
    public record Upstream(boolean configured, String address, String hint) {
    }

    private final TrackerConfig config;

    public UpstreamSettings(TrackerConfig config) {
        this.config = config;
    }

    public Map<String, Upstream> all() {
        Map<String, Upstream> all = new LinkedHashMap<>();
        all.put("jellyseerr", of(config.jellyseerr(), "JELLYSEERR_API_KEY"));
        all.put("sonarr", of(config.sonarr(), "SONARR_API_KEY"));
        all.put("radarr", of(config.radarr(), "RADARR_API_KEY"));
        all.put("jellyfin", of(config.jellyfin(), "JELLYFIN_API_KEY"));
        TrackerConfig.QbittorrentConfig qbit = config.qbittorrent();
        all.put("qbittorrent", qbit.configured()
                ? new Upstream(true, qbit.host().orElseThrow() + ":" + qbit.port(), null)
                : new Upstream(false, null, "set QBIT_HOST (and QBIT_USERNAME/QBIT_PASSWORD)"));
        TrackerConfig.ShokoConfig shoko = config.shoko();
        all.put("shoko", shoko.configured() ? new Upstream(true, shoko.host() + ":" + shoko.port(), null)
                : new Upstream(false, null, shoko.enabled() ? "set SHOKO_API_KEY" : "ENABLE_SHOKO is false"));
        return all;
    }

    private static Upstream of(TrackerConfig.Upstream u, String keyVariable) {
        return u.configured() ? new Upstream(true, u.host() + ":" + u.port(), null)
                : new Upstream(false, null, "set " + keyVariable);
    }
}
