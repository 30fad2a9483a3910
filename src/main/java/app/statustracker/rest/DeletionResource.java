package app.statustracker.rest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.DeletionLog;
import app.statustracker.auth.Caller;
import app.statustracker.auth.Roles;
import app.statustracker.service.DeletionLogView;
import app.statustracker.service.DeletionPreview;
import app.statustracker.service.DeletionQueries;
import app.statustracker.service.DeletionQueries.LogPage;
import app.statustracker.service.DeletionSync;
import app.statustracker.service.DeletionSync.Bulk;
import app.statustracker.service.DeletionSync.Result;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Deleting requests and the deletion log (issue 7), for admins only. A delete answers 202 with the deletion as it
 * starts; the upstreams are asked in the background and each step reaches dashboards as an SSE update. Bodies are
 * read here, so that a malformed one gets a clear 400 in the API's {@code {"detail": ...}} shape.
 *
 * <p>The routes under {@code /api/requests} are classes of their own, each with its full path: Quarkus REST picks the
 * class with the most specific path first and never looks at another, so a class of {@code /api/requests/{id}} would
 * hide the other resources' routes below that path, and one of {@code /api} might be hidden by them.
 */
@Path("/api/deletion-logs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@RolesAllowed(Roles.ADMIN)
public class DeletionResource {

    private static final String PAGE = "[1-9][0-9]{0,5}";
    private static final String PAGE_MESSAGE = "must be a whole number from 1 to 999999";
    private static final String PER_PAGE = "[1-9][0-9]?|100";
    private static final String PER_PAGE_MESSAGE = "must be a whole number from 1 to 100";

    private final DeletionSync sync;
    private final DeletionQueries queries;
    private final SecurityIdentity identity;

    public DeletionResource(DeletionSync sync, DeletionQueries queries, SecurityIdentity identity) {
        this.sync = sync;
        this.queries = queries;
        this.identity = identity;
    }

    /** Newest first; {@code source}: dashboard, sonarr or radarr. */
    @GET
    public Uni<LogPage> logs(
            @RestQuery @DefaultValue("1") @Pattern(regexp = PAGE, message = PAGE_MESSAGE) String page,
            @RestQuery("per_page") @DefaultValue("20") @Pattern(regexp = PER_PAGE, message = PER_PAGE_MESSAGE) String perPage,
            @RestQuery String source) {
        DeletionLog.Source wanted = null;
        if (source != null && !source.isBlank()) {
            wanted = DeletionLog.Source.parse(source.trim()).orElseThrow(() -> new BadRequestException(
                    "unknown source '" + source + "'; one of " + Arrays.stream(DeletionLog.Source.values())
                            .map(DeletionLog.Source::value).toList()));
        }
        return queries.page(wanted, Integer.parseInt(page), Integer.parseInt(perPage));
    }

    @GET
    @Path("/{id}")
    public Uni<DeletionLogView> log(@RestPath long id) {
        return queries.detail(id).onItem().ifNull().failWith(() -> new NotFoundException("Deletion log not found"));
    }

    /** Asks again the services whose step failed. 409 while the deletion runs, or when nothing failed. */
    @POST
    @Path("/{id}/retry")
    public Uni<RestResponse<DeletionLogView>> retry(@RestPath long id) {
        return sync.retryFailed(id, Caller.of(identity)).map(result -> accepted(result, "Deletion log not found",
                result.outcome() == DeletionSync.Outcome.NOTHING_FAILED
                        ? "no step of deletion " + id + " failed: nothing to retry"
                        : "deletion " + id + " is still running; retry once it has finished"));
    }

    static RestResponse<DeletionLogView> accepted(Result result, String notFound, String conflict) {
        return switch (result.outcome()) {
            case STARTED -> RestResponse.status(RestResponse.Status.ACCEPTED, result.log());
            case NOT_FOUND -> throw new NotFoundException(notFound);
            default -> throw new ClientErrorException(conflict, RestResponse.StatusCode.CONFLICT);
        };
    }

    /** The body as a JSON object; an empty body is an empty object (every field has a default). */
    static JsonNode object(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("the body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestException("the body must be a JSON object");
        }
        return node;
    }

    static boolean flag(JsonNode body, String field, boolean absent) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw new BadRequestException(field + " must be true or false");
        }
        return value.booleanValue();
    }

    static boolean bool(String field, String value) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new BadRequestException(field + " must be true or false");
    }

    /** {@code GET /api/requests/{id}/delete-preview}. */
    @Path("/api/requests/{id}/delete-preview")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public static class DeletePreview {

        private final DeletionQueries queries;

        public DeletePreview(DeletionQueries queries) {
            this.queries = queries;
        }

        /** What deleting the request would do with each service ({@code delete_files}: true unless said so). */
        @GET
        public Uni<DeletionPreview> preview(@RestPath long id, @RestQuery("delete_files") String deleteFiles) {
            boolean files = deleteFiles == null || deleteFiles.isBlank() || bool("delete_files", deleteFiles.trim());
            return queries.preview(id, files).onItem().ifNull()
                    .failWith(() -> new NotFoundException("Request not found"));
        }
    }

    /** {@code POST /api/requests/{id}/delete}. */
    @Path("/api/requests/{id}/delete")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.ADMIN)
    public static class Delete {

        private final DeletionSync sync;
        private final SecurityIdentity identity;
        private final ObjectMapper json;

        public Delete(DeletionSync sync, SecurityIdentity identity, ObjectMapper json) {
            this.sync = sync;
            this.identity = identity;
            this.json = json;
        }

        /** Body {@code {"delete_files": true}} (absent: true). 202 with the deletion; 409 while one is running. */
        @POST
        public Uni<RestResponse<DeletionLogView>> delete(@RestPath long id, String body) {
            JsonNode request = object(json, body);
            boolean deleteFiles = flag(request, "delete_files", true);
            return sync.start(id, deleteFiles, Caller.of(identity)).map(result -> accepted(result,
                    "Request not found",
                    "a deletion of request " + id + " is still running; wait for it, then retry what failed"));
        }
    }

    /** {@code POST /api/requests/bulk-delete}. */
    @Path("/api/requests/bulk-delete")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.ADMIN)
    public static class BulkDelete {

        private final DeletionSync sync;
        private final SecurityIdentity identity;
        private final ObjectMapper json;

        public BulkDelete(DeletionSync sync, SecurityIdentity identity, ObjectMapper json) {
            this.sync = sync;
            this.identity = identity;
            this.json = json;
        }

        /** Body {@code {"request_ids": [..], "delete_files": true}}: 1 to 100 ids. */
        @POST
        public Uni<RestResponse<Bulk>> bulkDelete(String body) {
            JsonNode request = object(json, body);
            JsonNode ids = request.get("request_ids");
            if (ids == null || !ids.isArray()) {
                throw new BadRequestException("request_ids must be a list of request ids");
            }
            if (ids.isEmpty() || ids.size() > DeletionSync.MAX_BULK) {
                throw new BadRequestException("request_ids must name 1 to " + DeletionSync.MAX_BULK + " requests");
            }
            List<Long> requestIds = new ArrayList<>();
            for (JsonNode id : ids) {
                if (!id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() < 1) {
                    throw new BadRequestException("request_ids must hold whole numbers from 1 up; got " + id);
                }
                requestIds.add(id.longValue());
            }
            boolean deleteFiles = flag(request, "delete_files", true);
            return sync.startAll(requestIds, deleteFiles, Caller.of(identity))
                    .map(bulk -> RestResponse.status(RestResponse.Status.ACCEPTED, bulk));
        }
    }
}
