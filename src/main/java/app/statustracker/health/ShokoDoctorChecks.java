package app.statustracker.health;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import app.statustracker.client.RadarrClient;
import app.statustracker.client.ShokoClient;
import app.statustracker.client.SonarrClient;
import app.statustracker.client.UpstreamException;
import app.statustracker.config.TrackerConfig;
import app.statustracker.health.DoctorCheck.Result;
import app.statustracker.health.MediaServerFindings.Root;
import app.statustracker.service.SecretMasker;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Shoko's side (issue 8): it answers with the tracker's key, and its import folders' paths can be turned into the
 * paths Sonarr and Radarr import to, which is how Shoko's events find their request (ShokoIntake). Only reads.
 */
@ApplicationScoped
public class ShokoDoctorChecks implements DoctorChecks {

    static final String IMPORT_FOLDERS_TITLE = "Shoko's import folders lead to Sonarr's and Radarr's root folders";

    /** One *arr's root folders, or why they are not known. */
    private record Roots(List<Root> roots, String missing) {
    }

    private final ShokoClient shoko;
    private final SonarrClient sonarr;
    private final RadarrClient radarr;
    private final TrackerConfig config;

    public ShokoDoctorChecks(ShokoClient shoko, SonarrClient sonarr, RadarrClient radarr, TrackerConfig config) {
        this.shoko = shoko;
        this.sonarr = sonarr;
        this.radarr = radarr;
        this.config = config;
    }

    @Override
    public List<Uni<DoctorCheck>> checks(DoctorRun run) {
        return List.of(run.guarded("shoko.import-folders", "shoko", IMPORT_FOLDERS_TITLE, shoko.configured(),
                "SHOKO_HOST and SHOKO_API_KEY (and ENABLE_SHOKO=true)",
                () -> run.once("shoko.importfolders", shoko::importFolderList)
                        .chain(folders -> Uni.combine().all()
                        .unis(roots("Sonarr", sonarr.configured(), () -> run.once("sonarr.rootfolder",
                                sonarr::rootFolders)),
                                roots("Radarr", radarr.configured(), () -> run.once("radarr.rootfolder",
                                        radarr::rootFolders)))
                        .asTuple().map(t -> {
                            List<Root> roots = new ArrayList<>(t.getItem1().roots());
                            roots.addAll(t.getItem2().roots());
                            List<String> missing = new ArrayList<>();
                            for (Roots r : List.of(t.getItem1(), t.getItem2())) {
                                if (r.missing() != null) {
                                    missing.add(r.missing());
                                }
                            }
                            return MediaServerFindings.shokoImportFolders(folders, roots, missing,
                                    config.shoko().pathMap().orElse(List.of()), config.mediaPathPrefix());
                        }))
                        .onFailure(DoctorRun::keyRefused).recoverWithItem(f -> keyRefused(
                                ((UpstreamException) f).status()))));
    }

    private static Uni<Roots> roots(String service, boolean configured,
            java.util.function.Supplier<Uni<List<JsonNode>>> read) {
        if (!configured) {
            return Uni.createFrom().item(new Roots(List.of(), service + " is not configured"));
        }
        return Uni.createFrom().deferred(read::get).map(list -> {
            List<Root> roots = new ArrayList<>();
            for (JsonNode r : list) {
                String path = r.path("path").asText("");
                if (!path.isBlank()) {
                    roots.add(new Root(service, path));
                }
            }
            return new Roots(roots, roots.isEmpty() ? service + " has no root folders" : null);
        }).onFailure().recoverWithItem(f -> new Roots(List.of(), service + "'s root folders could not be read: "
                + SecretMasker.maskText(String.valueOf(f.getMessage()))));
    }

    private static DoctorCheck keyRefused(int status) {
        return DoctorCheck.of("shoko.import-folders", "shoko", IMPORT_FOLDERS_TITLE, Result.PROBLEM, "Shoko refuses"
                + " the tracker's key (HTTP " + status + " on /api/v3/ImportFolder)", "Without a valid key the tracker"
                        + " cannot read Shoko's files or link unmatched ones, and Shoko 6 refuses its SignalR"
                        + " connection: anime requests wait in anime_matching.",
                "Get a key with POST http://<shoko>:8111/api/auth {\"user\": …, \"pass\": …, \"device\": \"tracker\"}"
                        + " and put it in SHOKO_API_KEY; restart the tracker.");
    }
}
