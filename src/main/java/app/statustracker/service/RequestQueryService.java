package app.statustracker.service;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import app.statustracker.Episode;
import app.statustracker.MediaRequest;
import app.statustracker.RequestState;
import app.statustracker.repository.EpisodeRepository;
import app.statustracker.repository.InboundEventRepository;
import app.statustracker.repository.MediaRequestRepository;
import app.statustracker.repository.TimelineRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Read side of the API: requests with their episodes, timeline, events and counts. */
@ApplicationScoped
@WithSession
public class RequestQueryService {

    @io.quarkus.runtime.annotations.RegisterForReflection
    public record RequestPage(List<RequestView> requests, long total, int page, int perPage) {
    }

    @io.quarkus.runtime.annotations.RegisterForReflection
    public record HistoryPage(List<RequestView> requests, long total, int page, int perPage,
            Map<String, Long> counts, List<String> requesters) {
    }

    @io.quarkus.runtime.annotations.RegisterForReflection
    public record EventPage(List<InboundEventView> events, long total, int page, int perPage) {
    }

    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Stats(Map<String, Long> stats, long total) {
    }

    private final MediaRequestRepository requests;
    private final EpisodeRepository episodes;
    private final TimelineRepository timeline;
    private final InboundEventRepository inbound;

    public RequestQueryService(MediaRequestRepository requests, EpisodeRepository episodes, TimelineRepository timeline,
            InboundEventRepository inbound) {
        this.requests = requests;
        this.episodes = episodes;
        this.timeline = timeline;
        this.inbound = inbound;
    }

    /** Newest activity first; 1-based page. */
    public Uni<RequestPage> page(List<RequestState> states, int page, int perPage) {
        return requests.page(states, null, page - 1, perPage)
                .chain(rows -> withEpisodes(rows, true))
                .chain(views -> requests.count(states, null).map(total -> new RequestPage(views, total, page, perPage)));
    }

    public Uni<List<RequestView>> active() {
        return requests.page(List.copyOf(RequestState.ACTIVE), null, 0, 1000).chain(rows -> withEpisodes(rows, true));
    }

    public Uni<HistoryPage> history(List<RequestState> states, String user, int page, int perPage) {
        return requests.page(states, user, page - 1, perPage)
                .chain(rows -> withEpisodes(rows, false))
                .chain(views -> requests.count(states, user)
                        .chain(total -> stateCounts().chain(counts -> requests.requesters()
                                .map(users -> {
                                    Map<String, Long> finished = new LinkedHashMap<>();
                                    for (RequestState s : RequestState.FINISHED) {
                                        finished.put(s.value(), counts.getOrDefault(s, 0L));
                                    }
                                    return new HistoryPage(views, total, page, perPage, finished, users);
                                }))));
    }

    /** The event log, newest first: what arrived, and what became of it (payload secrets masked). */
    public Uni<EventPage> events(app.statustracker.EventOutcome outcome, String source, int page, int perPage) {
        return inbound.page(outcome, source, page - 1, perPage)
                .chain(rows -> inbound.count(outcome, source).map(total -> new EventPage(
                        rows.stream().map(RequestViews::of).toList(), total, page, perPage)));
    }

    public Uni<Stats> stats() {
        return stateCounts().map(counts -> new Stats(RequestViews.allStates(counts),
                counts.values().stream().mapToLong(Long::longValue).sum()));
    }

    /**
     * The request with episodes, timeline (oldest first) and, when {@code withEvents} (admins), the raw events that
     * touched it; null if unknown.
     */
    public Uni<RequestDetailView> detail(long id, boolean withEvents) {
        return requests.findById(id).chain(r -> r == null ? Uni.createFrom().nullItem()
                : episodes.forRequest(id).chain(eps -> timeline.forRequest(id).chain(tl -> (withEvents
                        ? inbound.forRequest(id).map(events -> events.stream().map(RequestViews::of).toList())
                        : Uni.createFrom().<List<InboundEventView>> nullItem())
                        .map(events -> new RequestDetailView(RequestViews.of(r, eps, true),
                                tl.stream().map(RequestViews::of).toList(), events)))));
    }

    /** Episodes by season and number; null if the request does not exist. */
    public Uni<List<EpisodeView>> episodes(long id) {
        return requests.findById(id).chain(r -> r == null ? Uni.createFrom().nullItem()
                : episodes.forRequest(id).map(eps -> eps.stream().map(RequestViews::of).toList()));
    }

    private Uni<Map<RequestState, Long>> stateCounts() {
        return requests.countByState().map(rows -> {
            Map<RequestState, Long> counts = new EnumMap<>(RequestState.class);
            for (Object[] row : rows) {
                counts.put((RequestState) row[0], (Long) row[1]);
            }
            return counts;
        });
    }

    /** One query for the episodes of the whole page, not one per request. */
    private Uni<List<RequestView>> withEpisodes(List<MediaRequest> rows, boolean withEpisodeList) {
        List<Long> ids = rows.stream().map(r -> r.id).toList();
        return episodes.forRequests(ids).map(all -> {
            Map<Long, List<Episode>> byRequest = all.stream().collect(Collectors.groupingBy(e -> e.requestId));
            return rows.stream().map(r -> RequestViews.of(r, byRequest.getOrDefault(r.id, List.of()), withEpisodeList))
                    .toList();
        });
    }
}
