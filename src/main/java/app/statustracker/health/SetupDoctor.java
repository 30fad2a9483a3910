package app.statustracker.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import app.statustracker.config.TrackerConfig;
import app.statustracker.health.DoctorCheck.Result;
import io.quarkus.arc.All;
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

    private final List<DoctorChecks> groups;
    private final TrackerConfig config;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Report latest = new Report(null, false, List.of());

    public SetupDoctor(@All List<DoctorChecks> groups, TrackerConfig config) {
        this.groups = groups;
        this.config = config;
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
        DoctorRun run = DoctorRun.of(config.publicUrl().orElse(null), config.doctor().checkTimeout());
        return Uni.createFrom().deferred(() -> {
            List<Uni<DoctorCheck>> checks = new ArrayList<>();
            for (DoctorChecks group : groups) {
                checks.addAll(group.checks(run));
            }
            return Uni.join().all(checks).andCollectFailures();
        }).map(found -> {
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
}
