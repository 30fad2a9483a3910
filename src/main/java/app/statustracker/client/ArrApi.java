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
 * The part of the REST API v3 that Sonarr and Radarr share (protocols.md §1.8, §2.5): download queue, history and
 * tags. Built programmatically by {@link ArrClient}, once per upstream; the annotation only makes sure the interface
 * is processed at build time. Query parameters are passed unencoded; the client encodes them.
 */
@RegisterRestClient(configKey = "status-tracker-arr")
@Produces(MediaType.APPLICATION_JSON)
public interface ArrApi {

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
