package app.statustracker.support;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Sonarr's and Radarr's queue ({@code GET /api/v3/queue}, paged as they page it) and history
 * ({@code GET /api/v3/history/since?date=}) for {@link FakeMediaServer}, in the REST API v3 shapes of protocols.md
 * §1.8 and §2.5. Which of the two answers is told by the API key, as on a real network where they are two hosts.
 */
public final class FakeArr {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One *arr's state. */
    public static final class Arr {
        public final List<ObjectNode> queue = new CopyOnWriteArrayList<>();
        public final List<ObjectNode> history = new CopyOnWriteArrayList<>();
        public final ArrayNode tags = JSON.createArrayNode();
        /** When set, every queue/history/tag call answers with this status (an *arr that is down or broken). */
        public volatile Integer failWith;

        void reset() {
            queue.clear();
            history.clear();
            tags.removeAll();
            failWith = null;
        }

        public Arr tag(long id, String label) {
            tags.addObject().put("id", id).put("label", label);
            return this;
        }

        /** A history record with its date; {@code data} values are strings, as the *arrs send them. */
        public ObjectNode history(String eventType, Instant date, String downloadId, ObjectNode media) {
            ObjectNode h = JSON.createObjectNode();
            h.put("id", history.size() + 1);
            h.put("eventType", eventType);
            h.put("date", date.toString());
            if (downloadId != null) {
                h.put("downloadId", downloadId);
            }
            h.setAll(media);
            h.putObject("data");
            history.add(h);
            return h;
        }
    }

    public static final Arr SONARR = new Arr();
    public static final Arr RADARR = new Arr();

    private FakeArr() {
    }

    public static void reset() {
        SONARR.reset();
        RADARR.reset();
    }

    /** A quality object as the API nests it: {@code {"quality":{"name":…}}}. */
    public static ObjectNode quality(String name) {
        ObjectNode q = JSON.createObjectNode();
        q.putObject("quality").put("id", 7).put("name", name);
        q.putObject("revision").put("version", 1);
        return q;
    }

    /** The answer for an *arr queue, history or tag path, or null when the path is not one of those. */
    static Object answer(String path, Map<String, String> query, String apiKey) {
        if (!path.equals("/api/v3/queue") && !path.equals("/api/v3/history/since") && !path.equals("/api/v3/tag")) {
            return null;
        }
        Arr arr = FakeMediaServer.RADARR_KEY.equals(apiKey) ? RADARR
                : FakeMediaServer.SONARR_KEY.equals(apiKey) ? SONARR : null;
        if (arr == null) {
            return new Failure(401, JSON.createObjectNode().put("message", "Unauthorized"));
        }
        if (arr.failWith != null) {
            return new Failure(arr.failWith, JSON.createObjectNode().put("message", "failing on purpose"));
        }
        switch (path) {
            case "/api/v3/tag":
                return arr.tags;
            case "/api/v3/queue": {
                int page = Integer.parseInt(query.getOrDefault("page", "1"));
                int size = Integer.parseInt(query.getOrDefault("pageSize", "10"));
                ObjectNode envelope = JSON.createObjectNode();
                envelope.put("page", page).put("pageSize", size).put("sortKey", "timeleft")
                        .put("sortDirection", "ascending").put("totalRecords", arr.queue.size());
                ArrayNode records = envelope.putArray("records");
                arr.queue.stream().skip((long) (page - 1) * size).limit(size).forEach(records::add);
                return envelope;
            }
            default: {
                Instant since = Instant.parse(query.get("date"));
                ArrayNode records = JSON.createArrayNode();
                arr.history.stream().filter(h -> !Instant.parse(h.get("date").asText()).isBefore(since))
                        .forEach(records::add);
                return records;
            }
        }
    }

    /** A non-200 answer. */
    record Failure(int status, Object body) {
    }
}
