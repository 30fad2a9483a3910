package app.statustracker.repository;

import java.util.List;

import app.statustracker.MediaRequest;
import app.statustracker.MediaType;
import app.statustracker.RequestState;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class MediaRequestRepository implements PanacheRepository<MediaRequest> {

    private static final Sort NEWEST_ACTIVITY = Sort.descending("updatedAt").and("id", Sort.Direction.Descending);

    /** A Jellyseerr request id names one request, in any state (also available: delete events must find it). */
    public Uni<MediaRequest> findByJellyseerrId(long jellyseerrId, boolean is4k) {
        return find("jellyseerrId = ?1 and is4k = ?2 order by id desc", jellyseerrId, is4k).firstResult();
    }

    /**
     * The most recently active open (not yet available) request for this media. Movie and TV TMDB ids can collide,
     * so the media type always takes part. A row that belongs to another Jellyseerr request is not this one.
     */
    public Uni<MediaRequest> findOpenByMedia(MediaType type, Long tmdbId, Long tvdbId, String imdbId, boolean is4k,
            Long jellyseerrId) {
        StringBuilder ids = new StringBuilder();
        if (tvdbId != null) {
            ids.append("tvdbId = :tvdb");
        }
        if (tmdbId != null) {
            ids.append(ids.isEmpty() ? "" : " or ").append("tmdbId = :tmdb");
        }
        if (imdbId != null) {
            ids.append(ids.isEmpty() ? "" : " or ").append("imdbId = :imdb");
        }
        if (ids.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        String query = "from MediaRequest where mediaType = :type and is4k = :is4k and state <> :available and ("
                + ids + ")" + (jellyseerrId != null ? " and (jellyseerrId is null or jellyseerrId = :js)" : "")
                + " order by updatedAt desc, id desc";
        var q = getSession().chain(s -> {
            var sel = s.createSelectionQuery(query, MediaRequest.class)
                    .setParameter("type", type)
                    .setParameter("is4k", is4k)
                    .setParameter("available", RequestState.AVAILABLE);
            if (tvdbId != null) {
                sel.setParameter("tvdb", tvdbId);
            }
            if (tmdbId != null) {
                sel.setParameter("tmdb", tmdbId);
            }
            if (imdbId != null) {
                sel.setParameter("imdb", imdbId);
            }
            if (jellyseerrId != null) {
                sel.setParameter("js", jellyseerrId);
            }
            return sel.setMaxResults(1).getResultList();
        });
        return q.map(list -> list.isEmpty() ? null : list.get(0));
    }

    /** The open request downloading this torrent (hash in lower case). */
    public Uni<MediaRequest> findOpenByHash(String hash) {
        return find("downloadHash = ?1 and state <> ?2 order by updatedAt desc, id desc", hash, RequestState.AVAILABLE)
                .firstResult();
    }

    public Uni<List<MediaRequest>> page(List<RequestState> states, String requestedBy, int pageIndex, int size) {
        return query(states, requestedBy).page(Page.of(pageIndex, size)).list();
    }

    public Uni<Long> count(List<RequestState> states, String requestedBy) {
        return query(states, requestedBy).count();
    }

    private io.quarkus.hibernate.reactive.panache.PanacheQuery<MediaRequest> query(List<RequestState> states,
            String requestedBy) {
        if (requestedBy != null) {
            return find("state in ?1 and requestedBy = ?2", NEWEST_ACTIVITY, states, requestedBy);
        }
        return find("state in ?1", NEWEST_ACTIVITY, states);
    }

    /** Count of requests per state, as [state, count] rows. */
    public Uni<List<Object[]>> countByState() {
        return getSession().chain(s -> s.createSelectionQuery(
                "select state, count(*) from MediaRequest group by state", Object[].class).getResultList());
    }

    public Uni<List<String>> requesters() {
        return getSession().chain(s -> s.createSelectionQuery(
                "select distinct requestedBy from MediaRequest where requestedBy is not null order by requestedBy",
                String.class).getResultList());
    }
}
