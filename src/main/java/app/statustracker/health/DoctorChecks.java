package app.statustracker.health;

import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * One group of the setup doctor's checks (an upstream, or the tracker itself). {@link SetupDoctor} runs every group's
 * checks concurrently; each check keeps a stable id so the status page and tests can find it.
 */
public interface DoctorChecks {

    /**
     * This group's checks for one run. Wrap each upstream read in {@link DoctorRun#guarded} so that an upstream that
     * is not configured, down or slow gives {@code unknown} within the time limit.
     */
    List<Uni<DoctorCheck>> checks(DoctorRun run);
}
