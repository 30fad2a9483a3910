package app.statustracker.rest;

import java.util.Arrays;
import java.util.List;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import app.statustracker.EventOutcome;
import app.statustracker.auth.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import app.statustracker.RequestState;
import app.statustracker.service.EpisodeView;
import app.statustracker.service.RequestDetailView;
import app.statustracker.service.RequestQueryService;
import app.statustracker.service.RequestQueryService.EventPage;
import app.statustracker.service.RequestQueryService.HistoryPage;
import app.statustracker.service.RequestQueryService.RequestPage;
import app.statustracker.service.RequestQueryService.Stats;
import app.statustracker.service.RequestView;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The read API of PRODUCT.md §3. Paging parameters are taken as text and validated here, so that "abc" or a page
 * far beyond any data gets a clear 400 instead of JAX-RS's 404 or an overflowing offset.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class RequestsResource {

    private static final String PAGE = "[1-9][0-9]{0,5}";
    private static final String PAGE_MESSAGE = "must be a whole number from 1 to 999999";
    private static final String PER_PAGE = "[1-9][0-9]?|100";
    private static final String PER_PAGE_MESSAGE = "must be a whole number from 1 to 100";

    private final RequestQueryService queries;
    private final SecurityIdentity identity;

    public RequestsResource(RequestQueryService queries, SecurityIdentity identity) {
        this.queries = queries;
        this.identity = identity;
    }

    @GET
    @Path("/requests")
    public Uni<RequestPage> requests(
            @RestQuery @DefaultValue("1") @Pattern(regexp = PAGE, message = PAGE_MESSAGE) String page,
            @RestQuery("per_page") @DefaultValue("20") @Pattern(regexp = PER_PAGE, message = PER_PAGE_MESSAGE) String perPage,
            @RestQuery String state) {
        return queries.page(states(state, List.of(RequestState.values())), Integer.parseInt(page),
                Integer.parseInt(perPage));
    }

    @GET
    @Path("/requests/active")
    public Uni<List<RequestView>> active() {
        return queries.active();
    }

    @GET
    @Path("/requests/{id}")
    public Uni<RequestDetailView> request(@RestPath long id) {
        // Raw payloads are for admins: they show everything each upstream sent (secrets masked).
        return queries.detail(id, identity.hasRole(Roles.ADMIN)).onItem().ifNull().failWith(() -> new NotFoundException("Request not found"));
    }

    @GET
    @Path("/requests/{id}/episodes")
    public Uni<List<EpisodeView>> episodes(@RestPath long id) {
        return queries.episodes(id).onItem().ifNull().failWith(() -> new NotFoundException("Request not found"));
    }

    @GET
    @Path("/history")
    public Uni<HistoryPage> history(@RestQuery String state, @RestQuery String user,
            @RestQuery @DefaultValue("1") @Pattern(regexp = PAGE, message = PAGE_MESSAGE) String page,
            @RestQuery("per_page") @DefaultValue("50") @Pattern(regexp = PER_PAGE, message = PER_PAGE_MESSAGE) String perPage) {
        List<RequestState> finished = List.copyOf(RequestState.FINISHED);
        List<RequestState> states = states(state, finished);
        if (!finished.containsAll(states)) {
            throw new BadRequestException("state must be one of available, failed, timeout");
        }
        return queries.history(states, user == null || user.isBlank() ? null : user, Integer.parseInt(page),
                Integer.parseInt(perPage));
    }

    /** The event log (admins): every inbound event, newest first, also those no request owns (ignored, rejected, ...). */
    @GET
    @Path("/events")
    @RolesAllowed(Roles.ADMIN)
    public Uni<EventPage> events(@RestQuery String outcome, @RestQuery String source,
            @RestQuery @DefaultValue("1") @Pattern(regexp = PAGE, message = PAGE_MESSAGE) String page,
            @RestQuery("per_page") @DefaultValue("50") @Pattern(regexp = PER_PAGE, message = PER_PAGE_MESSAGE) String perPage) {
        EventOutcome wanted = null;
        if (outcome != null && !outcome.isBlank()) {
            wanted = Arrays.stream(EventOutcome.values()).filter(o -> o.value().equals(outcome.trim())).findFirst()
                    .orElseThrow(() -> new BadRequestException("unknown outcome '" + outcome + "'; one of "
                            + Arrays.stream(EventOutcome.values()).map(EventOutcome::value).toList()));
        }
        return queries.events(wanted, source == null || source.isBlank() ? null : source.trim(),
                Integer.parseInt(page), Integer.parseInt(perPage));
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
                "unknown state '" + state + "'; one of " + Arrays.stream(RequestState.values())
                        .map(RequestState::value).toList())));
    }
}
