package app.statustracker.health;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import app.statustracker.client.ShokoClient.ImportFolder;
import app.statustracker.health.DoctorCheck.Result;
import app.statustracker.service.SecretMasker;

/**
 * Judges how Jellyfin, its Webhook and Shokofin plugins and Shoko are set up for the tracker (pure: JSON in,
 * {@link DoctorCheck} out). Shapes read: Jellyfin's {@code PluginInfo} and {@code VirtualFolderInfo}; the Webhook
 * plugin's configuration ({@code GenericOptions[]} / {@code GenericFormOptions[]} of {@code BaseOption}); Shokofin's
 * configuration in its three generations ({@code MediaFolders[]} with {@code ImportFolderId}, then with
 * {@code ManagedFolderId}, then {@code Libraries[]} + {@code LibraryFolders[]}). Jellyfin writes plugin configurations
 * with its default JSON options (PascalCase, enums as names); names are still matched ignoring case. Shokofin's
 * configuration also holds Shoko's credentials: only the fields judged here are ever quoted.
 */
final class MediaServerFindings {

    /** The Webhook plugin's id (jellyfin-plugin-webhook, WebhookPlugin.cs), as Jellyfin writes Guids. */
    static final String WEBHOOK_PLUGIN_ID = "71552a5a5c5c4350a2aeebe451a30173";
    /** Shokofin's id (Shokofin, Plugin.cs); its Name is "Shoko" (older) or "Shokofin". */
    static final String SHOKOFIN_PLUGIN_ID = "5216ccbfd24a4eb38a7e7da4230b7052";
    /** What Jellyfin logs for a Shokofin library mapped to no Shoko folder (the seed's deployment). */
    static final String EMPTY_FOLDER_LOG = "Unable to create a file checker because the folder is empty";

    private static final String WEBHOOK_SCREEN = "Jellyfin → Dashboard → Plugins → Webhook";
    private static final String SHOKOFIN_SCREEN = "Jellyfin → Dashboard → Plugins → Shokofin";

    /** How the tracker learns without the webhook: its scheduled check of Jellyfin. */
    record Polling(boolean enabled, String every) {
    }

    /** A Sonarr or Radarr root folder. */
    record Root(String service, String path) {
    }

    /** One Jellyfin media folder Shokofin manages. */
    private record MediaFolder(String libraryId, String library, String path, int managedFolderId, boolean ignored,
            Boolean fileEvents) {
    }

    private MediaServerFindings() {
    }

    // --- Jellyfin's key ---

    static DoctorCheck apiKeyOk(JsonNode info) {
        String name = text(info, "ServerName");
        String version = text(info, "Version");
        return DoctorCheck.ok("jellyfin.api-key", "jellyfin", JellyfinDoctorChecks.API_KEY_TITLE, "Jellyfin"
                + (name == null ? "" : " \"" + name + "\"") + (version == null ? "" : " " + version)
                + " answers with the key");
    }

    static DoctorCheck apiKeyRefused(int status) {
        return DoctorCheck.of("jellyfin.api-key", "jellyfin", JellyfinDoctorChecks.API_KEY_TITLE, Result.PROBLEM,
                "Jellyfin refuses the tracker's key (HTTP " + status + " on /System/Info)",
                "Without a valid key the tracker cannot ask Jellyfin what is playable: no request becomes available"
                        + " and \"Watch\" links are missing.",
                "Jellyfin → Dashboard → API Keys → + → App name \"status-tracker\"; put the new key in"
                        + " JELLYFIN_API_KEY and restart the tracker.");
    }

    // --- Webhook plugin ---

    static String webhookWhy(Polling polling) {
        return polling.enabled()
                ? "Without Jellyfin's Item Added webhook the tracker learns that a movie or episode is playable only"
                        + " from its scheduled check of Jellyfin (ENABLE_JELLYFIN_VERIFICATION, every VERIFY_EVERY = "
                        + polling.every() + "): verification then relies on polling and requests become available a"
                        + " little later."
                : "ENABLE_JELLYFIN_VERIFICATION is false, so the webhook is the only way the tracker learns that media"
                        + " is playable: without it requests never become available.";
    }

    static String webhookSetup(String trackerUrl) {
        return "Add Generic Destination: Webhook Name \"status-tracker\", Webhook Url " + trackerUrl
                + "/hooks/jellyfin, tick Enable, Notification Type \"Item Added\", Item Type Movies, Episodes and"
                + " Series, tick \"Send All Properties\" (no Content-Type header needed); if WEBHOOK_SECRET is set,"
                + " add Header X-Webhook-Secret = the secret. Save.";
    }

    /** The plugin is not installed, or installed but not running (its {@code Status}). */
    static DoctorCheck webhookPluginMissing(JsonNode plugin, Polling polling, String trackerUrl) {
        String found = plugin == null ? "The Webhook plugin is not installed"
                : "The Webhook plugin " + version(plugin) + " is installed but " + status(plugin);
        String fix = plugin == null
                ? "Jellyfin → Dashboard → Plugins → Catalog → Webhook → Install, restart Jellyfin; then " + WEBHOOK_SCREEN
                        + " → " + webhookSetup(trackerUrl)
                : "Jellyfin → Dashboard → Plugins → My Plugins → Webhook: enable it (or restart Jellyfin); then check"
                        + " its Generic destination to " + trackerUrl + "/hooks/jellyfin.";
        return DoctorCheck.of("jellyfin.webhook-plugin", "jellyfin", JellyfinDoctorChecks.WEBHOOK_TITLE,
                polling.enabled() ? Result.WARNING : Result.PROBLEM, found, webhookWhy(polling), fix);
    }

    /**
     * The plugin's destinations: a Generic one to {@code /hooks/jellyfin}, enabled, with Item Added for movies and
     * episodes, sending JSON (Send All Properties or a template), carrying the secret when one is set.
     */
    static DoctorCheck webhookDestination(JsonNode plugin, JsonNode config, String trackerUrl, boolean secretSet,
            Polling polling) {
        String id = "jellyfin.webhook-plugin";
        String title = JellyfinDoctorChecks.WEBHOOK_TITLE;
        String why = webhookWhy(polling);
        List<String> others = new ArrayList<>();
        JsonNode best = null;
        int bestScore = -1;
        for (JsonNode d : elements(field(config, "GenericOptions"))) {
            String uri = text(d, "WebhookUri");
            if (uri != null && uri.contains("/hooks/jellyfin")) {
                int score = (enabled(d) ? 2 : 0) + (itemAdded(d) ? 1 : 0);
                if (score > bestScore) {
                    best = d;
                    bestScore = score;
                }
            } else {
                others.add(destinationName(d, "Generic"));
            }
        }
        JsonNode form = null;
        for (JsonNode d : elements(field(config, "GenericFormOptions"))) {
            String uri = text(d, "WebhookUri");
            if (uri != null && uri.contains("/hooks/jellyfin")) {
                form = d;
            } else {
                others.add(destinationName(d, "Generic Form"));
            }
        }
        if (best == null && form != null) {
            // A form post is refused (415): the tracker reads JSON only.
            return DoctorCheck.of(id, "jellyfin", title, Result.PROBLEM, "The Webhook plugin's destination "
                    + destinationName(form, "Generic Form") + " to /hooks/jellyfin is a Generic Form destination,"
                    + " whose form posts the tracker refuses (415)", why, WEBHOOK_SCREEN + ": delete that destination;"
                            + " " + webhookSetup(trackerUrl));
        }
        if (best == null) {
            return DoctorCheck.of(id, "jellyfin", title, polling.enabled() ? Result.WARNING : Result.PROBLEM,
                    "The Webhook plugin " + version(plugin) + " has no Generic destination to /hooks/jellyfin"
                            + (others.isEmpty() ? " (it has no destinations)"
                                    : " (its destinations: " + String.join(", ", others) + ")"),
                    why, WEBHOOK_SCREEN + " → " + webhookSetup(trackerUrl));
        }
        String name = destinationName(best, "Generic");
        String uri = WiringFindings.shownUrl(text(best, "WebhookUri"));
        List<String> wrong = new ArrayList<>();
        List<String> partly = new ArrayList<>();
        List<String> ticks = new ArrayList<>();
        if (!enabled(best)) {
            wrong.add("the destination is disabled");
            ticks.add("Enable");
        }
        if (!itemAdded(best)) {
            wrong.add("Item Added is not among its notification types");
            ticks.add("Notification Type \"Item Added\"");
        }
        boolean movies = bool(best, "EnableMovies");
        boolean episodes = bool(best, "EnableEpisodes");
        List<String> types = new ArrayList<>();
        if (!movies) {
            types.add("Movies");
        }
        if (!episodes) {
            types.add("Episodes");
        }
        if (has(best, "EnableSeries") && !bool(best, "EnableSeries")) {
            types.add("Series");
        }
        if (!movies && !episodes) {
            wrong.add("neither Movies nor Episodes are ticked");
        } else if (!types.isEmpty()) {
            partly.add("item type" + (types.size() > 1 ? "s " : " ") + String.join(", ", types) + " not ticked");
        }
        if (!types.isEmpty()) {
            ticks.add("Item Type " + String.join(", ", types));
        }
        String template = text(best, "Template");
        if (!bool(best, "SendAllProperties") && (template == null || template.isBlank())) {
            wrong.add("it sends neither all properties nor a template (an empty body)");
            ticks.add("\"Send All Properties\"");
        }
        if (secretSet && !carriesSecret(best)) {
            wrong.add("WEBHOOK_SECRET is set but the destination sends no X-Webhook-Secret header (its deliveries get"
                    + " 401)");
            ticks.add("Header X-Webhook-Secret = the secret");
        }
        String head = "Destination " + name + " → " + uri;
        if (!wrong.isEmpty() || !partly.isEmpty()) {
            List<String> all = new ArrayList<>(wrong);
            all.addAll(partly);
            return DoctorCheck.of(id, "jellyfin", title, wrong.isEmpty() ? Result.WARNING : Result.PROBLEM,
                    head + ": " + String.join("; ", all), why, WEBHOOK_SCREEN + " → " + name + ": tick "
                            + String.join(", ", ticks) + ". Save.");
        }
        return DoctorCheck.ok(id, "jellyfin", title, head + " sends Item Added for movies and episodes"
                + (bool(best, "SendAllProperties") ? " with all properties" : " with a template"));
    }

    private static boolean enabled(JsonNode destination) {
        // Older plugin versions have no EnableWebhook: their destinations are always on.
        return !has(destination, "EnableWebhook") || bool(destination, "EnableWebhook");
    }

    private static boolean itemAdded(JsonNode destination) {
        for (JsonNode t : elements(field(destination, "NotificationTypes"))) {
            // Jellyfin writes enum names; a number is the enum's value (ItemAdded = 1).
            if (t.isTextual() && "ItemAdded".equalsIgnoreCase(t.asText()) || t.isIntegralNumber() && t.asInt() == 1) {
                return true;
            }
        }
        return false;
    }

    private static boolean carriesSecret(JsonNode destination) {
        for (JsonNode h : elements(field(destination, "Headers"))) {
            String key = text(h, "Key");
            String value = text(h, "Value");
            if (key != null && value != null && !value.isBlank() && ("X-Webhook-Secret".equalsIgnoreCase(key.trim())
                    || "Authorization".equalsIgnoreCase(key.trim()))) {
                return true;
            }
        }
        String uri = text(destination, "WebhookUri");
        return uri != null && uri.contains("token=");
    }

    private static String destinationName(JsonNode destination, String kind) {
        String name = text(destination, "WebhookName");
        return name == null || name.isBlank() ? "(a " + kind + " destination without a name)" : "\"" + name + "\"";
    }

    // --- Shokofin ---

    static DoctorCheck shokofinNotUsed(String id, String title) {
        return DoctorCheck.ok(id, "jellyfin", title, "Not used: Shoko is not configured in the tracker and Shokofin is"
                + " not installed in Jellyfin");
    }

    /** Shoko is configured in the tracker, but Jellyfin has no Shokofin (or it does not run). */
    static DoctorCheck shokofinMissing(String id, String title, JsonNode plugin) {
        boolean installed = plugin != null;
        return DoctorCheck.of(id, "jellyfin", title, installed ? Result.PROBLEM : Result.WARNING,
                installed ? "Shokofin " + version(plugin) + " is installed but " + status(plugin)
                        : "Shoko is configured in the tracker, but Shokofin is not installed in Jellyfin",
                installed ? "Libraries that use Shokofin show nothing new while it does not run: anime stays in"
                        + " anime_matching until it times out."
                        : "Without Shokofin, Jellyfin shows anime with its own metadata and folder scanning, not"
                                + " Shoko's matches: what Shoko matched may not appear, and the tracker's refreshes"
                                + " for anime (VFS_REFRESH_AFTER) do not help.",
                installed ? "Jellyfin → Dashboard → Plugins → My Plugins → Shokofin (\"Shoko\"): enable it, or restart"
                        + " Jellyfin."
                        : "Jellyfin → Dashboard → Plugins → Repositories → + → Shokofin's repository (its URL is"
                                + " on docs.shokoanime.com); then Catalog → Shoko → Install, restart Jellyfin, and"
                                + " connect it to Shoko"
                                + " (Dashboard → Plugins → Shokofin → Connection). Or unset SHOKO_API_KEY if anime"
                                + " is not managed by Shoko.");
    }

    /** Shokofin's SignalR connection to Shoko: on at start, with file events for the libraries it manages. */
    static DoctorCheck shokofinSignalR(JsonNode plugin, JsonNode config, List<JsonNode> virtualFolders) {
        String id = "jellyfin.shokofin-signalr";
        String title = JellyfinDoctorChecks.SIGNALR_TITLE;
        String why = "Without its SignalR connection Shokofin does not hear Shoko's file events, so its virtual file"
                + " system is not regenerated when Shoko matches a file: the anime never appears in Jellyfin and the"
                + " request stays in anime_matching (the tracker's library refresh, VFS_REFRESH_AFTER, is only a slow"
                + " workaround). This was the seed deployment's failure.";
        if (!has(config, "SignalR_AutoConnectEnabled")) {
            return DoctorCheck.of(id, "jellyfin", title, Result.WARNING, "Shokofin " + version(plugin)
                    + " has no SignalR settings", why, "Update Shokofin (Jellyfin → Dashboard → Plugins → Catalog →"
                            + " Shoko), then tick \"Auto Connect on Start\" under " + SHOKOFIN_SCREEN + " → SignalR.");
        }
        if (!bool(config, "SignalR_AutoConnectEnabled")) {
            return DoctorCheck.of(id, "jellyfin", title, Result.PROBLEM, "Shokofin's SignalR connection to Shoko is"
                    + " off (\"Auto Connect on Start\" is not ticked)", why, SHOKOFIN_SCREEN + " → SignalR: tick \"Auto"
                            + " Connect on Start\", Save, then press Connect under Connection Status (it should read"
                            + " Enabled, Connected).");
        }
        List<String> noEvents = new ArrayList<>();
        List<MediaFolder> folders = mediaFolders(config, virtualFolders);
        Map<String, Boolean> byLibrary = new LinkedHashMap<>();
        for (MediaFolder f : folders) {
            if (!f.ignored() && f.fileEvents() != null) {
                byLibrary.merge(f.library(), f.fileEvents(), Boolean::logicalAnd);
            }
        }
        byLibrary.forEach((library, on) -> {
            if (!on) {
                noEvents.add("\"" + library + "\"");
            }
        });
        if (byLibrary.isEmpty() && has(config, "SignalR_FileEvents") && !bool(config, "SignalR_FileEvents")) {
            noEvents.add("all libraries");
        }
        if (!noEvents.isEmpty()) {
            return DoctorCheck.of(id, "jellyfin", title, Result.WARNING, "Shokofin connects to Shoko at start, but"
                    + " File Events are off for " + String.join(", ", noEvents), why, SHOKOFIN_SCREEN + " → SignalR:"
                            + " select " + String.join(", ", noEvents) + " and tick File Events. Save.");
        }
        return DoctorCheck.ok(id, "jellyfin", title, "Shokofin " + version(plugin) + " connects to Shoko's SignalR"
                + " hub at start" + (byLibrary.isEmpty() ? "" : ", with File Events for " + byLibrary.size()
                        + " librar" + (byLibrary.size() == 1 ? "y" : "ies")));
    }

    /**
     * Every media folder Shokofin manages is mapped to a Shoko import folder that exists.
     *
     * @param importFolders Shoko's import folders; null when unknown (Shoko not configured or not answering)
     * @param shokoNote     why they are unknown, for the found text; null when known
     */
    static DoctorCheck shokofinLibraries(JsonNode plugin, JsonNode config, List<JsonNode> virtualFolders,
            List<ImportFolder> importFolders, String shokoNote) {
        String id = "jellyfin.shokofin-libraries";
        String title = JellyfinDoctorChecks.LIBRARIES_TITLE;
        String why = "Shokofin fills a library only from the Shoko import folder its media folder is mapped to: with"
                + " none (or one Shoko does not have) the library's virtual folder stays empty — Jellyfin logs \""
                + EMPTY_FOLDER_LOG + "\" — so anime never appears in Jellyfin and requests wait in anime_matching"
                + " until they time out. This was the seed deployment's failure.";
        List<MediaFolder> folders = mediaFolders(config, virtualFolders).stream().filter(f -> !f.ignored()).toList();
        if (folders.isEmpty()) {
            return DoctorCheck.of(id, "jellyfin", title, Result.WARNING, "Shokofin " + version(plugin)
                    + " manages no library", "No Jellyfin library uses Shoko as its metadata provider, so Shoko's"
                            + " matches never reach Jellyfin.",
                    "Jellyfin → Dashboard → Libraries → Add Media Library (Shows or Movies, the folder with your"
                            + " anime): tick Shoko as the only metadata provider (and, for Shows, as the episode"
                            + " provider), Save; Shokofin maps it to its Shoko import folder at the next scan.");
        }
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        for (MediaFolder f : folders) {
            String where = "\"" + f.library() + "\" (media folder " + (f.path() == null ? "?" : f.path()) + ")";
            ImportFolder mapped = importFolders == null ? null
                    : importFolders.stream().filter(i -> i.id() == f.managedFolderId()).findFirst().orElse(null);
            if (f.managedFolderId() == 0 || importFolders != null && mapped == null) {
                problems.add(f.managedFolderId() == 0
                        ? where + " is mapped to no Shoko import folder (ManagedFolderId 0)"
                        : where + " is mapped to Shoko import folder " + f.managedFolderId() + ", which Shoko does"
                                + " not have");
                ImportFolder guess = guessImportFolder(f.path(), importFolders);
                // Shokofin shows the mapping read-only ("<path> | Not Mapped"); it maps a media folder itself, at a
                // library scan, once the folder holds files Shoko knows. Removing the library's settings makes it
                // map again.
                fixes.add("select \"" + f.library() + "\" (its Import Folder Mapping reads \"" + (f.path() == null
                        ? "<media folder>" : f.path()) + " | Not Mapped\"; it cannot be edited) and remove the"
                        + " library's settings there, so that Shokofin maps it again at the next library scan"
                        + (guess == null ? ""
                                : " (it should become Shoko's import folder " + guess.id()
                                        + (guess.name() == null ? "" : " \"" + guess.name() + "\"") + ", "
                                        + guess.path() + ")"));
            } else {
                fine.add(where + " → Shoko import folder " + f.managedFolderId()
                        + (mapped == null ? "" : " (" + mapped.path() + ")"));
            }
        }
        String known = importFolders == null ? " (not compared with Shoko's import folders: " + shokoNote + ")"
                : "";
        if (!problems.isEmpty()) {
            String shokoFolders = importFolders == null ? ""
                    : " Shoko's import folders: " + (importFolders.isEmpty() ? "none"
                            : String.join(", ", importFolders.stream().map(i -> i.id() + " " + i.path()).toList()))
                            + ".";
            return DoctorCheck.of(id, "jellyfin", title, Result.PROBLEM, String.join("; ", problems) + "."
                    + shokoFolders, why, SHOKOFIN_SCREEN + " → Library: " + String.join("; ", fixes)
                            + ". The media folder must hold files Shoko has imported (it lies in one of Shoko's import"
                            + " folders). Then Dashboard → Libraries → Scan All Libraries.");
        }
        return DoctorCheck.ok(id, "jellyfin", title, String.join("; ", fine) + known);
    }

    /** The import folder a media folder most likely belongs to: same last folder name, else the only one. */
    private static ImportFolder guessImportFolder(String mediaFolder, List<ImportFolder> importFolders) {
        if (importFolders == null || importFolders.isEmpty()) {
            return null;
        }
        String last = lastSegment(mediaFolder);
        for (ImportFolder i : importFolders) {
            if (last != null && last.equalsIgnoreCase(lastSegment(i.path()))) {
                return i;
            }
        }
        return importFolders.size() == 1 ? importFolders.get(0) : null;
    }

    /** The media folders of every Shokofin generation, with their library names. */
    private static List<MediaFolder> mediaFolders(JsonNode config, List<JsonNode> virtualFolders) {
        Map<String, String> names = new LinkedHashMap<>();
        for (JsonNode v : virtualFolders == null ? List.<JsonNode>of() : virtualFolders) {
            String itemId = guid(text(v, "ItemId"));
            if (itemId != null && text(v, "Name") != null) {
                names.put(itemId, text(v, "Name"));
            }
        }
        Map<String, JsonNode> libraries = new LinkedHashMap<>();
        for (JsonNode l : elements(field(config, "Libraries"))) {
            String libraryId = guid(text(l, "Id"));
            if (libraryId != null) {
                libraries.put(libraryId, l);
                if (text(l, "Name") != null && !text(l, "Name").isBlank()) {
                    names.putIfAbsent(libraryId, text(l, "Name"));
                }
            }
        }
        List<JsonNode> raw = new ArrayList<>();
        JsonNode top = field(config, "LibraryFolders");
        if (top != null && top.isArray()) {
            top.forEach(raw::add); // newest: one list of media folders, libraries apart
        } else if (!libraries.isEmpty()) {
            libraries.values().forEach(l -> elements(field(l, "MediaFolders")).forEach(raw::add));
        } else {
            elements(field(config, "MediaFolders")).forEach(raw::add); // older: one entry per media folder
        }
        List<MediaFolder> folders = new ArrayList<>();
        for (JsonNode m : raw) {
            String libraryId = guid(text(m, "LibraryId"));
            int managed = integer(m, "ManagedFolderId", "ImportFolderId");
            if (managed < 0 || bool(m, "IsVirtualRoot")) {
                continue; // the VFS root Shokofin adds to the library itself
            }
            String name = libraryId == null ? null : names.get(libraryId);
            if (name == null) {
                name = text(m, "LibraryName");
            }
            if (name == null) {
                name = libraryId == null ? "a library" : "library " + libraryId;
            }
            String path = text(m, "Path");
            if (path == null) {
                path = text(m, "MediaFolderPath");
            }
            JsonNode library = libraryId == null ? null : libraries.get(libraryId);
            Boolean events = has(library, "IsFileEventsEnabled") ? bool(library, "IsFileEventsEnabled")
                    : has(m, "IsFileEventsEnabled") ? bool(m, "IsFileEventsEnabled") : null;
            folders.add(new MediaFolder(libraryId, name, path, managed, bool(m, "IsIgnored"), events));
        }
        return folders;
    }

    // --- Shoko's import folders against Sonarr's and Radarr's root folders ---

    /**
     * Whether the tracker can turn Shoko's paths into Sonarr's/Radarr's (ShokoIntake.candidates): for each import
     * folder, its SHOKO_PATH_MAP mapping or the folder as is equals, holds or lies in a root folder; MEDIA_PATH_PREFIX
     * (which stands for every folder) only counts when it equals or lies in one.
     *
     * @param roots      the root folders read; empty with {@code notCompared} saying why
     * @param notCompared what could not be read ("Radarr is not configured")
     */
    static DoctorCheck shokoImportFolders(List<ImportFolder> folders, List<Root> roots, List<String> notCompared,
            List<String> pathMap, String mediaPathPrefix) {
        String id = "shoko.import-folders";
        String title = ShokoDoctorChecks.IMPORT_FOLDERS_TITLE;
        String why = "The tracker finds the request a Shoko event is about by the file's path: Shoko's import folder"
                + " and relative path turned into the path Sonarr or Radarr imported to (SHOKO_PATH_MAP, else the"
                + " folder as is, else MEDIA_PATH_PREFIX). When none leads into a Sonarr or Radarr root folder it falls"
                + " back to the file name alone, which fails when two files share a name, and the request waits in"
                + " anime_matching.";
        String skipped = notCompared.isEmpty() ? "" : " (" + String.join("; ", notCompared) + ")";
        if (folders.isEmpty()) {
            return DoctorCheck.of(id, "shoko", title, Result.PROBLEM, "Shoko has no import folders", "Shoko imports"
                    + " and matches nothing, so no anime request gets past anime_matching.",
                    "Shoko → Settings → Import Folders → Add: the folder where Sonarr and Radarr put anime"
                            + (roots.isEmpty() ? "" : " (their root folders: " + String.join(", ",
                                    roots.stream().map(Root::path).distinct().toList()) + ")")
                            + ", as Shoko's container sees it; tick Watch for new files.");
        }
        List<ImportFolder> compared = folders.stream().filter(f -> !f.dropSourceOnly()).toList();
        if (roots.isEmpty()) {
            return DoctorCheck.of(id, "shoko", title, Result.UNKNOWN, "Shoko answers with " + folders.size()
                    + " import folder" + (folders.size() == 1 ? "" : "s") + " (" + String.join(", ",
                            folders.stream().map(ImportFolder::path).toList()) + "), but no Sonarr or Radarr root"
                    + " folder was read to compare them with" + skipped, why, "Set SONARR_HOST/SONARR_API_KEY and"
                            + " RADARR_HOST/RADARR_API_KEY so that the paths can be compared.");
        }
        String prefix = trim(mediaPathPrefix);
        List<String> ok = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        Map<String, String> existing = new LinkedHashMap<>();
        for (String pair : pathMap) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                existing.put(trim(pair.substring(0, eq)), trim(pair.substring(eq + 1)));
            }
        }
        // The fix keeps the pairs already set and adds one per folder that leads nowhere.
        Map<String, String> suggested = new LinkedHashMap<>(existing);
        for (ImportFolder f : compared) {
            String folder = trim(f.path());
            String match = null;
            for (Map.Entry<String, String> m : existing.entrySet()) {
                String from = m.getKey();
                if (folder.equals(from) || folder.startsWith(from + "/")) {
                    String base = m.getValue() + folder.substring(from.length());
                    Root r = related(base, roots, true);
                    if (r != null) {
                        match = folder + " → " + base + " (SHOKO_PATH_MAP) " + relation(base, r);
                        break;
                    }
                }
            }
            if (match == null) {
                Root r = related(folder, roots, true);
                if (r != null) {
                    match = folder + " (as is) " + relation(folder, r);
                }
            }
            if (match == null) {
                Root r = related(prefix, roots, false);
                if (r != null) {
                    match = folder + " → " + prefix + " (MEDIA_PATH_PREFIX) " + relation(prefix, r);
                }
            }
            if (match != null) {
                ok.add(match);
            } else {
                Root guess = guessRoot(folder, roots);
                lost.add(folder);
                suggested.put(folder, guess == null ? "<the " + String.join(" or ", roots.stream().map(Root::service)
                        .distinct().toList()) + " root folder holding these files>" : guess.path());
            }
        }
        String drops = folders.size() == compared.size() ? ""
                : " (drop sources not compared: " + String.join(", ", folders.stream().filter(
                        ImportFolder::dropSourceOnly).map(ImportFolder::path).toList()) + ")";
        if (!lost.isEmpty()) {
            String map = String.join(",", suggested.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .toList());
            return DoctorCheck.of(id, "shoko", title, Result.WARNING, "Shoko's import folder"
                    + (lost.size() == 1 ? " " : "s ") + String.join(", ", lost) + " lead" + (lost.size() == 1 ? "s"
                            : "")
                    + " into no Sonarr or Radarr root folder (" + String.join(", ", roots.stream().map(r -> r
                            .service() + " " + r.path()).toList()) + ") with SHOKO_PATH_MAP, as is or with"
                    + " MEDIA_PATH_PREFIX=" + prefix + skipped + drops, why, "Set SHOKO_PATH_MAP=" + map
                            + " (each Shoko folder = the same folder as Sonarr and Radarr see it), then restart the"
                            + " tracker.");
        }
        return DoctorCheck.ok(id, "shoko", title, String.join("; ", ok) + skipped + drops);
    }

    /** A root folder the base equals, holds, or (when {@code holds}) lies in; null when none. */
    private static Root related(String base, List<Root> roots, boolean holds) {
        for (Root r : roots) {
            String root = trim(r.path());
            if (base.equals(root) || base.startsWith(root + "/") || holds && root.startsWith(base + "/")) {
                return r;
            }
        }
        return null;
    }

    private static String relation(String base, Root r) {
        String root = trim(r.path());
        String how = base.equals(root) ? "is " : base.startsWith(root + "/") ? "lies in " : "holds ";
        return how + r.service() + "'s root folder " + root;
    }

    /** The root folder a Shoko folder most likely is: same last folder name, else the most shared tail, else the only one. */
    private static Root guessRoot(String folder, List<Root> roots) {
        Root best = null;
        int bestShared = 0;
        String[] parts = folder.split("/");
        for (Root r : roots) {
            String[] rp = trim(r.path()).split("/");
            int shared = 0;
            while (shared < parts.length && shared < rp.length && !parts[parts.length - 1 - shared].isEmpty()
                    && parts[parts.length - 1 - shared].equalsIgnoreCase(rp[rp.length - 1 - shared])) {
                shared++;
            }
            if (shared > bestShared) {
                best = r;
                bestShared = shared;
            }
        }
        if (best == null && roots.stream().map(r -> trim(r.path())).distinct().count() == 1) {
            best = roots.get(0);
        }
        return best;
    }

    // --- reading ---

    /** A plugin by its id, else by one of its names; null when not installed. */
    static JsonNode plugin(List<JsonNode> plugins, String pluginId, String... names) {
        List<JsonNode> byId = new ArrayList<>();
        List<JsonNode> byName = new ArrayList<>();
        for (JsonNode p : plugins) {
            if (pluginId.equals(guid(text(p, "Id")))) {
                byId.add(p);
            } else if (java.util.Arrays.stream(names).anyMatch(n -> n.equalsIgnoreCase(text(p, "Name")))) {
                byName.add(p);
            }
        }
        return newestRunning(byId.isEmpty() ? byName : byId);
    }

    /**
     * Of the versions Jellyfin lists for one plugin (after an update the old one stays listed, {@code Superceded},
     * until a restart or for good), the one that runs: Active, else waiting for a restart, else the highest version.
     */
    private static JsonNode newestRunning(List<JsonNode> versions) {
        JsonNode best = null;
        for (JsonNode p : versions) {
            if (best == null || statusRank(p) > statusRank(best)
                    || statusRank(p) == statusRank(best) && compareVersions(text(p, "Version"), text(best, "Version")) > 0) {
                best = p;
            }
        }
        return best;
    }

    private static int statusRank(JsonNode plugin) {
        String status = text(plugin, "Status");
        if (status == null || "Active".equalsIgnoreCase(status)) {
            return 2;
        }
        return "Restart".equalsIgnoreCase(status) ? 1 : 0;
    }

    /** Dotted versions compared number by number ({@code 18.0.0.0} above {@code 17.2.0.0}); missing parts count 0. */
    static int compareVersions(String a, String b) {
        String[] x = a == null ? new String[0] : a.split("\\.");
        String[] y = b == null ? new String[0] : b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Long.compare(number(i < x.length ? x[i] : "0"), number(i < y.length ? y[i] : "0"));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static long number(String part) {
        try {
            return Long.parseLong(part.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether Jellyfin runs the plugin ({@code Status} Active; versions without a status: yes). */
    static boolean active(JsonNode plugin) {
        String status = text(plugin, "Status");
        return status == null || "Active".equalsIgnoreCase(status);
    }

    private static String status(JsonNode plugin) {
        String status = text(plugin, "Status");
        return "Restart".equalsIgnoreCase(status) ? "waits for Jellyfin to restart"
                : "not running (Status " + status + ")";
    }

    private static String version(JsonNode plugin) {
        String v = text(plugin, "Version");
        return v == null ? "" : v;
    }

    /** Jellyfin writes Guids as 32 hex digits; accept dashed and braced ones too. */
    static String guid(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return value.replace("-", "").replace("{", "").replace("}", "").trim().toLowerCase(Locale.ROOT);
    }

    /** The field under the name, ignoring case; null when absent or null. */
    static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode exact = node.get(name);
        if (exact != null && !exact.isNull()) {
            return exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isNull()) {
                return e.getValue();
            }
        }
        return null;
    }

    private static boolean has(JsonNode node, String name) {
        return field(node, name) != null;
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = field(node, name);
        return v == null || v.isContainerNode() ? null : v.asText();
    }

    private static boolean bool(JsonNode node, String name) {
        JsonNode v = field(node, name);
        return v != null && (v.isBoolean() ? v.booleanValue() : "true".equalsIgnoreCase(v.asText()));
    }

    /** The first of the fields that is present, as a number; 0 when none is. */
    private static int integer(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode v = field(node, name);
            if (v != null && (v.isNumber() || v.isTextual())) {
                try {
                    return v.isNumber() ? v.intValue() : Integer.parseInt(v.asText().trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(e -> {
                if (e.isObject() || e.isValueNode()) {
                    list.add(e);
                }
            });
        }
        return list;
    }

    /** Forward slashes, no trailing one (a Windows path from Shoko compares like any other). */
    private static String trim(String path) {
        String p = path == null ? "" : path.trim().replace('\\', '/');
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static String lastSegment(String path) {
        if (path == null) {
            return null;
        }
        String p = trim(path);
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
