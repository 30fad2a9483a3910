package app.statustracker.support;

import java.time.Duration;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/** Direct SQL for test set-up and for checking what was stored. */
@ApplicationScoped
public class Database {

    private final Pool pool;

    public Database(Pool pool) {
        this.pool = pool;
    }

    /** Empties every table; ids keep increasing so SSE ids never repeat within a run. */
    public void clean() {
        // Work the last test set off (a check, a follow-up) may still be writing: TRUNCATE then meets its row locks
        // in another order and PostgreSQL breaks the deadlock by failing one side. Trying again is what a person
        // would do.
        for (int attempt = 1;; attempt++) {
            try {
                run("TRUNCATE media_request, episode, timeline_event, inbound_event, stream_event CASCADE");
                return;
            } catch (RuntimeException e) {
                if (attempt >= 5 || e.getMessage() == null || !e.getMessage().contains("40P01")) {
                    throw e;
                }
            }
        }
    }

    public void run(String sql) {
        pool.query(sql).execute().await().atMost(Duration.ofSeconds(10));
    }

    public long count(String sql) {
        Row row = pool.query(sql).execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
        return row.getLong(0);
    }

    public String string(String sql) {
        Row row = pool.query(sql).execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
        return row.getValue(0) == null ? null : String.valueOf(row.getValue(0));
    }
}
