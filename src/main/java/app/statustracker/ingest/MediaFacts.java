package app.statustracker.ingest;

import java.util.List;

/** Descriptive facts an input carries about the media; used to create a request or fill in what it lacks. */
public record MediaFacts(String title, Integer year, String posterUrl, String overview, String requestedBy,
        List<Integer> requestedSeasons) {

    public static MediaFacts none() {
        return new MediaFacts(null, null, null, null, null, List.of());
    }
}
