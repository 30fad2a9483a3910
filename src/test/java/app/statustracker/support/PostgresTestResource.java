package app.statustracker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for the tests, chosen in this order:
 * <ol>
 * <li>{@code TEST_DB_URL} (a JDBC-less URL such as {@code postgresql://localhost:5432/tracker}, with
 * {@code TEST_DB_USER}/{@code TEST_DB_PASSWORD}): an existing server;</li>
 * <li>Testcontainers ({@code postgres:18-alpine}) when a Docker engine answers ({@code TEST_USE_DOCKER=false}
 * skips the probe);</li>
 * <li>otherwise an embedded PostgreSQL 18 (zonky), which also works as root.</li>
 * </ol>
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres embedded;
    private PostgreSQLContainer container;

    @Override
    public Map<String, String> start() {
        String external = System.getenv("TEST_DB_URL");
        if (external != null && !external.isBlank()) {
            String url = external.replaceFirst("^jdbc:", "");
            return datasource(url, env("TEST_DB_USER", "tracker"), env("TEST_DB_PASSWORD", "tracker"));
        }
        if (dockerAvailable()) {
            container = new PostgreSQLContainer(DockerImageName.parse("postgres:18-alpine"));
            container.start();
            return datasource("postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/"
                    + container.getDatabaseName(), container.getUsername(), container.getPassword());
        }
        try {
            embedded = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off") // a throwaway cluster
                    .setServerConfig("full_page_writes", "off")
                    .start();
            try (Connection c = embedded.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE tracker LOGIN PASSWORD 'tracker'");
                s.execute("CREATE DATABASE tracker OWNER tracker");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start; set TEST_DB_URL to use a running server", e);
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL could not be prepared", e);
        }
        return datasource("postgresql://localhost:" + embedded.getPort() + "/tracker", "tracker", "tracker");
    }

    @Override
    public void stop() {
        if (container != null) {
            container.stop();
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Map<String, String> datasource(String url, String user, String password) {
        return Map.of(
                "quarkus.datasource.reactive.url", url,
                "quarkus.datasource.jdbc.url", "jdbc:" + url,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    /** Probing Docker costs a logged error block when there is none, so only probe where a socket or host exists. */
    private static boolean dockerAvailable() {
        if ("false".equalsIgnoreCase(System.getenv("TEST_USE_DOCKER"))) {
            return false;
        }
        boolean hint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
                || "true".equalsIgnoreCase(System.getenv("TEST_USE_DOCKER"));
        if (!hint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
