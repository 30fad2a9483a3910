package app.statustracker.repository;

import java.util.Collection;
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

    private static final String LATEST = " order by updatedAt desc, id desc";
    private static final Sort NEWEST_ACTIVITY = Sort.descending("updatedAt").and("id", Sort.Direction.Descending);

    /** A Jellyseerr request id names one request, in any state (also available: delete events must find it). */
    public Uni<MediaRequest> findByJellyseerrId(long jellyseerrId, boolean is4k) {
        return find("jellyseerrId = ?1 and is4k = ?2 order by id desc", jellyseerrId, is4k).firstResult();
    }

    /**
     * The most recently active request in one of these states for this media. Movie and TV TMDB ids can collide,
     * so the media type always takes part. A row that belongs to another Jellyseerr request is not this one.
     */
    public Uni<MediaRequest> findByMedia(MediaType type, Long tmdbId, Long tvdbId, String imdbId, boolean is4k,
            Long jellyseerrId, Collection<RequestState> states) {
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
        String query = "from MediaRequest where mediaType = :type and is4k = :is4k and state in (:states) and ("
                + ids + ")" + (jellyseerrId != null ? " and (jellyseerrId is null or jellyseerrId = :js)" : "")
                + LATEST;
        var q = getSession().chain(s -> {
            var sel = s.createSelectionQuery(query, MediaRequest.class)
                    .setParameter("type", type)
                    .setParameter("is4k", is4k)
                    .setParameter("states", states);
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

    /** The request downloading this torrent (hash in lower case), itself or through one of its episodes. */
    public Uni<MediaRequest> findByHash(String hash, Collection<RequestState> states) {
        return find("state in ?2 and (downloadHash = ?1 or id in (select e.requestId from Episode e"
                + " where e.downloadHash = ?1))" + LATEST, hash, states).firstResult();
    }

    /** The request Sonarr (series id) or Radarr (movie id) knows by this id. */
    public Uni<MediaRequest> findByArrId(MediaType type, Long sonarrId, Long radarrId, Collection<RequestState> states) {
        if (sonarrId != null) {
            return find("mediaType = ?1 and sonarrId = ?2 and state in ?3" + LATEST, type, sonarrId, states)
                    .firstResult();
        }
        if (radarrId != null) {
            return find("mediaType = ?1 and radarrId = ?2 and state in ?3" + LATEST, type, radarrId, states)
                    .firstResult();
        }
        return Uni.createFrom().nullItem();
    }

    /** The request whose movie or series Jellyfin knows by this item id. */
    public Uni<MediaRequest> findByJellyfinId(String jellyfinId, Collection<RequestState> states) {
        return find("jellyfinId = ?1 and state in ?2" + LATEST, jellyfinId, states).firstResult();
    }

    /** The TV request tracking an episode with one of these TVDB episode ids. */
    public Uni<MediaRequest> findByEpisodeTvdbId(Collection<Long> episodeTvdbIds, Collection<RequestState> states) {
        if (episodeTvdbIds.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return find("state in ?2 and id in (select e.requestId from Episode e where e.episodeTvdbId in ?1)" + LATEST,
                episodeTvdbIds, states).firstResult();
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
