package app.statustracker.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.StreamEvent;
import app.statustracker.stream.SseHub;
import app.statustracker.support.Database;

/**
 * Deletion events on the dashboard's stream, as the deletion service sends them ({@code update} events whose data
 * has {@code event_type} deletion_started / deletion_progress / deletion_completed, the request and deletion log ids
 * and the deletion's view without the deleted_by fields). Stored like every stream event, so a resuming client gets
 * them too, then published.
 */
final class DeletionStream {

    private final Database db;
    private final SseHub hub;
    private final ObjectMapper json;

    DeletionStream(Database db, SseHub hub, ObjectMapper json) {
        this.db = db;
        this.hub = hub;
        this.json = json;
    }

    /** A service's latest step, as in the log view's "steps". */
    static Map<String, Object> step(String service, String status, String details, String error) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("service", service);
        step.put("status", status);
        step.put("details", details);
        step.put("error", error);
        step.put("occurred_at", Instant.now().toString());
        return step;
    }

    /** The deletion's view as the stream carries it (no deleted_by_* fields). */
    static Map<String, Object> view(long logId, long requestId, String title, String status, List<Map<String, Object>> steps) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", logId);
        view.put("request_id", requestId);
        view.put("title", title);
        view.put("media_type", "movie");
        view.put("year", 2006);
        view.put("poster_url", null);
        view.put("delete_files", true);
        view.put("source", "dashboard");
        view.put("status", status);
        view.put("initiated_at", Instant.now().minusSeconds(5).toString());
        view.put("completed_at", "in_progress".equals(status) ? null : Instant.now().toString());
        view.put("steps", new ArrayList<>(steps));
        return view;
    }

    /** Stores and sends one deletion event; returns its stream id. */
    long send(String eventType, long requestId, long logId, Map<String, Object> view) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("event_type", eventType);
        data.put("request_id", requestId);
        data.put("deletion_log_id", logId);
        data.put("deletion", view);
        StreamEvent e = new StreamEvent();
        e.requestId = requestId;
        e.eventType = eventType;
        try {
            e.payload = json.writeValueAsString(data);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        e.id = Long.parseLong(db.string("INSERT INTO stream_event (request_id, event_type, payload, created_at) VALUES ("
                + requestId + ", '" + eventType + "', '" + e.payload.replace("'", "''") + "', now()) RETURNING id"));
        hub.publish(List.of(e));
        return e.id;
    }

    /** A whole deletion of one request on the stream: started, two services' progress, completed. */
    void wholeDeletion(long requestId, long logId, String title) {
        List<Map<String, Object>> steps = new ArrayList<>(List.of(step("radarr", "pending", "Waiting", null),
                step("jellyfin", "pending", "Waiting", null)));
        send("deletion_started", requestId, logId, view(logId, requestId, title, "in_progress", steps));
        steps.set(0, step("radarr", "done", "Deleted the movie and its files", null));
        send("deletion_progress", requestId, logId, view(logId, requestId, title, "in_progress", steps));
        steps.set(1, step("jellyfin", "failed", "Library refresh", "Jellyfin answered 500"));
        send("deletion_progress", requestId, logId, view(logId, requestId, title, "in_progress", steps));
        send("deletion_completed", requestId, logId, view(logId, requestId, title, "incomplete", steps));
    }
}
