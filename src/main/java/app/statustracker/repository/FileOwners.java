package app.statustracker.repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import app.statustracker.Episode;
import app.statustracker.MediaRequest;
import app.statustracker.MediaType;
import app.statustracker.RequestState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which request (and which of its episodes) an imported file belongs to, by where the import put it (PRODUCT.md
 * §1.12): Shoko names files by path, never by a Sonarr or Radarr id. An exact path wins; otherwise the file name at
 * the end of a stored path, with the parent folder's name to choose between several. Only requests that wait for
 * the import's next step are looked at.
 */
@ApplicationScoped
public class FileOwners {

    /** The states in which a file can still move a request on (an import seen, the match not yet). */
    static final List<RequestState> WAITING = List.of(RequestState.IMPORTING, RequestState.ANIME_MATCHING,
            RequestState.MATCH_FAILED);

    /** A request and the episodes of it that the file holds (empty for a movie). */
    public record Owner(MediaRequest request, List<Episode> episodes, boolean exact) {
    }

    /**
     * @param fullPaths where the file may be, as the tracker's side sees it (each import folder mapped)
     * @param fileName  the file's name, for the fallback
     * @return the owner, or null when no waiting request holds such a file
     */
    public Uni<Owner> find(Collection<String> fullPaths, String fileName) {
        List<String> paths = fullPaths.stream().filter(p -> p != null && !p.isBlank()).distinct().toList();
        String tail = fileName == null || fileName.isBlank() ? null : "%/" + escapeLike(fileName);
        if (paths.isEmpty() && tail == null) {
            return Uni.createFrom().nullItem();
        }
        return episodes(paths, tail).chain(episodes -> episodes.isEmpty() ? movie(paths, tail, fileName)
                : ownerOfEpisodes(episodes, paths, fileName));
    }

    private Uni<List<Episode>> episodes(List<String> paths, String tail) {
        String where = (paths.isEmpty() ? "" : "e.finalPath in :paths")
                + (tail == null ? "" : (paths.isEmpty() ? "" : " or ") + "e.finalPath like :tail escape '\\'");
        return Panache.getSession().chain(s -> {
            var q = s.createSelectionQuery("from Episode e where e.state in :states and (" + where
                    + ") order by e.id desc", Episode.class).setParameter("states", WAITING);
            if (!paths.isEmpty()) {
                q.setParameter("paths", paths);
            }
            if (tail != null) {
                q.setParameter("tail", tail);
            }
            return q.setMaxResults(200).getResultList();
        });
    }

    /** The request of the best episode match, with every episode of it that the file holds (a multi-episode file). */
    private Uni<Owner> ownerOfEpisodes(List<Episode> episodes, List<String> paths, String fileName) {
        Episode best = best(episodes, paths, fileName, e -> e.finalPath);
        List<Episode> same = new ArrayList<>();
        for (Episode e : episodes) {
            if (e.requestId.equals(best.requestId) && java.util.Objects.equals(e.finalPath, best.finalPath)) {
                same.add(e);
            }
        }
        return Panache.getSession().chain(s -> s.find(MediaRequest.class, best.requestId))
                .map(r -> r == null ? null : new Owner(r, same, paths.contains(best.finalPath)));
    }

    private Uni<Owner> movie(List<String> paths, String tail, String fileName) {
        String where = (paths.isEmpty() ? "" : "r.finalPath in :paths")
                + (tail == null ? "" : (paths.isEmpty() ? "" : " or ") + "r.finalPath like :tail escape '\\'");
        return Panache.getSession().chain(s -> {
            var q = s.createSelectionQuery("from MediaRequest r where r.mediaType = :movie and r.state in :states and ("
                    + where + ") order by r.updatedAt desc, r.id desc", MediaRequest.class)
                    .setParameter("movie", MediaType.MOVIE).setParameter("states", WAITING);
            if (!paths.isEmpty()) {
                q.setParameter("paths", paths);
            }
            if (tail != null) {
                q.setParameter("tail", tail);
            }
            return q.setMaxResults(50).getResultList();
        }).map(found -> {
            if (found.isEmpty()) {
                return null;
            }
            MediaRequest best = best(found, paths, fileName, r -> r.finalPath);
            return new Owner(best, List.of(), paths.contains(best.finalPath));
        });
    }

    /**
     * An exact path first; then, among rows whose path ends with the file name, the one whose folder name appears in
     * one of the candidate paths (the same "Season 1" or movie folder); then the newest.
     */
    static <T> T best(List<T> rows, List<String> paths, String fileName, java.util.function.Function<T, String> path) {
        for (T row : rows) {
            if (paths.contains(path.apply(row))) {
                return row;
            }
        }
        for (T row : rows) {
            String folder = parentName(path.apply(row));
            if (folder != null && paths.stream().anyMatch(p -> p.toLowerCase(Locale.ROOT)
                    .contains("/" + folder.toLowerCase(Locale.ROOT) + "/"))) {
                return row;
            }
        }
        return rows.get(0);
    }

    private static String parentName(String path) {
        if (path == null) {
            return null;
        }
        String p = path.replace('\\', '/');
        int last = p.lastIndexOf('/');
        int before = last <= 0 ? -1 : p.lastIndexOf('/', last - 1);
        return last <= 0 ? null : p.substring(before + 1, last);
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
