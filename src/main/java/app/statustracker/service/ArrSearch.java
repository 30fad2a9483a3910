package app.statustracker.service;

import app.statustracker.MediaRequest;
import app.statustracker.MediaType;
import app.statustracker.client.RadarrClient;
import app.statustracker.client.SonarrClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Asks Radarr or Sonarr to search again for a request (an admin's Retry). Only on an explicit retry: the prototype's
 * automatic searches grabbed duplicate releases (original-system.md §10.6 #10).
 */
@ApplicationScoped
public class ArrSearch {

    private final RadarrClient radarr;
    private final SonarrClient sonarr;

    public ArrSearch(RadarrClient radarr, SonarrClient sonarr) {
        this.radarr = radarr;
        this.sonarr = sonarr;
    }

    /** What was asked, in words for the timeline; null when there is nothing to ask (no Radarr or Sonarr id). */
    public Uni<String> searchAgain(MediaRequest r) {
        boolean movie = r.mediaType == MediaType.MOVIE;
        Long id = movie ? r.radarrId : r.sonarrId;
        String name = movie ? "Radarr" : "Sonarr";
        if (id == null) {
            return Uni.createFrom().nullItem();
        }
        Uni<?> call = movie ? radarr.searchMovie(id) : sonarr.searchSeries(id);
        return call.map(ignored -> "asked " + name + " to search again")
                .onFailure().recoverWithItem(f -> name + " could not be asked to search: "
                        + SecretMasker.maskText(f.getMessage()));
    }
}
