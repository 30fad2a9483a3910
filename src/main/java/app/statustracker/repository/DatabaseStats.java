package app.statustracker.repository;

import java.time.Instant;
import java.time.OffsetDateTime;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/** How big the database is and how old its raw events are: what the setup doctor reports about the tracker itself. */
@ApplicationScoped
public class DatabaseStats {

    /**
     * @param databaseBytes   the whole database on disk
     * @param inboundBytes    the raw inbound events table with its indexes
     * @param inboundEvents   raw inbound events kept
     * @param oldestInbound   when the oldest kept raw event was received; null when there are none
     * @param requests        requests tracked
     */
    public record Snapshot(long databaseBytes, long inboundBytes, long inboundEvents, Instant oldestInbound,
            long requests) {
    }

    private final Pool pool;

    public DatabaseStats(Pool pool) {
        this.pool = pool;
    }

    /** One read-only query; needs no Hibernate session, so it runs from a scheduler as well as from a request. */
    public Uni<Snapshot> read() {
        return pool.query("SELECT pg_database_size(current_database()), pg_total_relation_size('inbound_event'),"
                + " (SELECT count(*) FROM inbound_event), (SELECT min(received_at) FROM inbound_event),"
                + " (SELECT count(*) FROM media_request)").execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    OffsetDateTime oldest = r.getOffsetDateTime(3);
                    return new Snapshot(r.getLong(0), r.getLong(1), r.getLong(2),
                            oldest == null ? null : oldest.toInstant(), r.getLong(4));
                });
    }
}
