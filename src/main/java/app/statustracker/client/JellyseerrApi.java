package app.statustracker.client;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Jellyseerr REST API v1 as a Quarkus REST client interface; built programmatically by {@link JellyseerrClient} (the
 * annotation only makes sure the interface is processed at build time).
 */
@RegisterRestClient(configKey = "status-tracker-jellyseerr")
@Produces(MediaType.APPLICATION_JSON)
public interface JellyseerrApi {

    @GET
    @Path("/api/v1/tv/{tmdbId}")
    Uni<RestResponse<String>> tv(@RestPath("tmdbId") long tmdbId, @HeaderParam("X-Api-Key") String apiKey);

    @GET
    @Path("/api/v1/movie/{tmdbId}")
    Uni<RestResponse<String>> movie(@RestPath("tmdbId") long tmdbId, @HeaderParam("X-Api-Key") String apiKey);

    @GET
    @Path("/api/v1/request")
    Uni<RestResponse<String>> requests(@org.jboss.resteasy.reactive.RestQuery java.util.Map<String, String> query,
            @HeaderParam("X-Api-Key") String apiKey);

    @DELETE
    @Path("/api/v1/request/{id}")
    Uni<RestResponse<String>> deleteRequest(@RestPath("id") long id, @HeaderParam("X-Api-Key") String apiKey);

    /** Removes the media entry (and with it its requests and "available" status). */
    @DELETE
    @Path("/api/v1/media/{id}")
    Uni<RestResponse<String>> deleteMedia(@RestPath("id") long id, @HeaderParam("X-Api-Key") String apiKey);

    /** The webhook agent's settings: enabled, the notification types (a bit mask) and the URL. */
    @GET
    @Path("/api/v1/settings/notifications/webhook")
    Uni<RestResponse<String>> webhookSettings(@HeaderParam("X-Api-Key") String apiKey);
}
