package app.statustracker.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import app.statustracker.client.UpstreamException;
import app.statustracker.health.DoctorCheck.Result;
import app.statustracker.service.SecretMasker;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;

/**
 * What every check of one doctor run shares: the tracker's address for fix texts and the time limit per check.
 *
 * @param trackerUrl the tracker's address as the upstreams reach it ({@code TRACKER_URL}, else
 *                   {@code http://<tracker>:8000}), without a trailing slash
 * @param timeout    the time limit of one check ({@code DOCTOR_CHECK_TIMEOUT})
 * @param reads      the upstream reads of this run, shared by its checks ({@link #once})
 */
public record DoctorRun(String trackerUrl, Duration timeout, Map<String, Uni<?>> reads) {

    /** The address fix texts use when {@code TRACKER_URL} is not set. */
    static final String PLACEHOLDER_URL = "http://<tracker>:8000";

    /** A run whose fix texts use {@code publicUrl} (blank or null: the placeholder). */
    static DoctorRun of(String publicUrl, Duration timeout) {
        String url = publicUrl == null || publicUrl.isBlank() ? PLACEHOLDER_URL : publicUrl.trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return new DoctorRun(url, timeout, new ConcurrentHashMap<>());
    }

    /**
     * One read of an upstream per run, whichever checks need it: Sonarr's health, for instance, serves both the
     * delivery and the import-path check. The first caller starts it; later ones get its answer (or its failure).
     *
     * @param key what is read, e.g. {@code sonarr.health}
     */
    @SuppressWarnings("unchecked")
    public <T> Uni<T> once(String key, Supplier<Uni<T>> read) {
        return (Uni<T>) reads.computeIfAbsent(key,
                k -> Uni.createFrom().<T> deferred(read::get).memoize().indefinitely());
    }

    /**
     * A check that reads an upstream, with the time limit: not configured, down or slow makes it {@code unknown}, and
     * the failure's text is masked.
     *
     * @param settings what to set to configure the upstream, e.g. {@code SONARR_HOST and SONARR_API_KEY}
     * @param check    the read and its judgement; only called when the upstream is configured
     */
    public Uni<DoctorCheck> guarded(String id, String upstream, String title, boolean configured, String settings,
            Supplier<Uni<DoctorCheck>> check) {
        if (!configured) {
            return Uni.createFrom().item(notConfigured(id, upstream, title, settings));
        }
        return Uni.createFrom().<DoctorCheck> deferred(check::get).ifNoItem().after(timeout).fail()
                .onFailure().recoverWithItem(f -> unreachable(id, upstream, title, f, settings));
    }

    /** The finding for an upstream the tracker has no address or key for. */
    public static DoctorCheck notConfigured(String id, String upstream, String title, String settings) {
        return DoctorCheck.of(id, upstream, title, Result.UNKNOWN, upstream + " is not configured",
                "The tracker cannot read " + upstream + "'s settings without its address and API key.",
                "Set " + settings + ".");
    }

    /**
     * The finding for an upstream that failed or did not answer in time; its message masked. A refused key gets its
     * own fix: the upstream is up, but nothing can be read until the key is right.
     */
    DoctorCheck unreachable(String id, String upstream, String title, Throwable failure, String settings) {
        String found = failure instanceof TimeoutException
                ? upstream + " did not answer within " + timeout.toSeconds() + " s"
                : upstream + " could not be asked: " + SecretMasker.maskText(String.valueOf(failure.getMessage()));
        String why = "Until it answers, this check cannot tell whether " + upstream + " is set up for the tracker.";
        if (keyRefused(failure)) {
            Matcher key = KEY_VARIABLE.matcher(settings);
            return DoctorCheck.of(id, upstream, title, Result.UNKNOWN, found, why + " The tracker's other calls to "
                    + upstream + " are refused too.", "Copy the API key from " + upstream + " (Sonarr, Radarr,"
                    + " Jellyseerr: Settings → General → API Key) into " + (key.find() ? key.group() : settings)
                    + " and restart the tracker.");
        }
        return DoctorCheck.of(id, upstream, title, Result.UNKNOWN, found, why,
                "Check that " + upstream + " is up and reachable from the tracker; the status page shows its last"
                        + " error.");
    }

    /** The upstream answered that the tracker's key is wrong (401 or 403): it is up, the key is not. */
    static boolean keyRefused(Throwable failure) {
        return failure instanceof UpstreamException u && u.status() != null
                && (u.status() == 401 || u.status() == 403);
    }

    private static final Pattern KEY_VARIABLE = Pattern.compile("[A-Z]+_API_KEY");
}
