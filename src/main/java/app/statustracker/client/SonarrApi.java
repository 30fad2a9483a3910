package app.statustracker.client;

import java.util.Map;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Sonarr REST API v3 as a Quarkus REST client interface; built programmatically by {@link SonarrClient} (the
 * annotation only makes sure the interface is processed at build time). Bodies are read as text and parsed by
 * {@link UpstreamHttp}, which also judges the status.
 */
@RegisterRestClient(configKey = "status-tracker-sonarr")
@Produces(MediaType.APPLICATION_JSON)
public interface SonarrApi {

    @GET
    @Path("/api/v3/episode")
    Uni<RestResponse<String>> episodes(@RestQuery("seriesId") long seriesId, @HeaderParam("X-Api-Key") String apiKey);

    @GET
    @Path("/api/v3/series")
    Uni<RestResponse<String>> series(@RestQuery("tvdbId") long tvdbId, @HeaderParam("X-Api-Key") String apiKey);

    @GET
    @Path("/api/v3/series/{id}")
    Uni<RestResponse<String>> seriesById(@org.jboss.resteasy.reactive.RestPath("id") long id,
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

    /** Every series Sonarr has. */
    @GET
    @Path("/api/v3/series")
    Uni<RestResponse<String>> allSeries(@HeaderParam("X-Api-Key") String apiKey);

    @DELETE
    @Path("/api/v3/series/{id}")
    Uni<RestResponse<String>> deleteSeries(@org.jboss.resteasy.reactive.RestPath("id") long id,
            @RestQuery("deleteFiles") boolean deleteFiles,
            @RestQuery("addImportListExclusion") boolean addImportListExclusion,
            @HeaderParam("X-Api-Key") String apiKey);

    /** A command ({@code {"name":"SeriesSearch","seriesId":42}}); the body is JSON text. */
    @POST
    @Path("/api/v3/command")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<String>> command(String body, @HeaderParam("X-Api-Key") String apiKey);

    /** The connections (notifications) configured, with their fields and event flags: the setup doctor reads them. */
    @GET
    @Path("/api/v3/notification")
    Uni<RestResponse<String>> notifications(@HeaderParam("X-Api-Key") String apiKey);

    /** The root folders media is imported into: the setup doctor compares them with download and Shoko paths. */
    @GET
    @Path("/api/v3/rootfolder")
    Uni<RestResponse<String>> rootFolders(@HeaderParam("X-Api-Key") String apiKey);

    /** The health check results (System → Status): the setup doctor reads them, never triggers a new check. */
    @GET
    @Path("/api/v3/health")
    Uni<RestResponse<String>> health(@HeaderParam("X-Api-Key") String apiKey);

    /** The download clients with their settings (passwords come masked): the setup doctor reads their categories. */
    @GET
    @Path("/api/v3/downloadclient")
    Uni<RestResponse<String>> downloadClients(@HeaderParam("X-Api-Key") String apiKey);

    /** The remote path mappings (download client path → local path): the setup doctor maps save paths with them. */
    @GET
    @Path("/api/v3/remotepathmapping")
    Uni<RestResponse<String>> remotePathMappings(@HeaderParam("X-Api-Key") String apiKey);
}
