package app.statustracker.client;

import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.config.TrackerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The queue-and-history clients of Sonarr and Radarr, built from their configuration. */
@ApplicationScoped
public class ArrClients {

    private final ArrClient sonarr;
    private final ArrClient radarr;

    public ArrClients(TrackerConfig config, Vertx vertx, ObjectMapper mapper) {
        this.sonarr = client("sonarr", config.sonarr(), vertx, mapper);
        this.radarr = client("radarr", config.radarr(), vertx, mapper);
    }

    private static ArrClient client(String name, TrackerConfig.Upstream upstream, Vertx vertx, ObjectMapper mapper) {
        return new ArrClient(name, upstream.configured() ? upstream.baseUrl() : null, upstream.apiKey().orElse(null),
                vertx, mapper);
    }

    void stop(@Observes ShutdownEvent event) {
        sonarr.close();
        radarr.close();
    }

    public ArrClient sonarr() {
        return sonarr;
    }

    public ArrClient radarr() {
        return radarr;
    }
}
