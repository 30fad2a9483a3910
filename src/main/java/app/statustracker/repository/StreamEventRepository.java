package app.statustracker.repository;

import java.util.ArrayList;
import java.util.List;

import app.statustracker.StreamEvent;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The persisted SSE stream. Writes happen inside the pipeline's transaction (Panache); the reads that serve
 * resuming clients use the reactive pool directly, so they need no Hibernate session on the HTTP connection.
 */
@ApplicationScoped
public class StreamEventRepository implements PanacheRepository<StreamEvent> {

    /** An SSE update as read back for a resuming client. */
    public record Stored(long id, String eventType, String payload) {
    }

    /**
     * Where the stream stands.
     *
     * @param prunedThrough highest id deleted by retention (0 if none): older positions cannot be resumed
     * @param head          highest id a client can have seen
     * @param issued        highest id ever issued; a position beyond it is not from this database
     */
    public record Bounds(long prunedThrough, long head, long issued) {
    }

    private final Pool pool;

    public StreamEventRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Bounds> bounds() {
        return pool.query("SELECT w.pruned_through, greatest(coalesce((SELECT max(id) FROM stream_event), 0), w.pruned_through),"
                + " coalesce(pg_sequence_last_value(pg_get_serial_sequence('stream_event', 'id')), 0)"
                + " FROM stream_watermark w").execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Bounds(r.getLong(0), r.getLong(1), r.getLong(2));
                });
    }

    public Uni<List<Stored>> after(long lastId, int limit) {
        return pool.preparedQuery("SELECT id, event_type, payload FROM stream_event WHERE id > $1 ORDER BY id LIMIT $2")
                .execute(Tuple.of(lastId, limit))
                .map(rows -> {
                    List<Stored> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new Stored(r.getLong(0), r.getString(1), r.getString(2)));
                    }
                    return out;
                });
    }

    /**
     * Inserts these updates (of one transaction, in commit order) with one statement and gives each its id. The
     * identity column numbers the rows in the order of the VALUES list; the ids are matched back sorted, so the
     * order in which PostgreSQL returns them does not matter.
     */
    public Uni<Void> insertAll(List<StreamEvent> updates) {
        if (updates.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        StringBuilder sql = new StringBuilder("INSERT INTO stream_event (created_at, event_type, payload, request_id) VALUES ");
        for (int i = 0; i < updates.size(); i++) {
            sql.append(i == 0 ? "(" : ", (").append(":c").append(i).append(", :t").append(i).append(", :p").append(i)
                    .append(", :r").append(i).append(')');
        }
        sql.append(" RETURNING id");
        return getSession().chain(s -> {
            var insert = s.createNativeQuery(sql.toString(), Long.class);
            for (int i = 0; i < updates.size(); i++) {
                StreamEvent u = updates.get(i);
                insert.setParameter("c" + i, u.createdAt).setParameter("t" + i, u.eventType)
                        .setParameter("p" + i, u.payload).setParameter("r" + i, u.requestId);
            }
            return insert.getResultList();
        }).invoke(ids -> {
            if (ids.size() != updates.size()) {
                throw new IllegalStateException("inserted " + updates.size() + " stream updates, got " + ids.size() + " ids");
            }
            List<Long> ordered = ids.stream().sorted().toList();
            for (int i = 0; i < updates.size(); i++) {
                updates.get(i).id = ordered.get(i);
            }
        }).replaceWithVoid();
    }

    /** Keeps the newest {@code keep} updates and moves the watermark past what was deleted. */
    public Uni<Long> pruneKeepingNewest(int keep) {
        return getSession().chain(s -> s.createNativeQuery(
                "WITH cut AS (SELECT coalesce(max(id), 0) - :keep AS through FROM stream_event),"
                        + " gone AS (DELETE FROM stream_event WHERE id <= (SELECT through FROM cut) RETURNING id),"
                        + " mark AS (UPDATE stream_watermark SET pruned_through = greatest(pruned_through,"
                        + " (SELECT max(id) FROM gone)) WHERE EXISTS (SELECT 1 FROM gone))"
                        + " SELECT count(*) FROM gone", Long.class)
                .setParameter("keep", (long) keep).getSingleResult());
    }
}
