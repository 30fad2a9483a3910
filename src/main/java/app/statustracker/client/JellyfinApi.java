package app.statustracker.client;

import java.util.Map;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Jellyfin REST as a Quarkus REST client interface; built programmatically by {@link JellyfinClient} (the annotation
 * only makes sure the interface is processed at build time). Query parameters are passed unencoded; the client
 * encodes them.
 */
@RegisterRestClient(configKey = "status-tracker-jellyfin")
@Produces(MediaType.APPLICATION_JSON)
public interface JellyfinApi {

    @GET
    @Path("/Items")
    Uni<RestResponse<String>> items(@RestQuery Map<String, String> query,
            @HeaderParam("Authorization") String authorization);

    @jakarta.ws.rs.POST
    @Path("/Library/Refresh")
    Uni<RestResponse<String>> refreshLibrary(@HeaderParam("Authorization") String authorization);

    /** A Jellyfin login: body {@code {"Username","Pw"}}, header {@code MediaBrowser Client=..., DeviceId=...}. */
    @jakarta.ws.rs.POST
    @Path("/Users/AuthenticateByName")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<String>> authenticateByName(String body, @HeaderParam("Authorization") String authorization);

    /** The user a token belongs to (10.8+); 401 when the token is unknown or revoked. */
    @GET
    @Path("/Users/Me")
    Uni<RestResponse<String>> me(@HeaderParam("Authorization") String authorization);

    /** Revokes the token of the caller. */
    @jakarta.ws.rs.POST
    @Path("/Sessions/Logout")
    Uni<RestResponse<String>> logout(@HeaderParam("Authorization") String authorization);

    /** The server's name and version; needs a valid key (the setup doctor's key check). */
    @GET
    @Path("/System/Info")
    Uni<RestResponse<String>> systemInfo(@HeaderParam("Authorization") String authorization);

    /** Installed plugins ({@code PluginInfo}: Name, Version, Id, Status, ...). */
    @GET
    @Path("/Plugins")
    Uni<RestResponse<String>> plugins(@HeaderParam("Authorization") String authorization);

    /** A plugin's configuration as the plugin stores it, serialised by Jellyfin (PascalCase). */
    @GET
    @Path("/Plugins/{pluginId}/Configuration")
    Uni<RestResponse<String>> pluginConfiguration(@RestPath("pluginId") String pluginId,
            @HeaderParam("Authorization") String authorization);

    /** The libraries ({@code VirtualFolderInfo}: Name, Locations, CollectionType, ItemId, ...). */
    @GET
    @Path("/Library/VirtualFolders")
    Uni<RestResponse<String>> virtualFolders(@HeaderParam("Authorization") String authorization);

    @GET
    @Path("/Shows/{seriesId}/Episodes")
    Uni<RestResponse<String>> episodes(@RestPath("seriesId") String seriesId, @RestQuery Map<String, String> query,
            @HeaderParam("Authorization") String authorization);
}
