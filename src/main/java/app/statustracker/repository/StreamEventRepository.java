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

    /** Lowest and highest stored ids; both 0 when the table is empty. */
    public record Bounds(long min, long max) {
    }

    private final Pool pool;

    public StreamEventRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Bounds> bounds() {
        return pool.query("SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM stream_event").execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Bounds(r.getLong(0), r.getLong(1));
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

    /** Keeps the newest {@code keep} updates. */
    public Uni<Long> pruneKeepingNewest(int keep) {
        return getSession().chain(s -> s.createMutationQuery(
                "delete from StreamEvent where id <= (select max(e.id) from StreamEvent e) - :keep")
                .setParameter("keep", (long) keep).executeUpdate()).map(Integer::longValue);
    }
}
