package app.statustracker.rest;

import java.util.List;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import app.statustracker.RequestState;
import app.statustracker.service.EpisodeView;
import app.statustracker.service.RequestDetailView;
import app.statustracker.service.RequestQueryService;
import app.statustracker.service.RequestQueryService.HistoryPage;
import app.statustracker.service.RequestQueryService.RequestPage;
import app.statustracker.service.RequestQueryService.Stats;
import app.statustracker.service.RequestView;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The read API of PRODUCT.md §3. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class RequestsResource {

    private final RequestQueryService queries;

    public RequestsResource(RequestQueryService queries) {
        this.queries = queries;
    }

    @GET
    @Path("/requests")
    public Uni<RequestPage> requests(@RestQuery @DefaultValue("1") @Min(1) int page,
            @RestQuery("per_page") @DefaultValue("20") @Min(1) @Max(100) int perPage, @RestQuery String state) {
        return queries.page(states(state, List.of(RequestState.values())), page, perPage);
    }

    @GET
    @Path("/requests/active")
    public Uni<List<RequestView>> active() {
        return queries.active();
    }

    @GET
    @Path("/requests/{id}")
    public Uni<RequestDetailView> request(@RestPath long id) {
        return queries.detail(id).onItem().ifNull().failWith(() -> new NotFoundException("Request not found"));
    }

    @GET
    @Path("/requests/{id}/episodes")
    public Uni<List<EpisodeView>> episodes(@RestPath long id) {
        return queries.episodes(id).onItem().ifNull().failWith(() -> new NotFoundException("Request not found"));
    }

    @GET
    @Path("/history")
    public Uni<HistoryPage> history(@RestQuery String state, @RestQuery String user,
            @RestQuery @DefaultValue("1") @Min(1) int page,
            @RestQuery("per_page") @DefaultValue("50") @Min(1) @Max(200) int perPage) {
        List<RequestState> finished = List.copyOf(RequestState.FINISHED);
        List<RequestState> states = states(state, finished);
        if (!finished.containsAll(states)) {
            throw new BadRequestException("state must be one of available, failed, timeout");
        }
        return queries.history(states, user == null || user.isBlank() ? null : user, page, perPage);
    }

    @GET
    @Path("/stats")
    public Uni<Stats> stats() {
        return queries.stats();
    }

    private static List<RequestState> states(String state, List<RequestState> all) {
        if (state == null || state.isBlank()) {
            return all;
        }
        return List.of(RequestState.parse(state).orElseThrow(() -> new BadRequestException(
                "unknown state '" + state + "'; one of " + java.util.Arrays.stream(RequestState.values())
                        .map(RequestState::value).toList())));
    }
}
