package app.statustracker.health;

import org.jboss.logging.Logger;

import app.statustracker.config.TrackerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Says at start-up which upstreams are configured. A missing one is a line in the log, never a crash. */
@ApplicationScoped
public class StartupReport {

    private static final Logger LOG = Logger.getLogger(StartupReport.class);

    void report(@Observes StartupEvent event, UpstreamSettings upstreams, TrackerConfig config,
            app.statustracker.client.JellyfinClient jellyfin) {
        upstreams.all().forEach((name, u) -> {
            if (u.configured()) {
                LOG.infof("%s: configured (%s)", name, u.address());
            } else {
                LOG.infof("%s: not configured (%s)", name, u.hint());
            }
        });
        // Settings that work against each other: said once, at start-up.
        if (config.auth().dashboardAccess() == TrackerConfig.Auth.Access.LOGIN && !jellyfin.configured()) {
            LOG.warn("DASHBOARD_ACCESS=login but Jellyfin is not configured: nobody can log in, so the dashboard shows"
                    + " nothing; set JELLYFIN_HOST and JELLYFIN_API_KEY");
        }
        boolean open = java.util.stream.Stream.of("jellyseerr", "sonarr", "radarr", "qbittorrent")
                .anyMatch(source -> config.webhook().secretFor(source).isEmpty());
        if (config.deletionSync().enabled() && open) {
            LOG.warn("ENABLE_DELETION_SYNC is on without WEBHOOK_SECRET: anyone who can reach /hooks can attach a"
                    + " Sonarr, Radarr or torrent id to a request, and deleting that request deletes it everywhere;"
                    + " set WEBHOOK_SECRET");
        }
    }
}
