package app.statustracker.ingest;

import java.util.List;
import java.util.Locale;

import app.statustracker.config.TrackerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The settings adapters read, as a plain value (adapters stay pure functions of payload and rules, easy to test).
 *
 * @param animeTags         tag labels that mark anime, lower-case
 * @param animePathMarkers  path fragments that mark anime, lower-case
 * @param trackArrRequests  whether Sonarr/Radarr events may create requests of their own
 */
public record IngestRules(List<String> animeTags, List<String> animePathMarkers, boolean trackArrRequests) {

    public static IngestRules defaults() {
        return new IngestRules(List.of("anime"), List.of("/anime/"), true);
    }

    public boolean isAnimeTag(String label) {
        return label != null && animeTags.contains(label.trim().toLowerCase(Locale.ROOT));
    }

    public boolean isAnimePath(String path) {
        if (path == null) {
            return false;
        }
        String p = path.replace('\\', '/').toLowerCase(Locale.ROOT);
        return animePathMarkers.stream().anyMatch(p::contains);
    }

    @ApplicationScoped
    static class Producer {
        @Produces
        @Singleton // a record cannot be proxied
        IngestRules rules(TrackerConfig config) {
            return new IngestRules(lower(config.anime().tags()), lower(config.anime().pathMarkers()),
                    config.arrRequests().tracked());
        }

        private static List<String> lower(List<String> values) {
            return values.stream().map(v -> v.trim().toLowerCase(Locale.ROOT)).filter(v -> !v.isEmpty()).toList();
        }
    }
}
