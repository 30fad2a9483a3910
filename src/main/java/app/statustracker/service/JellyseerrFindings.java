package app.statustracker.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.client.JellyseerrClient.MediaDetails;

/**
 * Turns a Jellyseerr request resource ({@code GET /api/v1/request}, protocols.md §3.5) into the notification its
 * webhook sends for the request's status, in the default JSON template's shape, so that the Jellyseerr adapter reads
 * it like the webhook. The dedupe key (notification type, request id, 4K) is the webhook's, so a request whose
 * notification arrived is not applied again.
 */
final class JellyseerrFindings {

    /** TMDB's poster address, as Jellyseerr's own notifications build it. */
    static final String POSTER_BASE = "https://image.tmdb.org/t/p/w600_and_h900_bestv2";

    private JellyseerrFindings() {
    }

    /**
     * The notification type for a request status (MediaRequestStatus: 1 pending, 2 approved, 3 declined, 4 failed,
     * 5 completed); null for anything else.
     */
    static String notificationType(int status) {
        return switch (status) {
            case 1 -> "MEDIA_PENDING";
            case 2 -> "MEDIA_APPROVED";
            case 3 -> "MEDIA_DECLINED";
            case 4 -> "MEDIA_FAILED";
            case 5 -> "MEDIA_AVAILABLE";
            default -> null;
        };
    }

    /** The webhook the request stands for, or null when its status or media is not one the tracker follows. */
    static ObjectNode payload(ObjectMapper json, JsonNode request, MediaDetails details) {
        JsonNode status = request.get("status");
        String type = status != null && status.canConvertToInt() ? notificationType(status.asInt()) : null;
        JsonNode media = request.get("media");
        String mediaType = text(request, "type");
        if (mediaType == null) {
            mediaType = text(media, "mediaType");
        }
        if (type == null || media == null || !media.isObject() || mediaType == null || text(request, "id") == null) {
            return null;
        }
        boolean tv = "tv".equalsIgnoreCase(mediaType);
        boolean is4k = request.path("is4k").asBoolean(false);
        ObjectNode n = json.createObjectNode();
        n.put("notification_type", type);
        n.put("event", (is4k ? "4K " : "") + event(type, tv));
        if (details != null && details.title() != null) {
            n.put("subject", details.title() + (details.year() != null ? " (" + details.year() + ")" : ""));
        }
        if (details != null && details.posterPath() != null) {
            n.put("image", POSTER_BASE + details.posterPath());
        }
        ObjectNode m = n.putObject("media");
        m.put("media_type", tv ? "tv" : "movie");
        m.put("tmdbId", text(media, "tmdbId") == null ? "" : text(media, "tmdbId"));
        m.put("tvdbId", text(media, "tvdbId") == null ? "" : text(media, "tvdbId"));
        ObjectNode r = n.putObject("request");
        r.put("request_id", text(request, "id"));
        JsonNode by = request.get("requestedBy");
        String who = firstText(by, "displayName", "jellyfinUsername", "username", "plexUsername");
        if (who != null) {
            r.put("requestedBy_username", who);
        }
        if (tv) {
            List<String> seasons = new ArrayList<>();
            JsonNode list = request.get("seasons");
            if (list != null && list.isArray()) {
                list.forEach(s -> {
                    String number = text(s, "seasonNumber");
                    if (number != null) {
                        seasons.add(number);
                    }
                });
            }
            if (!seasons.isEmpty()) {
                n.putArray("extra").addObject().put("name", "Requested Seasons").put("value", String.join(", ", seasons));
            }
        }
        return n;
    }

    private static String event(String type, boolean tv) {
        String word = tv ? "Series" : "Movie";
        return switch (type) {
            case "MEDIA_PENDING" -> "New " + word + " Request";
            case "MEDIA_APPROVED" -> word + " Request Approved";
            case "MEDIA_DECLINED" -> word + " Request Declined";
            case "MEDIA_FAILED" -> word + " Request Failed";
            default -> word + " Request Now Available";
        };
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = text(node, f);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText().toLowerCase(Locale.ROOT).equals("null")
                ? null : v.asText();
    }
}
