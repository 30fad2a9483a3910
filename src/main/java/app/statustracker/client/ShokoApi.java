package app.statustracker.client;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Shoko Server REST API v3 as a Quarkus REST client interface; built programmatically by {@link ShokoClient} (the
 * annotation only makes sure the interface is processed at build time). Bodies are read as text and parsed by
 * {@link UpstreamHttp}, which also judges the status. Shoko reads the key from the {@code apikey} header.
 */
@RegisterRestClient(configKey = "status-tracker-shoko")
@Produces(MediaType.APPLICATION_JSON)
public interface ShokoApi {

    @GET
    @Path("/api/v3/ImportFolder")
    Uni<RestResponse<String>> importFolders(@HeaderParam("apikey") String apiKey);

    /** Shoko 6's name for import folders. */
    @GET
    @Path("/api/v3/ManagedFolder")
    Uni<RestResponse<String>> managedFolders(@HeaderParam("apikey") String apiKey);

    /** {@code include=XRefs} (5.x) and {@code includeXRefs=true} (older 4.x/5.0 builds); each ignores the other. */
    @GET
    @Path("/api/v3/File/{id}")
    Uni<RestResponse<String>> file(@RestPath("id") long id, @RestQuery("include") String include,
            @RestQuery("includeXRefs") boolean includeXRefs, @HeaderParam("apikey") String apiKey);

    @GET
    @Path("/api/v3/File/PathEndsWith")
    Uni<RestResponse<String>> fileByPathEnd(@RestQuery("path") String path, @RestQuery("include") String include,
            @RestQuery("limit") int limit, @HeaderParam("apikey") String apiKey);

    /** Older servers only: the path in the route ({@code PathEndsWith/{*path}}), segments already encoded. */
    @GET
    @Path("/api/v3/File/PathEndsWith/{tail}")
    Uni<RestResponse<String>> fileByPathEndInRoute(@Encoded @RestPath("tail") String encodedTail,
            @HeaderParam("apikey") String apiKey);

    @GET
    @Path("/api/v3/Series/Search")
    Uni<RestResponse<String>> searchSeries(@RestQuery("query") String query, @RestQuery("fuzzy") boolean fuzzy,
            @RestQuery("limit") int limit, @HeaderParam("apikey") String apiKey);

    @GET
    @Path("/api/v3/Series/{id}")
    Uni<RestResponse<String>> series(@RestPath("id") long id, @HeaderParam("apikey") String apiKey);

    @POST
    @Path("/api/v3/File/{id}/LinkFromSeries")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<String>> linkFromSeries(@RestPath("id") long id, String body,
            @HeaderParam("apikey") String apiKey);

    /**
     * Drops the files Shoko can no longer find from its database (a queued job; Shoko answers at once). A GET that
     * changes things: Shoko's own route ({@code ActionController}, 4.x and 5.x).
     */
    @GET
    @Path("/api/v3/Action/RemoveMissingFiles/{removeFromMyList}")
    Uni<RestResponse<String>> removeMissingFiles(@RestPath("removeFromMyList") boolean removeFromMyList,
            @HeaderParam("apikey") String apiKey);
}
