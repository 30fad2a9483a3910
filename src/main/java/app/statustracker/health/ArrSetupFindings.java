package app.statustracker.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import app.statustracker.health.DoctorCheck.Result;
import app.statustracker.service.SecretMasker;

/**
 * Judges what Sonarr and Radarr say about delivering to this tracker and importing what they grab (pure: JSON in,
 * {@link DoctorCheck} out): their health checks ({@code GET /api/v3/health}, HealthResource {@code source} = the check's
 * class name), their download clients, root folders and remote path mappings, qBittorrent's categories, and the queue.
 * Every upstream text quoted is masked.
 */
final class ArrSetupFindings {

    /** Sonarr's and Radarr's health checks about getting a finished download imported (their class names). */
    static final Set<String> IMPORT_SOURCES = Set.of("DownloadClientRootFolderCheck", "RemotePathMappingCheck",
            "ImportMechanismCheck", "DownloadClientCheck", "DownloadClientStatusCheck", "RootFolderCheck",
            "DownloadClientRemovesCompletedDownloadsCheck", "DownloadClientSortingCheck");
    /** Queue records listed by name before "and N more". */
    static final int LISTED = 10;

    private ArrSetupFindings() {
    }

    /**
     * What the tracker knows of qBittorrent for the import-paths check.
     *
     * @param categories  {@code GET /api/v2/torrents/categories}; null when it could not be read
     * @param preferences {@code GET /api/v2/app/preferences} ({@code save_path}, {@code auto_tmm_enabled}); null when
     *                    it could not be read
     * @param problem     why it could not be read (masked); null when it was
     */
    record Qbittorrent(JsonNode categories, JsonNode preferences, String problem) {
    }

    /** The Webhook connections that point at {@code /hooks/<service>}, by name. */
    static List<String> trackerConnections(String service, List<JsonNode> connections) {
        List<String> names = new ArrayList<>();
        for (JsonNode c : connections) {
            String url = WiringFindings.field(c, "url");
            if ("Webhook".equalsIgnoreCase(c.path("implementation").asText("")) && url != null
                    && url.contains("/hooks/" + service)) {
                names.add(c.path("name").asText("?"));
            }
        }
        return names;
    }

    /**
     * {@code <service>.webhook-delivery}: the last send to the tracker did not fail. Sonarr and Radarr hold back a
     * connection whose sends fail (for a back-off that grows) and say so in their health: "Notifications unavailable
     * due to failures: A, B" (a warning), or "All notifications are unavailable due to failures" (an error).
     */
    static DoctorCheck webhookDelivery(String service, String label, List<JsonNode> health, List<JsonNode> connections,
            String trackerUrl) {
        String id = service + ".webhook-delivery";
        String title = label + "'s last webhook to this tracker did not fail";
        List<String> ours = trackerConnections(service, connections);
        String failing = null;
        for (JsonNode h : health) {
            if (!"NotificationStatusCheck".equals(h.path("source").asText("")) || isOk(h)) {
                continue;
            }
            String message = h.path("message").asText("");
            // "All …" is the only error this check raises; its message may be in the UI's language, the names not.
            boolean all = "error".equalsIgnoreCase(h.path("type").asText(""))
                    || message.toLowerCase(Locale.ROOT).startsWith("all notifications");
            if (all && !ours.isEmpty() || ours.stream().anyMatch(name -> names(message).contains(name))) {
                failing = message;
                break;
            }
        }
        if (ours.isEmpty()) {
            return DoctorCheck.ok(id, service, title, "No connection of " + label + " points at /hooks/" + service
                    + ", so there is no delivery to judge (" + service + ".webhook says what to set up)");
        }
        String connection = "\"" + ours.get(0) + "\"";
        if (failing == null) {
            return DoctorCheck.ok(id, service, title, label + "'s health does not report the Webhook " + connection
                    + " as failing");
        }
        return DoctorCheck.of(id, service, title, Result.PROBLEM, label + "'s health says \""
                + SecretMasker.maskText(failing) + "\": it holds back its Webhook " + connection + " after failed sends",
                "While " + label + " holds the connection back it sends the tracker nothing: grabs and imports are"
                        + " learnt only at the next reconciliation (RECONCILE_EVERY), deletions made in " + label
                        + " not at all.",
                "Check that " + trackerUrl + "/hooks/" + service + " is reachable from " + label + " (from its"
                        + " container or host: TRACKER_URL must be the address it can reach); then " + label
                        + " → Settings → Connect → " + connection + " → Test. If it fails, " + label
                        + " → System → Logs says why (a 401 means the connection's Password is not WEBHOOK_SECRET)."
                        + " After a successful Test, " + label + " sends again.");
    }

    /** The connection names a "…: A, B" message lists (everything after the last colon). */
    private static Set<String> names(String message) {
        Set<String> names = new LinkedHashSet<>();
        int colon = message.lastIndexOf(':');
        if (colon >= 0) {
            for (String n : message.substring(colon + 1).split(",")) {
                if (!n.isBlank()) {
                    names.add(n.trim());
                }
            }
        }
        return names;
    }

    private static boolean isOk(JsonNode health) {
        String type = health.path("type").asText("");
        return type.equalsIgnoreCase("ok") || type.equalsIgnoreCase("notice");
    }

    /** One thing the import-paths check found wrong. */
    private record Issue(Result result, String found, String why, String fix) {
    }

    /**
     * {@code <service>.import-paths}: the download client's category puts finished downloads where the *arr can and
     * will import them: a qBittorrent client is enabled, it has a category, qBittorrent saves that category outside
     * every root folder, and none of the *arr's own import health checks complains.
     *
     * @param qbittorrent what the tracker read from qBittorrent; null when the tracker has no qBittorrent (QBIT_HOST)
     */
    static DoctorCheck importPaths(String service, String label, List<JsonNode> health, List<JsonNode> clients,
            List<JsonNode> rootFolders, List<JsonNode> mappings, Qbittorrent qbittorrent) {
        String id = service + ".import-paths";
        String title = label + "'s download category lands where it imports from";
        boolean tv = "sonarr".equals(service);
        String categoryField = tv ? "tvCategory" : "movieCategory";
        String defaultCategory = tv ? "tv-sonarr" : "radarr";
        String clientsScreen = label + " → Settings → Download Clients";
        List<String> roots = new ArrayList<>();
        for (JsonNode r : rootFolders) {
            String path = r.path("path").asText("");
            if (!path.isBlank()) {
                roots.add(path);
            }
        }
        List<Issue> issues = new ArrayList<>();
        for (JsonNode h : health) {
            String source = h.path("source").asText("");
            if (IMPORT_SOURCES.contains(source) && !isOk(h)) {
                issues.add(new Issue(Result.PROBLEM, label + "'s health says \""
                        + SecretMasker.maskText(h.path("message").asText("")) + "\" (" + source + ")",
                        healthWhy(source, label), healthFix(source, label, clientsScreen)));
            }
        }
        List<JsonNode> enabled = clients.stream().filter(c -> c.path("enable").asBoolean(true)).toList();
        List<JsonNode> qbits = enabled.stream()
                .filter(c -> "QBittorrent".equalsIgnoreCase(c.path("implementation").asText(""))).toList();
        List<String> fine = new ArrayList<>();
        if (qbits.isEmpty()) {
            String others = String.join(", ", enabled.stream().map(c -> c.path("name").asText("?") + " ("
                    + c.path("implementationName").asText(c.path("implementation").asText("?")) + ")").toList());
            issues.add(new Issue(Result.WARNING, enabled.isEmpty() ? label + " has no enabled download client"
                    : label + " has no enabled qBittorrent client (its clients: " + others + ")",
                    "The tracker follows downloads in qBittorrent (progress, stalls, completion); a download elsewhere"
                            + " is seen only through " + label + "'s queue.",
                    clientsScreen + " → + → qBittorrent: Host and Port of your qBittorrent, Category "
                            + defaultCategory + "; Test, then Save."));
        }
        for (JsonNode client : qbits) {
            String name = client.path("name").asText("qBittorrent");
            String category = WiringFindings.field(client, categoryField);
            String screen = clientsScreen + " → " + name;
            if (category == null || category.isBlank()) {
                issues.add(new Issue(Result.WARNING, "Download client \"" + name + "\" has no Category",
                        "Without a category " + label + " cannot tell its downloads from the others in qBittorrent and"
                                + " does not import finished downloads it did not grab; the tracker then matches a"
                                + " download to its request by the downloadId alone.",
                        screen + " → Category: " + defaultCategory + ". Save."));
                continue;
            }
            String where = "\"" + name + "\" (category \"" + category + "\")";
            if (qbittorrent == null) {
                fine.add(where + "; where qBittorrent saves it is not checked (QBIT_HOST is not set)");
                continue;
            }
            if (qbittorrent.problem() != null || qbittorrent.categories() == null
                    || qbittorrent.preferences() == null) {
                fine.add(where + "; where qBittorrent saves it is not checked (qBittorrent could not be asked: "
                        + qbittorrent.problem() + ")");
                continue;
            }
            SavePath save = savePath(category, qbittorrent.categories(), qbittorrent.preferences());
            if (save.path() == null) {
                fine.add(where + "; qBittorrent reports no default save path");
                continue;
            }
            String local = mapped(save.path(), WiringFindings.field(client, "host"), mappings);
            String seen = local.equals(save.path()) ? save.path() : save.path() + " (" + label + " sees " + local + ")";
            String root = roots.stream().filter(r -> inside(local, r)).findFirst().orElse(null);
            if (root == null) {
                fine.add(where + " → " + seen + " (" + save.source() + "), outside the root folders "
                        + (roots.isEmpty() ? "(none)" : String.join(", ", roots)));
                continue;
            }
            String suggested = suggestion(root, category, save.fromCategory());
            String fix = save.fromCategory()
                    ? "qBittorrent → Categories (side panel) → right-click \"" + category + "\" → Edit category → Save"
                            + " path: " + suggested + " (outside " + root + "); then move what already finished there"
                            + " (select the torrents → Set location)."
                    : "qBittorrent → Options → Downloads → Default Save Path: " + suggested + " (outside " + root
                            + "); then move what already finished there (select the torrents → Set location).";
            issues.add(new Issue(Result.PROBLEM, "qBittorrent saves " + where + " downloads in " + seen + " ("
                    + save.source() + "), " + (local.equals(normal(root)) ? "which is" : "inside") + " " + label
                    + "'s root folder " + root,
                    label + " does not import from its own root folder: the download stays in its queue, the request"
                            + " stays \"downloaded\" and never becomes available.",
                    fix));
        }
        Result worst = issues.stream().map(Issue::result).anyMatch(r -> r == Result.PROBLEM) ? Result.PROBLEM
                : issues.isEmpty() ? Result.OK : Result.WARNING;
        if (worst == Result.OK) {
            return DoctorCheck.ok(id, service, title, "Download client " + String.join("; ", fine)
                    + "; no import warning in " + label + "'s health");
        }
        List<Issue> shown = issues.stream().sorted((a, b) -> Integer.compare(a.result().ordinal(),
                b.result().ordinal()) * -1).toList();
        Set<String> whys = new LinkedHashSet<>();
        shown.forEach(i -> whys.add(i.why()));
        List<String> fixes = new ArrayList<>(new LinkedHashSet<>(shown.stream().map(Issue::fix).toList()));
        String fix = fixes.size() == 1 ? fixes.get(0) : numbered(fixes);
        return DoctorCheck.of(id, service, title, worst,
                String.join("; ", shown.stream().map(Issue::found).toList()), String.join(" ", whys), fix);
    }

    private static String numbered(List<String> items) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "" : " ").append(i + 1).append(") ").append(items.get(i));
        }
        return out.toString();
    }

    private static String healthWhy(String source, String label) {
        return switch (source) {
            case "DownloadClientCheck", "DownloadClientStatusCheck" -> label + " cannot reach its download client:"
                    + " nothing new is grabbed and finished downloads are not imported.";
            case "ImportMechanismCheck" -> label + " does not import finished downloads by itself: every request"
                    + " stays \"downloaded\" until someone imports it.";
            case "RootFolderCheck" -> label + " cannot import into a root folder it does not find.";
            case "DownloadClientRemovesCompletedDownloadsCheck" -> "The download client may remove a finished"
                    + " download before " + label + " imports it.";
            default -> label + " cannot import finished downloads from where the download client puts them: the"
                    + " request stays \"downloaded\" and never becomes available.";
        };
    }

    private static String healthFix(String source, String label, String clientsScreen) {
        return switch (source) {
            case "RemotePathMappingCheck" -> "Mount the downloads at the same path in qBittorrent and " + label
                    + " (one /data volume for both), or " + clientsScreen + " → Remote Path Mappings → +: Host as in"
                    + " the download client, Remote Path as qBittorrent names the folder, Local Path as " + label
                    + " sees it. " + label + " → System → Status shows the check again.";
            case "DownloadClientRootFolderCheck" -> "Give the category a save path outside the root folders:"
                    + " qBittorrent → Categories (side panel) → right-click the category → Edit category → Save path,"
                    + " e.g. /data/downloads/<category>.";
            case "ImportMechanismCheck" -> clientsScreen + " → Completed Download Handling: tick Enable. Save.";
            case "DownloadClientCheck", "DownloadClientStatusCheck" -> clientsScreen + " → the client named in the"
                    + " message: check Host, Port, Username and Password, press Test, Save.";
            case "RootFolderCheck" -> label + " → Settings → Media Management → Root Folders: make the missing folder"
                    + " reachable again (a mount that is gone) or remove it and add the right one.";
            case "DownloadClientRemovesCompletedDownloadsCheck" -> "qBittorrent removes torrents itself when they"
                    + " reach a seeding limit, possibly before " + label + " imported them: qBittorrent → Options →"
                    + " BitTorrent → Seeding Limits: set \"then\" to Pause torrent (Stop torrent in 5.x), or untick the"
                    + " ratio and time limits.";
            default -> "In the download client, turn off the sorting its message names for " + label
                    + "'s category.";
        };
    }

    /**
     * Where qBittorrent saves a category's downloads: with automatic torrent management (or "Use Category paths in
     * Manual Mode") the category's save path (relative to the default save path; empty means the default save path
     * plus the category's name), else the default save path whatever the category.
     *
     * @param fromCategory whether the category's settings decide it (else the default save path does)
     */
    record SavePath(String path, String source, boolean fromCategory) {
    }

    static SavePath savePath(String category, JsonNode categories, JsonNode preferences) {
        String base = preferences.path("save_path").asText("");
        if (base.isBlank()) {
            return new SavePath(null, "", false);
        }
        // qBittorrent uses the category's path in Automatic mode, and in Manual mode when "Use Category paths in
        // Manual Mode" is ticked (use_category_paths_in_manual_mode).
        if (!preferences.path("auto_tmm_enabled").asBoolean(false)
                && !preferences.path("use_category_paths_in_manual_mode").asBoolean(false)) {
            return new SavePath(normal(base), "the default save path: qBittorrent's torrent management mode is"
                    + " Manual, so the category's path is not used", false);
        }
        JsonNode c = categories.get(category);
        String own = c == null ? "" : c.path("savePath").asText("");
        if (own.isBlank()) {
            return new SavePath(join(base, category), c == null ? "qBittorrent has no such category yet: it creates"
                    + " it on the first grab, saving under the default save path" : "the category has no save path:"
                    + " the default save path plus its name", true);
        }
        return new SavePath(absolute(own) ? normal(own) : join(base, own), "the category's save path", true);
    }

    /** A path qBittorrent reports, as the *arr sees it: its first remote path mapping for the client's host applied. */
    static String mapped(String path, String host, List<JsonNode> mappings) {
        for (JsonNode m : mappings) {
            String remote = m.path("remotePath").asText("");
            String local = m.path("localPath").asText("");
            if (!remote.isBlank() && !local.isBlank() && (host == null
                    || host.equalsIgnoreCase(m.path("host").asText(""))) && inside(path, remote)) {
                String rest = normal(path).substring(normal(remote).length());
                return normal(normal(local) + rest);
            }
        }
        return normal(path);
    }

    /** Whether {@code path} is {@code folder} or below it ({@code /data/media/tv/x} is inside {@code /data/media/tv}). */
    static boolean inside(String path, String folder) {
        String p = normal(path);
        String f = normal(folder);
        boolean windows = p.matches("^[A-Za-z]:.*") || f.matches("^[A-Za-z]:.*");
        if (windows) {
            p = p.toLowerCase(Locale.ROOT);
            f = f.toLowerCase(Locale.ROOT);
        }
        return p.equals(f) || p.startsWith(f.endsWith("/") ? f : f + "/");
    }

    /** Forward slashes, no trailing slash (but "/" stays). */
    static String normal(String path) {
        String p = path.trim().replace('\\', '/');
        while (p.length() > 1 && p.endsWith("/") && !p.matches("^[A-Za-z]:/$")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static boolean absolute(String path) {
        return path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*");
    }

    private static String join(String base, String child) {
        String b = normal(base);
        return normal((b.endsWith("/") ? b : b + "/") + child);
    }

    /**
     * A save path to suggest outside {@code root}: {@code /downloads/<category>} beside the root's top folder
     * ({@code /data/media/movies} → {@code /data/downloads/radarr}), which keeps downloads and media on one file
     * system so that imports can be hard links.
     */
    private static String suggestion(String root, String category, boolean forCategory) {
        String r = normal(root);
        String[] parts = r.split("/");
        String top = !r.startsWith("/") ? parts[0] : parts.length > 2 ? "/" + parts[1] : ""; // "D:" on Windows
        return top + "/downloads" + (forCategory ? "/" + category : "");
    }

    /**
     * {@code <service>.queue-stuck}: nothing in the queue waits for a manual import. A download the *arr will not
     * import by itself is {@code importBlocked} (a problem); {@code importPending} with a warning is one it keeps
     * failing to import (a warning). {@code importPending} without a message is the normal minute between
     * "finished" and "imported" and is not listed. Sonarr lists one record per episode: a season pack is one download.
     */
    static DoctorCheck queueStuck(String service, String label, List<JsonNode> queue) {
        String id = service + ".queue-stuck";
        String title = "No download waits in " + label + "'s queue for a manual import";
        Map<String, Stuck> stuck = new LinkedHashMap<>();
        for (JsonNode q : queue) {
            String state = q.path("trackedDownloadState").asText("");
            boolean blocked = state.equalsIgnoreCase("importBlocked");
            List<String> messages = messages(q);
            if (!blocked && !(state.equalsIgnoreCase("importPending") && !messages.isEmpty())) {
                continue;
            }
            String key = q.hasNonNull("downloadId") ? q.get("downloadId").asText() : "id:" + q.path("id").asText();
            String recordTitle = q.path("title").asText("?");
            stuck.merge(key, new Stuck(recordTitle, blocked, messages), Stuck::and);
        }
        if (stuck.isEmpty()) {
            return DoctorCheck.ok(id, service, title, queue.isEmpty() ? label + "'s queue is empty"
                    : "None of the " + queue.size() + " record(s) in " + label + "'s queue waits for an import");
        }
        List<Stuck> all = new ArrayList<>(stuck.values());
        all.sort((a, b) -> Boolean.compare(b.blocked(), a.blocked()));
        boolean anyBlocked = all.get(0).blocked();
        List<String> listed = new ArrayList<>();
        for (Stuck s : all.subList(0, Math.min(LISTED, all.size()))) {
            listed.add("\"" + SecretMasker.maskText(s.title()) + "\" (" + (s.blocked() ? "import blocked"
                    : "import pending") + ")" + (s.messages().isEmpty() ? ""
                            : ": " + SecretMasker.maskText(String.join("; ", s.messages()))));
        }
        String more = all.size() > LISTED ? "; and " + (all.size() - LISTED) + " more" : "";
        Stuck first = all.get(0);
        String cause = cause(first.messages().isEmpty() ? "" : first.messages().get(0), label);
        String fix = label + " → Activity → Queue → \"" + SecretMasker.maskText(first.title()) + "\" → Manual Import"
                + " (the person icon): choose the " + ("sonarr".equals(service) ? "series and episodes" : "movie")
                + " for each file and import" + (all.size() > 1 ? "; the same for the others listed" : "") + "."
                + (cause == null ? "" : " " + cause);
        return DoctorCheck.of(id, service, title, anyBlocked ? Result.PROBLEM : Result.WARNING,
                all.size() + " download(s) wait for an import in " + label + ": " + String.join("; ", listed) + more,
                "The request stays \"downloaded\" or \"importing\" until someone imports it, and never becomes"
                        + " available on its own.",
                fix);
    }

    /** One download the queue holds back, over all its records (episodes). */
    private record Stuck(String title, boolean blocked, List<String> messages) {
        Stuck and(Stuck other) {
            List<String> merged = new ArrayList<>(new LinkedHashSet<>(concat(messages, other.messages)));
            return new Stuck(title, blocked || other.blocked, merged);
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> out = new ArrayList<>(a);
            out.addAll(b);
            return out;
        }
    }

    /**
     * A queue record's messages: {@code statusMessages[].messages} (prefixed with the entry's title when that names a
     * file rather than the download), else {@code errorMessage}.
     */
    private static List<String> messages(JsonNode q) {
        Set<String> out = new LinkedHashSet<>();
        String recordTitle = q.path("title").asText("");
        for (JsonNode m : q.path("statusMessages")) {
            String entry = m.path("title").asText("");
            boolean lines = false;
            for (JsonNode line : m.path("messages")) {
                if (line.isTextual() && !line.asText().isBlank()) {
                    lines = true;
                    out.add((entry.isBlank() || entry.equals(recordTitle) ? "" : entry + ": ") + line.asText().trim());
                }
            }
            if (!lines && !entry.isBlank() && !entry.equals(recordTitle)) {
                out.add(entry);
            }
        }
        String error = q.path("errorMessage").asText("");
        if (out.isEmpty() && !error.isBlank()) {
            out.add(error.trim());
        }
        return new ArrayList<>(out);
    }

    /** The usual cause of the first message, when it is one of the *arrs' well-known ones; null otherwise. */
    private static String cause(String message, String label) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("no files found are eligible for import")) {
            return "Usual cause: the download holds no video " + label + " accepts: only .rar archives (unpack them,"
                    + " e.g. with Unpackerr), only a sample, or another release than expected.";
        }
        if (m.contains("remote path mapping") || m.contains("not a valid") || m.contains("does not appear to exist")) {
            return "Usual cause: " + label + " does not see the folder where qBittorrent put the download: mount the"
                    + " downloads at the same path in both, or add a Remote Path Mapping (import-paths check).";
        }
        if (m.contains("matched to series by id") || m.contains("matched to movie by id") || m.contains("title mismatch")
                || m.contains("unknown series") || m.contains("unknown movie") || m.contains("unable to parse")) {
            return "Usual cause: the release name does not match the title " + label + " knows; choosing it in"
                    + " Manual Import is the fix.";
        }
        if (m.contains("not an upgrade")) {
            return "Usual cause: " + label + " already has an equal or better file; if this one is not wanted,"
                    + " remove it from the queue instead.";
        }
        if (m.contains("tba")) {
            return "Usual cause: the episode's title is still TBA; " + label + " waits up to 48 hours for it"
                    + " (Settings → Media Management → Episode Title Required).";
        }
        if (m.contains("sample")) {
            return "Usual cause: " + label + " takes the file for a sample; check its runtime in Manual Import.";
        }
        if (m.contains("permission") || m.contains("access")) {
            return "Usual cause: " + label + " lacks the permission to read the download: give its user (PUID/PGID)"
                    + " access to the downloads folder.";
        }
        return null;
    }
}
