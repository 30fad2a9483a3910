package app.statustracker.repository;

import java.util.List;

import app.statustracker.MediaRequest;
import app.statustracker.MediaType;
import app.statustracker.RequestState;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
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
     * Which requests a lookup may return. Written into the query with scalar parameters, never a collection: Hibernate
     * translates a query with a collection parameter to SQL again on every execution (14 % of the writer's CPU).
     */
    public enum Among {
        /** Still on their way: neither available nor removed. */
        OPEN("state <> :s1 and state <> :s2", RequestState.AVAILABLE, RequestState.REMOVED),
        AVAILABLE("state = :s1", RequestState.AVAILABLE, null),
        /** Available or removed. */
        CLOSED("(state = :s1 or state = :s2)", RequestState.AVAILABLE, RequestState.REMOVED);

        final String filter;
        final RequestState s1;
        final RequestState s2;

        Among(String filter, RequestState s1, RequestState s2) {
            this.filter = filter;
            this.s1 = s1;
            this.s2 = s2;
        }

        Parameters bind(Parameters p) {
            p.and("s1", s1);
            return s2 == null ? p : p.and("s2", s2);
        }
    }

    /**
     * The most recently active request among these for this media. Movie and TV TMDB ids can collide, so the media
     * type always takes part. A row that belongs to another Jellyseerr request is not this one. {@code is4k} null:
     * the event cannot tell (Sonarr, Radarr and Jellyfin do not say), so 4K and regular requests both fit.
     */
    public Uni<MediaRequest> findByMedia(MediaType type, Long tmdbId, Long tvdbId, String imdbId, Boolean is4k,
            Long jellyseerrId, Among among) {
        StringBuilder ids = new StringBuilder();
        Parameters p = Parameters.with("type", type);
        if (is4k != null) {
            p.and("is4k", is4k);
        }
        if (tvdbId != null) {
            ids.append("tvdbId = :tvdb");
            p.and("tvdb", tvdbId);
        }
        if (tmdbId != null) {
            ids.append(ids.isEmpty() ? "" : " or ").append("tmdbId = :tmdb");
            p.and("tmdb", tmdbId);
        }
        if (imdbId != null) {
            ids.append(ids.isEmpty() ? "" : " or ").append("imdbId = :imdb");
            p.and("imdb", imdbId);
        }
        if (ids.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        if (jellyseerrId != null) {
            p.and("js", jellyseerrId);
        }
        return find("mediaType = :type" + (is4k != null ? " and is4k = :is4k" : "") + " and " + among.filter
                + " and (" + ids + ")"
                + (jellyseerrId != null ? " and (jellyseerrId is null or jellyseerrId = :js)" : "") + LATEST,
                among.bind(p)).firstResult();
    }

    /**
     * The request downloading this torrent (hash in lower case), itself or through one of its episodes. A union, not
     * {@code downloadHash = :hash or id in (...)}: PostgreSQL cannot use the two hash indexes for that OR and scanned
     * every request (1.8 ms a call with 5,000 requests stored, growing with the history); the union is two index
     * lookups.
     */
    public Uni<MediaRequest> findByHash(String hash, Among among) {
        return find(among.filter + " and id in (select r.id from MediaRequest r where r.downloadHash = :hash"
                + " union select e.requestId from Episode e where e.downloadHash = :hash)" + LATEST,
                among.bind(Parameters.with("hash", hash))).firstResult();
    }

    /** The request Sonarr (series id) or Radarr (movie id) knows by this id. */
    public Uni<MediaRequest> findByArrId(MediaType type, Long sonarrId, Long radarrId, Long tvdbId, Long tmdbId,
            Among among) {
        if (sonarrId == null && radarrId == null) {
            return Uni.createFrom().nullItem();
        }
        String column = sonarrId != null ? "sonarrId" : "radarrId";
        Parameters p = Parameters.with("type", type).and("id", sonarrId != null ? sonarrId : radarrId);
        // Two instances (regular and anime or 4K) number their media independently: the ids must not disagree.
        StringBuilder agree = new StringBuilder();
        if (tvdbId != null) {
            agree.append(" and (tvdbId is null or tvdbId = :tvdb)");
            p.and("tvdb", tvdbId);
        }
        if (tmdbId != null) {
            agree.append(" and (tmdbId is null or tmdbId = :tmdb)");
            p.and("tmdb", tmdbId);
        }
        return find("mediaType = :type and " + column + " = :id" + agree + " and " + among.filter + LATEST,
                among.bind(p)).firstResult();
    }

    /** Open requests for one series (by Sonarr id or TVDB/TMDB id), most recently active first; at most 10. */
    public Uni<List<MediaRequest>> openForSeries(Long sonarrId, Long tvdbId, Long tmdbId) {
        StringBuilder ids = new StringBuilder();
        Parameters p = Parameters.with("type", MediaType.TV);
        if (sonarrId != null) {
            ids.append("sonarrId = :sonarr");
            p.and("sonarr", sonarrId);
        }
        if (tvdbId != null) {
            ids.append(ids.isEmpty() ? "" : " or ").append("tvdbId = :tvdb");
            p.and("tvdb", tvdbId);
        }
        if (tmdbId != null) {
            ids.append(ids.isEmpty() ? "" : " or ").append("tmdbId = :tmdb");
            p.and("tmdb", tmdbId);
        }
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return find("mediaType = :type and " + Among.OPEN.filter + " and (" + ids + ")" + LATEST, Among.OPEN.bind(p))
                .page(Page.ofSize(10)).list();
    }

    /** The request whose movie or series Jellyfin knows by this item id. */
    public Uni<MediaRequest> findByJellyfinId(String jellyfinId, Among among) {
        return find("jellyfinId = :jf and " + among.filter + LATEST, among.bind(Parameters.with("jf", jellyfinId)))
                .firstResult();
    }

    /** The TV request tracking an episode with one of these TVDB episode ids. */
    public Uni<MediaRequest> findByEpisodeTvdbId(List<Long> episodeTvdbIds, Among among) {
        if (episodeTvdbIds.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        // One id (a Jellyfin episode) is the common case: a scalar keeps the translated query cached.
        String match = episodeTvdbIds.size() == 1 ? "e.episodeTvdbId = :tvdb" : "e.episodeTvdbId in :tvdb";
        Object value = episodeTvdbIds.size() == 1 ? episodeTvdbIds.get(0) : episodeTvdbIds;
        return find(among.filter + " and id in (select e.requestId from Episode e where " + match + ")" + LATEST,
                among.bind(Parameters.with("tvdb", value))).firstResult();
    }

    /** Requests still on their way that download one of these torrents (lower-case hashes), themselves or by episode. */
    public Uni<List<MediaRequest>> downloading(java.util.Collection<String> hashes) {
        if (hashes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list(Among.OPEN.filter + " and id in (select r.id from MediaRequest r where r.downloadHash in :hashes"
                + " union select e.requestId from Episode e where e.downloadHash in :hashes) order by id",
                Among.OPEN.bind(Parameters.with("hashes", hashes)));
    }

    /**
     * Requests that have been in one of these states since before its cutoff, without download progress since then,
     * oldest first. One scalar pair per
     * state (no collection parameter), so the translated query stays cached.
     */
    public Uni<List<MediaRequest>> stuck(java.util.Map<RequestState, java.time.Instant> cutoffs) {
        if (cutoffs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        StringBuilder where = new StringBuilder();
        Parameters p = new Parameters();
        int i = 0;
        for (var cutoff : cutoffs.entrySet()) {
            // Progress counts as activity: a slow download that still moves is not stuck.
            where.append(i == 0 ? "" : " or ").append("(state = :s").append(i).append(" and stateChangedAt < :t")
                    .append(i).append(" and (progressAt is null or progressAt < :t").append(i).append("))");
            p.and("s" + i, cutoff.getKey()).and("t" + i, cutoff.getValue());
            i++;
        }
        return list(where + " order by stateChangedAt, id", p);
    }

    /**
     * What the Jellyfin verification looks at, by id: requests waiting for Jellyfin (downloaded, importing,
     * anime_matching) and any other open request, problem states included, that has been in its state since before
     * {@code activeCutoff}. Scalar parameters only, so the translated query stays cached.
     */
    public Uni<List<MediaRequest>> toVerify(java.time.Instant activeCutoff) {
        return list("state <> :available and state <> :removed and (state = :downloaded or state = :importing"
                + " or state = :matching or stateChangedAt < :cutoff) order by id",
                Parameters.with("available", RequestState.AVAILABLE).and("removed", RequestState.REMOVED)
                        .and("downloaded", RequestState.DOWNLOADED).and("importing", RequestState.IMPORTING)
                        .and("matching", RequestState.ANIME_MATCHING).and("cutoff", activeCutoff));
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

    /**
     * What every request (any state, removed ones too) is known by, for the library import: id, media type, TMDB,
     * TVDB and IMDb ids, Jellyfin id, title, year, alternate titles.
     */
    public Uni<List<Object[]>> trackedKeys() {
        return getSession().chain(s -> s.createNativeQuery("SELECT id, media_type, tmdb_id, tvdb_id, imdb_id,"
                + " jellyfin_id, title, year, alternate_titles FROM media_request", Object[].class).getResultList());
    }

    /**
     * Other requests, not removed, that share what a deletion of request {@code id} would delete upstream: rows of
     * (id, title, same Sonarr series or Radarr movie, same media (type and TMDB id), a torrent of its own). A season 2
     * request shares the series of the season 1 request; a re-request may share the old torrent.
     */
    public Uni<List<Object[]>> sharing(long id, MediaType type, Long arrId, Long tmdbId, java.util.Collection<String> hashes) {
        String arrColumn = type == MediaType.TV ? "sonarr_id" : "radarr_id";
        // Absent ids and hashes become values no row has: PostgreSQL cannot type a bare NULL parameter here.
        List<String> torrents = hashes.isEmpty() ? List.of("-") : List.copyOf(hashes);
        return getSession().chain(s -> s.createNativeQuery("SELECT r.id, r.title,"
                + " r.media_type = :type AND r." + arrColumn + " = :arr,"
                + " r.media_type = :type AND r.tmdb_id = :tmdb,"
                + " (r.download_hash IN (:hashes) OR EXISTS (SELECT 1 FROM episode e WHERE e.request_id = r.id"
                + " AND e.download_hash IN (:hashes)))"
                + " FROM media_request r WHERE r.id <> :id AND r.state <> 'removed' AND ("
                + " (r.media_type = :type AND (r." + arrColumn + " = :arr OR r.tmdb_id = :tmdb))"
                + " OR r.download_hash IN (:hashes)"
                + " OR EXISTS (SELECT 1 FROM episode e WHERE e.request_id = r.id AND e.download_hash IN (:hashes)))"
                + " ORDER BY r.id", Object[].class)
                .setParameter("id", id).setParameter("type", type == MediaType.TV ? "tv" : "movie")
                .setParameter("arr", arrId == null ? -1L : arrId).setParameter("tmdb", tmdbId == null ? -1L : tmdbId)
                .setParameter("hashes", torrents).getResultList());
    }
}
