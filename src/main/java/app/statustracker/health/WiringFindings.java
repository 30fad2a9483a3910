package app.statustracker.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import app.statustracker.health.DoctorCheck.Result;
import app.statustracker.service.SecretMasker;

/**
 * Judges what the upstreams say about their wiring to this tracker (pure: JSON in, {@link DoctorCheck} out). The
 * events required are those the flows need (README, Webhook setup).
 */
final class WiringFindings {

    /** Sonarr's connection flags the flows need, with the names its UI shows. */
    static final Map<String, String> SONARR_EVENTS = events("onGrab", "On Grab", "onDownload", "On File Import",
            "onSeriesAdd", "On Series Add", "onSeriesDelete", "On Series Delete");
    /** Radarr's connection flags the flows need. */
    static final Map<String, String> RADARR_EVENTS = events("onGrab", "On Grab", "onDownload", "On File Import",
            "onMovieAdded", "On Movie Added", "onMovieDelete", "On Movie Delete");
    /** Jellyseerr's notification types the flows need: bit → name in its UI. */
    static final Map<Integer, String> JELLYSEERR_TYPES = Map.of(2, "Request Pending Approval", 4, "Request Approved",
            8, "Request Available", 16, "Request Processing Failed", 64, "Request Declined", 128,
            "Request Automatically Approved");

    private WiringFindings() {
    }

    private static Map<String, String> events(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /**
     * Sonarr's or Radarr's connections ({@code GET /api/v3/notification}): a Webhook connection to
     * {@code /hooks/<service>} with the events the flows need.
     *
     * @param label    Sonarr or Radarr
     * @param trackerUrl the tracker's address as the upstreams reach it, for the fix text
     */
    static DoctorCheck arrWebhook(String service, String label, List<JsonNode> connections, String trackerUrl) {
        String id = service + ".webhook";
        String title = label + " sends its webhooks to this tracker";
        Map<String, String> needed = "sonarr".equals(service) ? SONARR_EVENTS : RADARR_EVENTS;
        String url = trackerUrl + "/hooks/" + service;
        String why = "Without " + label + "'s webhooks the tracker learns of grabs and imports only from its"
                + " reconciliation (RECONCILE_EVERY, a minute by default) and never of deletions made in " + label + ".";
        List<String> others = new ArrayList<>();
        JsonNode hook = null;
        for (JsonNode c : connections) {
            String target = field(c, "url");
            if ("Webhook".equalsIgnoreCase(c.path("implementation").asText("")) && target != null
                    && target.contains("/hooks/" + service)) {
                hook = c;
                break;
            }
            others.add(c.path("name").asText("?"));
        }
        String allEvents = String.join(", ", needed.values());
        if (hook == null) {
            return DoctorCheck.of(id, service, title, Result.PROBLEM, "No Webhook connection in " + label
                    + " points at /hooks/" + service + (others.isEmpty() ? " (it has no connections)"
                            : " (its connections: " + String.join(", ", others) + ")"),
                    why, label + " → Settings → Connect → + → Webhook: Name \"status-tracker\", URL " + url
                            + ", Method POST; tick " + allEvents + " (and On File Upgrade"
                            + ("sonarr".equals(service) ? ", On Import Complete, On Episode File Delete"
                                    : ", On Movie File Delete")
                            + "); if WEBHOOK_SECRET is set, put it in Password. Save, then press Test.");
        }
        String name = hook.path("name").asText("?");
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> event : needed.entrySet()) {
            // A flag the upstream's version does not have is not missing.
            if (hook.has(event.getKey()) && !hook.path(event.getKey()).asBoolean(false)) {
                missing.add(event.getValue());
            }
        }
        if (!hook.path("enable").asBoolean(true) && hook.has("enable")) {
            missing.add(0, "the connection itself is disabled");
        }
        if (!missing.isEmpty()) {
            return DoctorCheck.of(id, service, title, Result.PROBLEM, "Webhook \"" + name + "\" → "
                    + shownUrl(field(hook, "url"))
                    + " does not send: " + String.join(", ", missing), why, label + " → Settings → Connect → \""
                    + name + "\": tick " + String.join(", ", missing) + ". Save, then press Test.");
        }
        return DoctorCheck.ok(id, service, title, "Webhook \"" + name + "\" → " + shownUrl(field(hook, "url"))
                + " sends "
                + allEvents);
    }

    /** Jellyseerr's webhook agent ({@code GET /api/v1/settings/notifications/webhook}). */
    static DoctorCheck jellyseerrWebhook(JsonNode settings, String trackerUrl) {
        String id = "jellyseerr.webhook";
        String title = "Jellyseerr sends its webhooks to this tracker";
        String url = trackerUrl + "/hooks/jellyseerr";
        String why = "Without Jellyseerr's webhook a new request appears only at the next reconciliation"
                + " (RECONCILE_EVERY), and approvals and declines arrive late.";
        String screen = "Jellyseerr → Settings → Notifications → Webhook: ";
        String target = settings.path("options").path("webhookUrl").asText("");
        if (!settings.path("enabled").asBoolean(false)) {
            return DoctorCheck.of(id, "jellyseerr", title, Result.PROBLEM, "The webhook agent is disabled"
                    + (target.isBlank() ? "" : " (its URL: " + shownUrl(target) + ")"), why, screen
                    + "tick Enable Agent, Webhook"
                    + " URL " + url + ", keep the default JSON payload, tick " + String.join(", ",
                            JELLYSEERR_TYPES.values().stream().sorted().toList()) + ". Save, then Test.");
        }
        if (!target.contains("/hooks/jellyseerr")) {
            return DoctorCheck.of(id, "jellyseerr", title, Result.PROBLEM, "The webhook agent sends to "
                    + shownUrl(target)
                    + ", not to /hooks/jellyseerr", why, screen + "Webhook URL " + url + ". Save, then Test.");
        }
        long types = settings.path("types").asLong(0);
        List<String> missing = JELLYSEERR_TYPES.entrySet().stream().filter(e -> (types & e.getKey()) == 0)
                .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
        if (!missing.isEmpty()) {
            return DoctorCheck.of(id, "jellyseerr", title, Result.PROBLEM, "The webhook agent → " + shownUrl(target)
                    + " does not send: " + String.join(", ", missing), why, screen + "tick " + String.join(", ", missing)
                    + ". Save.");
        }
        return DoctorCheck.ok(id, "jellyseerr", title, "The webhook agent is enabled → " + shownUrl(target)
                + " with every request notification");
    }

    /**
     * qBittorrent's completion hook ({@code GET /api/v2/app/preferences}: {@code autorun_enabled},
     * {@code autorun_program}). A warning, not a problem: the tracker also polls qBittorrent, the hook only tells it at
     * once.
     */
    static DoctorCheck qbittorrentHook(String version, JsonNode preferences, String trackerUrl) {
        String id = "qbittorrent.completion-hook";
        String title = "qBittorrent tells this tracker when a download finishes";
        String program = preferences.path("autorun_program").asText("");
        boolean enabled = preferences.path("autorun_enabled").asBoolean(false);
        String fix = "qBittorrent → Options → Downloads → Run external program → tick \"Run on torrent finished\":"
                + " curl -X POST \"" + trackerUrl + "/hooks/qbittorrent?token=<WEBHOOK_SECRET>\" -H \"Content-Type:"
                + " application/json\" -d '{\"hash\": \"%I\", \"name\": \"%N\", \"path\": \"%D/%N\", \"size\": \"%Z\"}'"
                + " (leave out ?token=… when no WEBHOOK_SECRET is set)";
        String why = "Without the hook a finished download is seen at the next poll (QBIT_POLL_ACTIVE) instead of at"
                + " once, and not at all when qBittorrent is not polled (QBIT_HOST unset).";
        String running = "qBittorrent " + version + ": ";
        if (!enabled) {
            return DoctorCheck.of(id, "qbittorrent", title, Result.WARNING, running + "\"Run on torrent finished\" is"
                    + " off", why, fix);
        }
        if (!program.contains("/hooks/qbittorrent")) {
            return DoctorCheck.of(id, "qbittorrent", title, Result.WARNING, running + "\"Run on torrent finished\""
                    + " runs a program that does not call /hooks/qbittorrent", why, fix);
        }
        return DoctorCheck.ok(id, "qbittorrent", title, running + "\"Run on torrent finished\" calls /hooks/qbittorrent");
    }

    /**
     * A URL an upstream stores, fit to show: without {@code user:password@} and with secret-looking query values
     * masked. The tracker takes {@code ?token=<WEBHOOK_SECRET>} from every source, so a stored webhook URL may hold
     * the secret, and findings are readable by anyone who may read the dashboard.
     */
    static String shownUrl(String url) {
        if (url == null) {
            return null;
        }
        return SecretMasker.maskText(url.replaceFirst("(://)[^/@\\s]*@", "$1"));
    }

    /** The value of a provider field ({@code fields: [{"name": "url", "value": …}]}); null when absent. */
    static String field(JsonNode connection, String name) {
        for (JsonNode f : connection.path("fields")) {
            if (name.equalsIgnoreCase(f.path("name").asText(""))) {
                JsonNode v = f.get("value");
                return v == null || v.isNull() ? null : v.asText();
            }
        }
        return null;
    }
}
