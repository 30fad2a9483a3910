package app.statustracker.rest;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import app.statustracker.auth.Caller;
import app.statustracker.auth.Roles;
import app.statustracker.service.AdminActions;
import app.statustracker.service.AdminActions.Outcome;
import app.statustracker.client.UpstreamException;
import app.statustracker.service.LibraryImport;
import app.statustracker.service.SecretMasker;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Admins' actions: Retry and Verify on one request, and the library import. */
// "/api" as on RequestsResource: JAX-RS picks one class by its path first, so a longer class path here would hide
// the GET routes below /api/requests/{id}.
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@RolesAllowed(Roles.ADMIN)
public class AdminResource {

    private final AdminActions actions;
    private final LibraryImport libraryImport;
    private final SecurityIdentity identity;

    public AdminResource(AdminActions actions, LibraryImport libraryImport, SecurityIdentity identity) {
        this.actions = actions;
        this.libraryImport = libraryImport;
        this.identity = identity;
    }

    /** Movies and series Jellyfin already has become available requests (see {@link LibraryImport}). */
    @POST
    @Path("/admin/library-import")
    public Uni<LibraryImport.Result> importLibrary() {
        return libraryImport.run(Caller.of(identity)).onFailure(UpstreamException.class).transform(f ->
                new jakarta.ws.rs.ServiceUnavailableException("Jellyfin could not be read, so nothing was imported: "
                        + SecretMasker.maskText(f.getMessage())));
    }

    @POST
    @Path("/requests/{id}/retry")
    public Uni<RestResponse<Outcome>> retry(@RestPath long id) {
        return actions.retry(id, Caller.of(identity)).map(AdminResource::answer);
    }

    @POST
    @Path("/requests/{id}/verify")
    public Uni<RestResponse<Outcome>> verify(@RestPath long id) {
        return actions.verify(id).map(AdminResource::answer);
    }

    private static RestResponse<Outcome> answer(Outcome outcome) {
        if (outcome == null) {
            throw new NotFoundException("Request not found");
        }
        if ("not_retryable".equals(outcome.outcome())) {
            throw new jakarta.ws.rs.ClientErrorException(outcome.message(), RestResponse.StatusCode.CONFLICT);
        }
        return RestResponse.ok(outcome);
    }
}
