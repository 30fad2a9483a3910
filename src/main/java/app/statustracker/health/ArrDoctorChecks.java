package app.statustracker.health;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import app.statustracker.client.QbittorrentClient;
import app.statustracker.client.RadarrClient;
import app.statustracker.client.SonarrClient;
import app.statustracker.service.SecretMasker;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether Sonarr and Radarr deliver to the tracker and import what they grab: the last webhook send did not fail, the
 * download category lands outside the root folders, and nothing waits in the queue for a manual import. Reads only;
 * judged by {@link ArrSetupFindings}.
 */
@ApplicationScoped
public class ArrDoctorChecks implements DoctorChecks {

    /** The reads one *arr offers the checks; Sonarr's and Radarr's clients share no interface for them. */
    private record Arr(String service, String label, boolean configured, String settings,
            Supplier<Uni<List<JsonNode>>> health, Supplier<Uni<List<JsonNode>>> notifications,
            Supplier<Uni<List<JsonNode>>> downloadClients, Supplier<Uni<List<JsonNode>>> rootFolders,
            Supplier<Uni<List<JsonNode>>> remotePathMappings, Supplier<Uni<List<JsonNode>>> queue) {
    }

    private final List<Arr> arrs;
    private final QbittorrentClient qbittorrent;

    public ArrDoctorChecks(SonarrClient sonarr, RadarrClient radarr, QbittorrentClient qbittorrent) {
        this.qbittorrent = qbittorrent;
        this.arrs = List.of(
                new Arr("sonarr", "Sonarr", sonarr.configured(), "SONARR_HOST and SONARR_API_KEY", sonarr::health,
                        sonarr::notifications, sonarr::downloadClients, sonarr::rootFolders,
                        sonarr::remotePathMappings, () -> sonarr.queueAndHistory().queue()),
                new Arr("radarr", "Radarr", radarr.configured(), "RADARR_HOST and RADARR_API_KEY", radarr::health,
                        radarr::notifications, radarr::downloadClients, radarr::rootFolders,
                        radarr::remotePathMappings, () -> radarr.queueAndHistory().queue()));
    }

    @Override
    public List<Uni<DoctorCheck>> checks(DoctorRun run) {
        List<Uni<DoctorCheck>> checks = new ArrayList<>();
        for (Arr arr : arrs) {
            String s = arr.service();
            String l = arr.label();
            Supplier<Uni<List<JsonNode>>> health = () -> run.once(s + ".health", arr.health());
            Supplier<Uni<List<JsonNode>>> notifications = () -> run.once(s + ".notifications",
                    arr.notifications());
            Supplier<Uni<List<JsonNode>>> rootFolders = () -> run.once(s + ".rootfolder", arr.rootFolders());
            checks.add(run.guarded(s + ".webhook-delivery", s, l + "'s last webhook to this tracker did not fail",
                    arr.configured(), arr.settings(),
                    () -> Uni.combine().all().unis(health.get(), notifications.get()).asTuple()
                            .map(t -> ArrSetupFindings.webhookDelivery(s, l, t.getItem1(), t.getItem2(),
                                    run.trackerUrl()))));
            checks.add(run.guarded(s + ".import-paths", s, l + "'s download category lands where it imports from",
                    arr.configured(), arr.settings(),
                    () -> Uni.combine().all().unis(health.get(), arr.downloadClients().get(),
                            rootFolders.get(), arr.remotePathMappings().get(), qbittorrent(run)).asTuple()
                            .map(t -> ArrSetupFindings.importPaths(s, l, t.getItem1(), t.getItem2(), t.getItem3(),
                                    t.getItem4(), t.getItem5().orElse(null)))));
            checks.add(run.guarded(s + ".queue-stuck", s, "No download waits in " + l + "'s queue for a manual import",
                    arr.configured(), arr.settings(),
                    () -> arr.queue().get().map(queue -> ArrSetupFindings.queueStuck(s, l, queue))));
        }
        return checks;
    }

    /**
     * qBittorrent's categories and default save path, for the import-paths checks; empty when the tracker has no
     * qBittorrent. Within half the check's time limit: qBittorrent down or slow is said in the finding, it does not
     * make the *arr's check unknown.
     */
    private Uni<java.util.Optional<ArrSetupFindings.Qbittorrent>> qbittorrent(DoctorRun run) {
        if (!qbittorrent.configured()) {
            return Uni.createFrom().item(java.util.Optional.empty());
        }
        return Uni.combine().all().unis(run.once("qbittorrent.categories", qbittorrent::categories),
                run.once("qbittorrent.preferences", qbittorrent::preferences)).asTuple()
                .map(t -> new ArrSetupFindings.Qbittorrent(t.getItem1(), t.getItem2(), null))
                .ifNoItem().after(run.timeout().dividedBy(2)).fail()
                .onFailure().recoverWithItem(f -> new ArrSetupFindings.Qbittorrent(null, null, f instanceof TimeoutException
                        ? "no answer within " + run.timeout().dividedBy(2).toMillis() + " ms"
                        : SecretMasker.maskText(String.valueOf(f.getMessage()))))
                .map(java.util.Optional::of);
    }
}
