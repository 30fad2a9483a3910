package app.statustracker.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import app.statustracker.client.JellyseerrClient;
import app.statustracker.client.RadarrClient;
import app.statustracker.client.SonarrClient;
import app.statustracker.config.TrackerConfig;
import app.statustracker.health.DoctorCheck.Result;
import app.statustracker.service.SecretMasker;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The setup doctor (issue 8): with the keys the tracker already holds it reads how each upstream is wired to it and
 * says exactly what to fix. It only reads, never changes an upstream. Each check has a time limit; an upstream that is
 * down or not configured makes its checks {@code unknown} without slowing the others. Runs at start-up
 * ({@code DOCTOR_DELAY}), every {@code DOCTOR_EVERY}, and on an admin's demand.
 */
@ApplicationScoped
public class SetupDoctor {

    private static final Logger LOG = Logger.getLogger(SetupDoctor.class);

    /** The latest run; {@code ranAt} null before the first. */
    @RegisterForReflection
    public record Report(Instant ranAt, boolean running, List<DoctorCheck> checks) {
    }

    private final SonarrClient sonarr;
    private final RadarrClient radarr;
    private final JellyseerrClient jellyseerr;
    private final app.statustracker.client.QbittorrentClient qbittorrent;
    private final TrackerConfig config;
    private final Duration timeout;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Report latest = new Report(null, false, List.of());

    public SetupDoctor(SonarrClient sonarr, RadarrClient radarr, JellyseerrClient jellyseerr,
            app.statustracker.client.QbittorrentClient qbittorrent, TrackerConfig config) {
        this.qbittorrent = qbittorrent;
        this.sonarr = sonarr;
        this.radarr = radarr;
        this.jellyseerr = jellyseerr;
        this.config = config;
        this.timeout = config.doctor().checkTimeout();
    }

    @Scheduled(every = "${tracker.doctor.every}", delayed = "${tracker.doctor.delay}", identity = "setup-doctor",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().replaceWithVoid().onFailure().recoverWithNull();
    }

    /** The latest report, as the status page shows it. */
    public Report latest() {
        return running.get() ? new Report(latest.ranAt(), true, latest.checks()) : latest;
    }

    /** Runs every check (concurrently); a run asked for while one runs waits for nothing and gets the latest. */
    public Uni<Report> run() {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().item(latest());
        }
        String url = trackerUrl();
        List<Uni<DoctorCheck>> checks = List.of(
                guarded("sonarr.webhook", "sonarr", "Sonarr sends its webhooks to this tracker", sonarr.configured(),
                        "SONARR_HOST and SONARR_API_KEY",
                        () -> sonarr.notifications().map(c -> WiringFindings.arrWebhook("sonarr", "Sonarr", c, url))),
                guarded("radarr.webhook", "radarr", "Radarr sends its webhooks to this tracker", radarr.configured(),
                        "RADARR_HOST and RADARR_API_KEY",
                        () -> radarr.notifications().map(c -> WiringFindings.arrWebhook("radarr", "Radarr", c, url))),
                guarded("jellyseerr.webhook", "jellyseerr", "Jellyseerr sends its webhooks to this tracker",
                        jellyseerr.configured(), "JELLYSEERR_HOST and JELLYSEERR_API_KEY",
                        () -> jellyseerr.webhookSettings().map(s -> WiringFindings.jellyseerrWebhook(s, url))),
                guarded("qbittorrent.completion-hook", "qbittorrent",
                        "qBittorrent tells this tracker when a download finishes", qbittorrent.configured(),
                        "QBIT_HOST (and QBIT_USERNAME/QBIT_PASSWORD)", () -> qbittorrent.version().chain(version ->
                                qbittorrent.preferences().map(p -> WiringFindings.qbittorrentHook(version.trim(), p,
                                        url)))),
                Uni.createFrom().item(this::webhookSecret));
        return Uni.join().all(checks).andCollectFailures().map(found -> {
            List<DoctorCheck> sorted = new ArrayList<>(found);
            sorted.sort(Comparator.comparing(DoctorCheck::id));
            Report report = new Report(Instant.now(), false, List.copyOf(sorted));
            latest = report;
            long problems = sorted.stream().filter(c -> c.result() == Result.PROBLEM).count();
            if (problems > 0) {
                LOG.warnf("setup doctor: %d problem(s): %s (details on the status page and GET /api/doctor)",
                        problems, sorted.stream().filter(c -> c.result() == Result.PROBLEM).map(DoctorCheck::id)
                                .toList());
            }
            return report;
        }).onTermination().invoke(() -> running.set(false));
    }

    /** A check with its time limit; an upstream not configured, down or slow makes it unknown. */
    private Uni<DoctorCheck> guarded(String id, String upstream, String title, boolean configured, String settings,
            Supplier<Uni<DoctorCheck>> check) {
        if (!configured) {
            return Uni.createFrom().item(DoctorCheck.of(id, upstream, title, Result.UNKNOWN, upstream
                    + " is not configured", "The tracker cannot read " + upstream + "'s settings without its address"
                    + " and API key.", "Set " + settings + "."));
        }
        return Uni.createFrom().<DoctorCheck> deferred(check::get).ifNoItem().after(timeout).fail()
                .onFailure().recoverWithItem(f -> DoctorCheck.of(id, upstream, title, Result.UNKNOWN,
                        f instanceof io.smallrye.mutiny.TimeoutException
                                ? upstream + " did not answer within " + timeout.toSeconds() + " s"
                                : upstream + " could not be asked: " + SecretMasker.maskText(String.valueOf(f.getMessage())),
                        "Until it answers, this check cannot tell whether " + upstream + " is wired to the tracker.",
                        "Check that " + upstream + " is up and reachable from the tracker; the status page shows its"
                                + " last error."));
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

    /** The tracker's address for fix texts: TRACKER_URL, else a placeholder the user recognises. */
    private String trackerUrl() {
        String url = config.publicUrl().map(String::trim).filter(u -> !u.isEmpty()).orElse("http://<tracker>:8000");
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
