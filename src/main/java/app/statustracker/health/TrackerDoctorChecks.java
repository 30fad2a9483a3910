package app.statustracker.health;

import java.util.ArrayList;
import java.util.List;

import app.statustracker.config.TrackerConfig;
import app.statustracker.health.DoctorCheck.Result;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The tracker's own settings: the webhook secret. */
@ApplicationScoped
public class TrackerDoctorChecks implements DoctorChecks {

    private final TrackerConfig config;

    public TrackerDoctorChecks(TrackerConfig config) {
        this.config = config;
    }

    @Override
    public List<Uni<DoctorCheck>> checks(DoctorRun run) {
        return List.of(Uni.createFrom().item(this::webhookSecret));
    }

    private DoctorCheck webhookSecret() {
        String id = "tracker.webhook-secret";
        String title = "Webhooks need a secret";
        List<String> open = new ArrayList<>();
        for (String source : List.of("jellyseerr", "sonarr", "radarr", "jellyfin", "qbittorrent")) {
            if (config.webhook().secretFor(source).isEmpty()) {
                open.add(source);
            }
        }
        if (open.isEmpty()) {
            return DoctorCheck.ok(id, "tracker", title, "Every webhook source must send its secret");
        }
        return DoctorCheck.of(id, "tracker", title, Result.WARNING, "Webhooks from " + String.join(", ", open)
                + " are accepted without a secret", "Anyone who can reach /hooks can create, move or (with"
                + " ENABLE_DELETION_SYNC) mark for deletion any request.", "Set WEBHOOK_SECRET to a long random"
                + " string (openssl rand -hex 24) and give it to each upstream as README → Webhook secret shows.");
    }
}
