package app.statustracker.ingest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.MediaType;
import app.statustracker.RequestState;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Jellyseerr's webhook agent with its default JSON template (protocols.md §3): every placeholder arrives as a
 * string, missing scalars as {@code ""}, missing sections as {@code null}. The notification type, not
 * {@code media.status}, is the state signal.
 */
@ApplicationScoped
public class JellyseerrAdapter implements WebhookAdapter {

    public static final String SOURCE = "jellyseerr";

    /** "Title (2023)": the year is the last parenthesised four digits. */
    private static final Pattern SUBJECT_YEAR = Pattern.compile("^(.*\\S)\\s*\\((\\d{4})\\)\\s*$");
    private static final Pattern SEASON_NUMBER = Pattern.compile("\\d{1,4}");

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public String displayName() {
        return "Jellyseerr";
    }

    @Override
    public List<String> statesProvided() {
        return List.of("requested", "approved", "failed");
    }

    @Override
    public List<String> correlationFields() {
        return List.of("request.request_id", "media.tmdbId", "media.tvdbId");
    }

    @Override
    public Interpretation interpret(ObjectNode body) {
        String type = Payloads.text(body.get("notification_type"));
        String event = Payloads.text(body.get("event"));
        boolean is4k = event != null && event.toUpperCase(Locale.ROOT).contains("4K");
        JsonNode media = body.get("media");
        JsonNode request = body.get("request");
        MediaKeys keys = keys(media, request, is4k);
        String dedupeKey = dedupeKey(type, keys, body);

        if (type == null) {
            return new Interpretation.Ignore(null, dedupeKey, "no notification_type in the payload", keys);
        }
        Target target;
        String timelineType;
        String requester = request != null ? Payloads.text(request.get("requestedBy_username")) : null;
        String who = requester != null ? requester : "unknown";
        String details;
        switch (type) {
            case "TEST_NOTIFICATION" -> {
                // Every click on "Test" is its own delivery: never answered "duplicate".
                return new Interpretation.Ignore(type, SOURCE + ":TEST_NOTIFICATION:" + java.util.UUID.randomUUID(),
                        "test notification received: the webhook works", keys);
            }
            case "MEDIA_PENDING" -> {
                target = Target.progress(RequestState.REQUESTED, true);
                timelineType = "Requested";
                details = "Requested by " + who;
            }
            case "MEDIA_AUTO_APPROVED" -> {
                target = Target.progress(RequestState.APPROVED, true);
                timelineType = "Auto-Approved";
                details = "Requested by " + who + " (auto-approved)";
            }
            case "MEDIA_APPROVED" -> {
                // Created when missing too: the pending webhook may have been lost.
                target = Target.progress(RequestState.APPROVED, true);
                timelineType = "Approved";
                details = "Approved in Jellyseerr";
            }
            case "MEDIA_DECLINED" -> {
                // Created when missing (the pending webhook may be lost), at the approval stage: a late
                // "pending" for the same request cannot lift it.
                target = Target.problem(RequestState.FAILED).creating(true);
                timelineType = "Declined";
                details = "Declined in Jellyseerr";
            }
            case "MEDIA_FAILED" -> {
                target = Target.problem(RequestState.FAILED).creating(true);
                timelineType = "Failed";
                details = "Jellyseerr could not add it to " + ("tv".equals(mediaWord(media)) ? "Sonarr" : "Radarr");
            }
            case "MEDIA_AVAILABLE" -> {
                // Jellyseerr's own library scan is not proof of a playable file: Jellyfin is asked, and its answer
                // (a playable item) is what makes the request available.
                target = Target.note();
                timelineType = "Available in Jellyseerr";
                details = "Jellyseerr reports it available; checking that Jellyfin can play it";
            }
            case "SEASON_COUNTS" -> {
                // Posted by our own follow-up with Jellyseerr's episode counts, not by Jellyseerr's webhook.
                Integer total = intOrNull(body.get("total_episodes"));
                if (total == null || total <= 0) {
                    return new Interpretation.Ignore(type, dedupeKey, "no episode count in the payload", keys);
                }
                return new Interpretation.Track(new DomainEvent(SOURCE, type, dedupeKey + ":" + total, keys,
                        Target.note(), new MediaFacts(null, null, null, null, null, List.of(), null, null, null,
                                total, null), "Expected Episodes",
                        "Jellyseerr lists " + total + " episodes in the requested seasons"));
            }
            default -> {
                return new Interpretation.Ignore(type, dedupeKey,
                        "notification type " + type + " does not change a request", keys);
            }
        }
        if (media == null || !media.isObject()) {
            return new Interpretation.Ignore(type, dedupeKey, "payload has no media section", keys);
        }
        if (keys.tmdbId() == null && keys.tvdbId() == null && keys.jellyseerrId() == null) {
            return new Interpretation.Ignore(type, dedupeKey,
                    "payload has no usable id (media.tmdbId, media.tvdbId, request.request_id)", keys);
        }
        DomainEvent tracked = new DomainEvent(SOURCE, type, dedupeKey, keys, target, facts(body, request),
                timelineType, details);
        if ("MEDIA_AVAILABLE".equals(type)) {
            tracked = tracked.withFollowUp(DomainEvent.FollowUp.VERIFY_IN_JELLYFIN);
        } else if (keys.mediaType() == MediaType.TV && target.mayCreate()
                && target.kind() == Target.Kind.PROGRESS) {
            tracked = tracked.withFollowUp(DomainEvent.FollowUp.EXPECTED_EPISODES);
        }
        return new Interpretation.Track(tracked);
    }

    private static String mediaWord(JsonNode media) {
        return media != null && media.isObject() ? Payloads.text(media.get("media_type")) : null;
    }

    private static Integer intOrNull(JsonNode node) {
        Long v = Payloads.id(node);
        return v == null || v > Integer.MAX_VALUE ? null : v.intValue();
    }

    private static MediaKeys keys(JsonNode media, JsonNode request, boolean is4k) {
        MediaType mediaType = null;
        Long tmdb = null;
        Long tvdb = null;
        if (media != null && media.isObject()) {
            mediaType = MediaType.fromUpstream(Payloads.text(media.get("media_type")));
            tmdb = Payloads.id(media.get("tmdbId"));
            tvdb = mediaType == MediaType.TV ? Payloads.id(media.get("tvdbId")) : null;
        }
        Long requestId = request != null && request.isObject() ? Payloads.id(request.get("request_id")) : null;
        return new MediaKeys(mediaType, tmdb, tvdb, null, requestId, null, is4k);
    }

    /**
     * Jellyseerr sends no delivery id. One notification type happens once per Jellyseerr request, so the request id
     * with the type (and the 4K flag) names the event; without a request id the body itself does.
     */
    private static String dedupeKey(String type, MediaKeys keys, ObjectNode body) {
        String kind = type == null ? "none" : type;
        if (keys.jellyseerrId() != null) {
            return SOURCE + ":" + kind + ":" + keys.jellyseerrId() + (keys.is4k() ? ":4k" : "");
        }
        return SOURCE + ":" + kind + ":body:" + Payloads.sha256(body.toString());
    }

    private static MediaFacts facts(ObjectNode body, JsonNode request) {
        String subject = Payloads.text(body.get("subject"));
        String title = subject;
        Integer year = null;
        if (subject != null) {
            Matcher m = SUBJECT_YEAR.matcher(subject);
            if (m.matches()) {
                title = m.group(1);
                year = Integer.valueOf(m.group(2));
            }
        }
        String poster = Payloads.text(body.get("image"));
        String requester = request != null && request.isObject() ? Payloads.text(request.get("requestedBy_username")) : null;
        return new MediaFacts(title, year, poster, Payloads.text(body.get("message")), requester, requestedSeasons(body));
    }

    /** {@code extra: [{"name":"Requested Seasons","value":"1, 2"}]}. */
    private static List<Integer> requestedSeasons(ObjectNode body) {
        JsonNode extra = body.get("extra");
        if (extra == null || !extra.isArray()) {
            return List.of();
        }
        LinkedHashSet<Integer> seasons = new LinkedHashSet<>();
        for (JsonNode item : extra) {
            if (item.isObject() && "Requested Seasons".equalsIgnoreCase(Payloads.text(item.get("name")))) {
                String value = Payloads.text(item.get("value"));
                if (value != null) {
                    Matcher m = SEASON_NUMBER.matcher(value);
                    while (m.find()) {
                        seasons.add(Integer.valueOf(m.group()));
                    }
                }
            }
        }
        return new ArrayList<>(seasons);
    }
}
