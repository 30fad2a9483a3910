package app.statustracker.client;

import java.util.Map;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Radarr REST API v3 as a Quarkus REST client interface; built programmatically by {@link RadarrClient} (the
 * annotation only makes sure the interface is processed at build time). Bodies are read as text and parsed by
 * {@link UpstreamHttp}, which also judges the status.
 */
@RegisterRestClient(configKey = "status-tracker-radarr")
@Produces(MediaType.APPLICATION_JSON)
public interface RadarrApi {

    @GET
    @Path("/api/v3/movie/{id}")
    Uni<RestResponse<String>> movie(@org.jboss.resteasy.reactive.RestPath("id") long id,
            @HeaderParam("X-Api-Key") String apiKey);

    @GET
    @Path("/api/v3/queue")
    Uni<RestResponse<String>> queue(@RestQuery Map<String, String> query, @HeaderParam("X-Api-Key") String apiKey);

    @GET
    @Path("/api/v3/history/since")
    Uni<RestResponse<String>> historySince(@RestQuery Map<String, String> query,
            @HeaderParam("X-Api-Key") String apiKey);

    @GET
    @Path("/api/v3/tag")
    Uni<RestResponse<String>> tags(@HeaderParam("X-Api-Key") String apiKey);
}
