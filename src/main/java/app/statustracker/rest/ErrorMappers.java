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

    /** "requests.perPage" -> "per_page": the name the caller used. */
    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        String name = dot < 0 ? path : path.substring(dot + 1);
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
