package app.statustracker.rest;

import java.util.Map;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import app.statustracker.service.EventPipeline.PipelineUnavailableException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;

/** Errors as {@code {"detail": "..."}} with the right status; internals never leak into the body. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String message = e.getMessage() == null ? "HTTP " + status : e.getMessage();
        return RestResponse.status(RestResponse.Status.fromStatusCode(status), Map.of("detail", message));
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> invalid(ConstraintViolationException e) {
        String message = e.getConstraintViolations().stream()
                .map(v -> lastNode(v.getPropertyPath().toString()) + " " + v.getMessage())
                .sorted().reduce((a, b) -> a + "; " + b).orElse("invalid request");
        return RestResponse.status(RestResponse.Status.BAD_REQUEST, Map.of("detail", message));
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> unavailable(PipelineUnavailableException e) {
        return RestResponse.status(RestResponse.Status.SERVICE_UNAVAILABLE, Map.of("detail", e.getMessage()));
    }

    /** An admin route called without a login (or with one Jellyfin no longer confirms). */
    @ServerExceptionMapper({ io.quarkus.security.UnauthorizedException.class,
            io.quarkus.security.AuthenticationFailedException.class })
    public RestResponse<Map<String, String>> unauthorized(RuntimeException e, io.vertx.ext.web.RoutingContext context) {
        return RestResponse.status(RestResponse.Status.UNAUTHORIZED,
                Map.of("detail", app.statustracker.auth.JellyfinAuthMechanism.unauthorizedDetail(context)));
    }

    /** An admin route called by a logged-in user who is not an admin. */
    @ServerExceptionMapper
    public RestResponse<Map<String, String>> forbidden(io.quarkus.security.ForbiddenException e) {
        return RestResponse.status(RestResponse.Status.FORBIDDEN, Map.of("detail",
                "Admin privileges required: a Jellyfin administrator or a user listed in ADMIN_USER_IDS"));
    }

    /** "requests.perPage" -> "per_page": the name the caller used. */
    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        String name = dot < 0 ? path : path.substring(dot + 1);
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
