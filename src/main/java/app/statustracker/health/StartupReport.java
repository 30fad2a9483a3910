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
        // Settings that work against each other: said once, at start-up (and by the setup doctor).
        SettingsConflicts.loginWithoutJellyfin(config, jellyfin.configured()).ifPresent(LOG::warn);
        SettingsConflicts.deletionSyncWithoutSecret(config).ifPresent(LOG::warn);
    }
}
