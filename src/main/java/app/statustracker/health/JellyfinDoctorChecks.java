package app.statustracker.health;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import app.statustracker.client.JellyfinClient;
import app.statustracker.client.ShokoClient;
import app.statustracker.client.UpstreamException;
import app.statustracker.config.TrackerConfig;
import app.statustracker.service.SecretMasker;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Jellyfin's side of the wiring (issue 8): the key works; the Webhook plugin sends Item Added here; for anime,
 * Shokofin keeps its SignalR connection to Shoko and maps every library it manages to one of Shoko's import folders
 * (the seed deployment's two failures). Judged by {@link MediaServerFindings}; only reads.
 */
@ApplicationScoped
public class JellyfinDoctorChecks implements DoctorChecks {

    static final String API_KEY_TITLE = "Jellyfin accepts the tracker's API key";
    static final String WEBHOOK_TITLE = "Jellyfin's Webhook plugin tells this tracker about new items";
    static final String SIGNALR_TITLE = "Shokofin hears Shoko's file events (SignalR)";
    static final String LIBRARIES_TITLE = "Every Shokofin library is mapped to a Shoko import folder";
    private static final String SETTINGS = "JELLYFIN_HOST and JELLYFIN_API_KEY";

    /** Shokofin's plugin entry and configuration; both null when it is not installed. */
    private record Shokofin(JsonNode plugin, JsonNode config) {
    }

    private final JellyfinClient jellyfin;
    private final ShokoClient shoko;
    private final TrackerConfig config;

    public JellyfinDoctorChecks(JellyfinClient jellyfin, ShokoClient shoko, TrackerConfig config) {
        this.jellyfin = jellyfin;
        this.shoko = shoko;
        this.config = config;
    }

    @Override
    public List<Uni<DoctorCheck>> checks(DoctorRun run) {
        String url = run.trackerUrl();
        boolean configured = jellyfin.configured();
        // One read of the plugin list and of Shokofin's settings per run, shared by the checks that need them.
        Uni<List<JsonNode>> plugins = Uni.createFrom().deferred(jellyfin::plugins).memoize().indefinitely();
        Uni<Shokofin> shokofin = plugins.chain(list -> {
            JsonNode plugin = MediaServerFindings.plugin(list, MediaServerFindings.SHOKOFIN_PLUGIN_ID, "Shoko",
                    "Shokofin");
            if (plugin == null || !MediaServerFindings.active(plugin)) {
                return Uni.createFrom().item(new Shokofin(plugin, null));
            }
            return jellyfin.pluginConfiguration(MediaServerFindings.guid(plugin.path("Id").asText()))
                    .map(c -> new Shokofin(plugin, c));
        }).memoize().indefinitely();
        MediaServerFindings.Polling polling = new MediaServerFindings.Polling(config.verification().enabled(),
                config.verification().every().toString().substring(2).toLowerCase(java.util.Locale.ROOT));
        boolean secretSet = config.webhook().secretFor("jellyfin").isPresent();
        return List.of(
                run.guarded("jellyfin.api-key", "jellyfin", API_KEY_TITLE, configured, SETTINGS,
                        () -> jellyfin.systemInfo().map(MediaServerFindings::apiKeyOk)
                                .onFailure(DoctorRun::keyRefused)
                                .recoverWithItem(f -> MediaServerFindings
                                        .apiKeyRefused(((UpstreamException) f).status()))),
                run.guarded("jellyfin.webhook-plugin", "jellyfin", WEBHOOK_TITLE, configured, SETTINGS,
                        () -> plugins.chain(list -> {
                            JsonNode plugin = MediaServerFindings.plugin(list, MediaServerFindings.WEBHOOK_PLUGIN_ID,
                                    "Webhook");
                            if (plugin == null || !MediaServerFindings.active(plugin)) {
                                return Uni.createFrom().item(
                                        MediaServerFindings.webhookPluginMissing(plugin, polling, url));
                            }
                            return jellyfin.pluginConfiguration(MediaServerFindings.guid(plugin.path("Id").asText()))
                                    .map(c -> MediaServerFindings.webhookDestination(plugin, c, url, secretSet,
                                            polling));
                        })),
                run.guarded("jellyfin.shokofin-signalr", "jellyfin", SIGNALR_TITLE, configured, SETTINGS,
                        () -> shokofin.chain(s -> {
                            DoctorCheck notThere = notThere("jellyfin.shokofin-signalr", SIGNALR_TITLE, s);
                            if (notThere != null) {
                                return Uni.createFrom().item(notThere);
                            }
                            return run.once("jellyfin.virtualfolders", jellyfin::virtualFolders).onFailure()
                                    .recoverWithItem(List.of())
                                    .map(v -> MediaServerFindings.shokofinSignalR(s.plugin(), s.config(), v));
                        })),
                run.guarded("jellyfin.shokofin-libraries", "jellyfin", LIBRARIES_TITLE, configured, SETTINGS,
                        () -> shokofin.chain(s -> {
                            DoctorCheck notThere = notThere("jellyfin.shokofin-libraries", LIBRARIES_TITLE, s);
                            if (notThere != null) {
                                return Uni.createFrom().item(notThere);
                            }
                            // Library names come from Jellyfin when Shokofin's settings lack them; Shoko's folders
                            // prove the mapped ids exist. Either missing only narrows what can be said.
                            Uni<List<JsonNode>> folders = run.once("jellyfin.virtualfolders",
                                    jellyfin::virtualFolders).onFailure()
                                    .recoverWithItem(List.of());
                            Uni<ShokoFolders> shokoFolders = !shoko.configured()
                                    ? Uni.createFrom().item(new ShokoFolders(null, "Shoko is not configured in the"
                                            + " tracker; only unmapped folders can be seen"))
                                    : run.once("shoko.importfolders", shoko::importFolderList)
                                            .map(list -> new ShokoFolders(list, null)).onFailure()
                                            .recoverWithItem(f -> new ShokoFolders(null, "Shoko could not be asked: "
                                                    + SecretMasker.maskText(String.valueOf(f.getMessage()))));
                            return Uni.combine().all().unis(folders, shokoFolders).asTuple()
                                    .map(t -> MediaServerFindings.shokofinLibraries(s.plugin(), s.config(),
                                            t.getItem1(), t.getItem2().folders(), t.getItem2().note()));
                        })));
    }

    /** Shoko's import folders, or why they are not known. */
    private record ShokoFolders(List<ShokoClient.ImportFolder> folders, String note) {
    }

    /** The finding when Shokofin is not installed or not running; null when it runs. */
    private DoctorCheck notThere(String id, String title, Shokofin s) {
        if (s.plugin() == null && !shoko.configured()) {
            return MediaServerFindings.shokofinNotUsed(id, title);
        }
        if (s.plugin() == null && id.equals("jellyfin.shokofin-libraries")) {
            // Said once, by the SignalR check: here there is simply nothing to look at.
            return DoctorCheck.of(id, "jellyfin", title, DoctorCheck.Result.UNKNOWN, "Shokofin is not installed, so"
                    + " it maps no library", "See jellyfin.shokofin-signalr.", "Install Shokofin first (see"
                            + " jellyfin.shokofin-signalr).");
        }
        if (s.config() == null) {
            return MediaServerFindings.shokofinMissing(id, title, s.plugin());
        }
        return null;
    }
}
