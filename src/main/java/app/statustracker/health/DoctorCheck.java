package app.statustracker.health;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One finding of the setup doctor: what was checked, what was found, why it matters for tracking requests, and the
 * exact fix. Never contains a key.
 *
 * @param id       stable id, e.g. {@code sonarr.webhook}
 * @param upstream the service it is about ({@code tracker} for the tracker's own settings)
 * @param title    what should be true, in words
 * @param result   ok, warning, problem or unknown (the upstream could not be asked)
 * @param found    what the check saw
 * @param why      what goes wrong for tracking when it is not right; null when ok
 * @param fix      which screen, which field, which value; null when ok
 */
@RegisterForReflection
public record DoctorCheck(String id, String upstream, String title, Result result, String found, String why,
        String fix, Instant checkedAt) {

    public enum Result {
        OK, WARNING, PROBLEM, UNKNOWN;

        @JsonValue
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static DoctorCheck ok(String id, String upstream, String title, String found) {
        return new DoctorCheck(id, upstream, title, Result.OK, found, null, null, Instant.now());
    }

    static DoctorCheck of(String id, String upstream, String title, Result result, String found, String why,
            String fix) {
        return new DoctorCheck(id, upstream, title, result, found, why, fix, Instant.now());
    }
}
