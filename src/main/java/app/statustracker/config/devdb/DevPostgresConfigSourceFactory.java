package app.statustracker.config.devdb;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Gives {@code ./mvnw quarkus:dev} a database with nothing installed: when no datasource URL is configured, an
 * embedded PostgreSQL is started once per JVM. Quarkus calls this factory during augmentation, before Dev Services
 * would look for Docker. In the test and prod profiles it does nothing (the packaged application does not even
 * contain the embedded server).
 */
public class DevPostgresConfigSourceFactory implements ConfigSourceFactory {

    /** Above application.properties (250), below environment variables (300) and system properties (400). */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev")) {
            return List.of();
        }
        if (System.getProperty(DevPostgres.PORT_PROPERTY) != null) {
            // At runtime the build-time URL is visible as a default: keep answering with the full set.
            return List.of(source(startEmbedded()));
        }
        if (value(context, "quarkus.datasource.reactive.url") != null) {
            return List.of(); // the developer named a database
        }
        if ("false".equalsIgnoreCase(value(context, "status-tracker.dev-db.enabled"))) {
            return List.of();
        }
        return List.of(source(startEmbedded()));
    }

    /**
     * Calls {@code DevPostgres.ensureStarted()} by name: a direct call would make the native-image build (which links
     * every reachable class, and has no embedded server on its class path) try to link it. Only the dev profile ever
     * gets here.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, String> startEmbedded() {
        try {
            Class<?> dev = Class.forName(DevPostgresConfigSourceFactory.class.getPackageName() + ".DevPostgres", true,
                    DevPostgresConfigSourceFactory.class.getClassLoader());
            Method start = dev.getDeclaredMethod("ensureStarted");
            start.setAccessible(true);
            return (Map<String, String>) start.invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the embedded dev database is not on the class path", e);
        }
    }

    private static ConfigSource source(Map<String, String> properties) {
        return new PropertiesConfigSource(properties, "embedded-dev-postgres", ORDINAL);
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue();
    }
}
