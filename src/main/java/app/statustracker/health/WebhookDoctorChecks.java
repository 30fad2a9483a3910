package app.statustracker.health;

import java.util.List;

import app.statustracker.client.JellyseerrClient;
import app.statustracker.client.QbittorrentClient;
import app.statustracker.client.RadarrClient;
import app.statustracker.client.SonarrClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether each upstream that can call the tracker does: Sonarr's and Radarr's webhook connections, Jellyseerr's
 * webhook agent, qBittorrent's "Run on torrent finished". Judged by {@link WiringFindings}.
 */
@ApplicationScoped
public class WebhookDoctorChecks implements DoctorChecks {

    private final SonarrClient sonarr;
    private final RadarrClient radarr;
    private final JellyseerrClient jellyseerr;
    private final QbittorrentClient qbittorrent;

    public WebhookDoctorChecks(SonarrClient sonarr, RadarrClient radarr, JellyseerrClient jellyseerr,
            QbittorrentClient qbittorrent) {
        this.sonarr = sonarr;
        this.radarr = radarr;
        this.jellyseerr = jellyseerr;
        this.qbittorrent = qbittorrent;
    }

    @Override
    public List<Uni<DoctorCheck>> checks(DoctorRun run) {
        String url = run.trackerUrl();
        return List.of(
                run.guarded("sonarr.webhook", "sonarr", "Sonarr sends its webhooks to this tracker",
                        sonarr.configured(), "SONARR_HOST and SONARR_API_KEY",
                        () -> run.once("sonarr.notifications", sonarr::notifications)
                                .map(c -> WiringFindings.arrWebhook("sonarr", "Sonarr", c, url))),
                run.guarded("radarr.webhook", "radarr", "Radarr sends its webhooks to this tracker",
                        radarr.configured(), "RADARR_HOST and RADARR_API_KEY",
                        () -> run.once("radarr.notifications", radarr::notifications)
                                .map(c -> WiringFindings.arrWebhook("radarr", "Radarr", c, url))),
                run.guarded("jellyseerr.webhook", "jellyseerr", "Jellyseerr sends its webhooks to this tracker",
                        jellyseerr.configured(), "JELLYSEERR_HOST and JELLYSEERR_API_KEY",
                        () -> jellyseerr.webhookSettings().map(s -> WiringFindings.jellyseerrWebhook(s, url))),
                run.guarded("qbittorrent.completion-hook", "qbittorrent",
                        "qBittorrent tells this tracker when a download finishes", qbittorrent.configured(),
                        "QBIT_HOST (and QBIT_USERNAME/QBIT_PASSWORD)",
                        () -> qbittorrent.version().chain(version -> run.once("qbittorrent.preferences",
                                qbittorrent::preferences)
                                .map(p -> WiringFindings.qbittorrentHook(version.trim(), p, url)))));
    }
}
