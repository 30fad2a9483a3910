package app.statustracker.health;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import app.statustracker.client.UpstreamProbe;
import app.statustracker.config.TrackerConfig;
import app.statustracker.health.DoctorCheck.Result;
import app.statustracker.repository.DatabaseStats;
import app.statustracker.service.SecretMasker;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The tracker's own state: the webhook secret, who may read the dashboard, its clock against the upstreams', its
 * database and retention.
 */
@ApplicationScoped
public class TrackerDoctorChecks implements DoctorChecks {

    /** Below this an upstream's clock is as good as the tracker's (Date headers have whole seconds). */
    static final Duration CLOCK_FINE = Duration.ofSeconds(60);
    /**
     * From this on, incremental reads can miss changes: reconciliation reads Sonarr's and Radarr's history with 5
     * minutes of overlap (Reconciler.OVERLAP), the Jellyfin check 10 (JellyfinVerification.OVERLAP).
     */
    static final Duration CLOCK_BREAKS_READS = Duration.ofMinutes(5);
    /** A clock reading older than this (the upstream stopped answering) is not used. */
    static final Duration CLOCK_READING_MAX_AGE = Duration.ofMinutes(15);
    /** A database above this is worth a look in a homelab; most stay well under 100 MB. */
    static final long DATABASE_LARGE_BYTES = 1024L * 1024 * 1024;

    private final TrackerConfig config;
    private final UpstreamSettings upstreams;
    private final UpstreamProbe probe;
    private final DatabaseStats database;

    public TrackerDoctorChecks(TrackerConfig config, UpstreamSettings upstreams, UpstreamProbe probe,
            DatabaseStats database) {
        this.config = config;
        this.upstreams = upstreams;
        this.probe = probe;
        this.database = database;
    }

    @Override
    public List<Uni<DoctorCheck>> checks(DoctorRun run) {
        return List.of(Uni.createFrom().item(this::webhookSecret), Uni.createFrom().item(this::dashboardAccess),
                Uni.createFrom().item(this::clock), database(run));
    }

    private DoctorCheck webhookSecret() {
        String id = "tracker.webhook-secret";
        String title = "Webhooks need a secret";
        List<String> open = SettingsConflicts.openWebhookSources(config);
        if (open.isEmpty()) {
            return DoctorCheck.ok(id, "tracker", title, "Every webhook source must send its secret");
        }
        String fix = "Set WEBHOOK_SECRET to a long random string (openssl rand -hex 24) and give it to each upstream"
                + " as README → Webhook secret shows.";
        String found = "Webhooks from " + String.join(", ", open) + " are accepted without a secret";
        var deletion = SettingsConflicts.deletionSyncWithoutSecret(config);
        if (deletion.isPresent()) {
            // With deletion sync on, a forged webhook is a way to delete media: more than a nuisance.
            return DoctorCheck.of(id, "tracker", title, Result.PROBLEM, found + ", and ENABLE_DELETION_SYNC is on",
                    "Anyone who can reach /hooks can attach a Sonarr, Radarr or torrent id to a request; deleting"
                            + " that request then deletes that series, movie or torrent everywhere.", fix);
        }
        return DoctorCheck.of(id, "tracker", title, Result.WARNING, found, "Anyone who can reach /hooks can create"
                + " or move any request.", fix);
    }

    /** Who may read the dashboard, and whether anyone can log in when a login is required. */
    private DoctorCheck dashboardAccess() {
        String id = "tracker.dashboard-access";
        String title = "The dashboard is open to the right people";
        var conflict = SettingsConflicts.loginWithoutJellyfin(config, upstreams.all().get("jellyfin").configured());
        if (conflict.isPresent()) {
            return DoctorCheck.of(id, "tracker", title, Result.PROBLEM, "DASHBOARD_ACCESS=login, but Jellyfin is not"
                    + " configured", "Logins are confirmed by Jellyfin: nobody can log in, so the dashboard shows"
                    + " nothing to anyone.", "Set JELLYFIN_HOST and JELLYFIN_API_KEY (Jellyfin → Dashboard → API Keys),"
                    + " or DASHBOARD_ACCESS=public, and restart the tracker.");
        }
        boolean login = config.auth().dashboardAccess() == TrackerConfig.Auth.Access.LOGIN;
        boolean jellyfin = upstreams.all().get("jellyfin").configured();
        return DoctorCheck.ok(id, "tracker", title, login
                ? "DASHBOARD_ACCESS=login: reading needs a Jellyfin login; admin actions need a Jellyfin administrator"
                        + " (or ADMIN_USER_IDS)"
                : "DASHBOARD_ACCESS=public: whoever reaches the tracker sees every request; " + (jellyfin
                        ? "admin actions need a Jellyfin administrator's login"
                        : "nobody can log in without Jellyfin, so admin actions (retry, verify, delete, import) are"
                                + " unavailable"));
    }

    /** The upstreams' clocks as the reachability probe last read them from their Date headers. */
    private DoctorCheck clock() {
        Map<String, Duration> offsets = new LinkedHashMap<>();
        for (Map.Entry<String, UpstreamSettings.Upstream> e : upstreams.all().entrySet()) {
            if (e.getValue().configured()) {
                // An upstream down for days keeps its last reading: only a recent one says how its clock is now.
                offsets.put(e.getKey(), probe.clock(e.getKey())
                        .filter(r -> r.measuredAt().isAfter(Instant.now().minus(CLOCK_READING_MAX_AGE)))
                        .map(UpstreamProbe.ClockReading::offset).orElse(null));
            }
        }
        return clockFinding(offsets);
    }

    /**
     * Judges the clock offsets of the configured upstreams (upstream minus tracker; null: not read yet).
     */
    static DoctorCheck clockFinding(Map<String, Duration> offsets) {
        String id = "tracker.clock";
        String title = "The tracker's clock agrees with the upstreams'";
        List<String> readings = new ArrayList<>();
        List<String> off = new ArrayList<>();
        Duration worst = Duration.ZERO;
        int ahead = 0;
        int behind = 0;
        int read = 0;
        for (Map.Entry<String, Duration> e : offsets.entrySet()) {
            Duration offset = e.getValue();
            if (offset == null) {
                readings.add(e.getKey() + " no recent reading");
                continue;
            }
            read++;
            readings.add(e.getKey() + " " + signed(offset));
            if (offset.abs().compareTo(CLOCK_FINE) >= 0) {
                off.add(e.getKey());
                if (offset.isNegative()) {
                    behind++;
                } else {
                    ahead++;
                }
            }
            if (offset.abs().compareTo(worst) > 0) {
                worst = offset.abs();
            }
        }
        if (readings.isEmpty()) {
            return DoctorCheck.of(id, "tracker", title, Result.UNKNOWN, "No upstream is configured",
                    "The clocks are compared through the upstreams' answers.", "Configure at least one upstream.");
        }
        String found = "Upstream clock minus the tracker's: " + String.join(", ", readings);
        if (off.isEmpty()) {
            return read == 0
                    ? DoctorCheck.of(id, "tracker", title, Result.UNKNOWN, found + " (the reachability check reads"
                            + " them every UPSTREAM_CHECK_EVERY)", "The clocks are compared through the upstreams'"
                            + " answers.", "Run the checks again in a minute.")
                    : DoctorCheck.ok(id, "tracker", title, found);
        }
        // Several upstreams off the same way, and none agreeing: the tracker's clock is the odd one out.
        boolean trackerIsOff = off.size() >= 2 && off.size() == read && (ahead == 0 || behind == 0);
        String whose = trackerIsOff ? "the tracker's host (every upstream disagrees with it the same way)"
                : off.size() == 1 ? off.get(0) + "'s host" : "the hosts of " + String.join(" and ", off);
        Result result = worst.compareTo(CLOCK_BREAKS_READS) >= 0 ? Result.PROBLEM : Result.WARNING;
        String why = result == Result.PROBLEM
                ? "The tracker reads Sonarr's and Radarr's history with 5 minutes of overlap and Jellyfin's changes"
                        + " with 10; a clock behind by more than that can make it miss grabs, imports and new items, and"
                        + " \"stuck for\" times are wrong."
                : "Timeline times and \"stuck for\" durations are off by as much; past 5 minutes the tracker's"
                        + " incremental reads start to miss changes.";
        return DoctorCheck.of(id, "tracker", title, result, found, why, "Turn on time synchronisation on " + whose
                + " (timedatectl set-ntp true, or chrony); an LXC or Docker container uses its host's clock, so fix"
                + " it on the host. TZ only changes how times are shown, not the clock.");
    }

    private Uni<DoctorCheck> database(DoctorRun run) {
        String id = "tracker.database";
        String title = "The database stays small: old raw events are pruned";
        int days = config.retention().eventDays();
        return database.read().ifNoItem().after(run.timeout()).fail().map(stats -> {
            String found = "Database " + size(stats.databaseBytes()) + ": " + stats.requests() + " requests, "
                    + stats.inboundEvents() + " raw events (" + size(stats.inboundBytes()) + ")"
                    + (stats.oldestInbound() == null ? ""
                            : ", the oldest received " + stats.oldestInbound().atOffset(ZoneOffset.UTC).toLocalDate())
                    + "; raw events are kept " + days + " days (EVENT_RETENTION_DAYS)";
            // Pruning runs every RETENTION_PRUNE_EVERY; a day on top of that is plenty of slack.
            Instant expectedOldest = Instant.now().minus(Duration.ofDays(days)).minus(config.retention().pruneEvery())
                    .minus(Duration.ofDays(1));
            if (stats.oldestInbound() != null && stats.oldestInbound().isBefore(expectedOldest)) {
                return DoctorCheck.of(id, "tracker", title, Result.WARNING, found, "Raw events older than "
                        + days + " days should have been deleted: the database grows without end.",
                        "Look for \"retention\" in the tracker's log (it runs every RETENTION_PRUNE_EVERY); a failing"
                                + " database or a disk that is full stops it.");
            }
            if (stats.databaseBytes() >= DATABASE_LARGE_BYTES) {
                return DoctorCheck.of(id, "tracker", title, Result.WARNING, found, "A tracker database is usually"
                        + " well under 100 MB; this much costs disk and backup time.", "Lower EVENT_RETENTION_DAYS"
                                + " (raw events are " + size(stats.inboundBytes()) + " of it); PostgreSQL reuses"
                                + " the freed space, VACUUM FULL gives it back to the disk.");
            }
            return DoctorCheck.ok(id, "tracker", title, found);
        }).onFailure().recoverWithItem(f -> DoctorCheck.of(id, "tracker", title, Result.UNKNOWN,
                "The database could not be asked: " + (f instanceof io.smallrye.mutiny.TimeoutException
                        ? "no answer within " + run.timeout().toSeconds() + " s" : SecretMasker.describe(f)),
                "The tracker stores every request and event there.", "See GET /q/health/ready and the tracker's"
                        + " log."));
    }

    /** {@code +2 s}, {@code -3 min 12 s}. */
    static String signed(Duration offset) {
        long seconds = Math.abs(offset.toMillis()) / 1000;
        String sign = offset.isNegative() && seconds > 0 ? "-" : "+";
        if (seconds < 60) {
            return sign + seconds + " s";
        }
        if (seconds < 3600) {
            return sign + seconds / 60 + " min " + seconds % 60 + " s";
        }
        return sign + seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.0f kB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }
}
