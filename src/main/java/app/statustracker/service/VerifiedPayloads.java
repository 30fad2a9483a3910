package app.statustracker.service;

import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.client.JellyfinItem;

/**
 * The tracker's own {@code Verified} payload, in the shape of a Jellyfin webhook (PascalCase, {@code Provider_tmdb}),
 * read by {@link app.statustracker.ingest.JellyfinAdapter}: what Jellyfin holds for one request. Built the same way
 * by the follow-up after a webhook and by the scheduled verification, so the same finding has the same body (and
 * dedupe key) whichever of them makes it.
 *
 * <p>Fields: {@code NotificationType=Verified}, {@code AskedForRequest} (the request it answers; 0 for none),
 * {@code ItemType}, {@code ItemId}, {@code Name}, {@code Year} (movies), {@code Provider_tmdb/tvdb/imdb},
 * {@code MatchedBy} (only for the anime fallbacks: how the item was found), {@code Episodes} (series, or an item
 * holding a whole anime series): {@code [{SeasonNumber, EpisodeNumber, ItemId}]}, sorted.
 */
final class VerifiedPayloads {

    private static final List<String> PROVIDERS = List.of("tmdb", "tvdb", "imdb");

    private VerifiedPayloads() {
    }

    /** A playable movie. */
    static ObjectNode movie(ObjectMapper json, JellyfinItem item, long requestId, String matchedBy) {
        ObjectNode n = verified(json, item, "Movie", requestId, matchedBy);
        if (item.year() != null) {
            n.put("Year", item.year());
        }
        return n;
    }

    /** A series with its playable episodes (a multi-episode file counts for each episode it holds). */
    static ObjectNode series(ObjectMapper json, JellyfinItem series, List<JellyfinItem> playable, long requestId,
            String matchedBy) {
        ObjectNode n = verified(json, series, "Series", requestId, matchedBy);
        List<JellyfinItem> sorted = playable.stream()
                .filter(e -> e.seasonNumber() != null && e.episodeNumber() != null)
                .sorted(Comparator.comparing(JellyfinItem::seasonNumber).thenComparing(JellyfinItem::episodeNumber)
                        .thenComparing(JellyfinItem::id, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        ArrayNode episodes = n.putArray("Episodes");
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (JellyfinItem e : sorted) {
            int last = e.episodeNumberEnd() != null && e.episodeNumberEnd() > e.episodeNumber()
                    ? Math.min(e.episodeNumberEnd(), e.episodeNumber() + 50) : e.episodeNumber();
            for (int number = e.episodeNumber(); number <= last; number++) { // a multi-episode file
                if (seen.add(((long) e.seasonNumber() << 32) | number)) {
                    episodes.addObject().put("SeasonNumber", e.seasonNumber()).put("EpisodeNumber", number)
                            .put("ItemId", e.id());
                }
            }
        }
        return n;
    }

    /**
     * A playable movie that holds a whole anime series (Shoko/AniDB and TMDB disagree on what it is): the request's
     * episodes, all in that one item.
     */
    static ObjectNode movieHoldingEpisodes(ObjectMapper json, JellyfinItem item, List<int[]> seasonAndEpisode,
            long requestId, String matchedBy) {
        ObjectNode n = movie(json, item, requestId, matchedBy);
        ArrayNode episodes = n.putArray("Episodes");
        seasonAndEpisode.stream().sorted(Comparator.<int[]>comparingInt(e -> e[0]).thenComparingInt(e -> e[1]))
                .forEach(e -> episodes.addObject().put("SeasonNumber", e[0]).put("EpisodeNumber", e[1])
                        .put("ItemId", item.id()));
        return n;
    }

    private static ObjectNode verified(ObjectMapper json, JellyfinItem item, String itemType, long requestId,
            String matchedBy) {
        ObjectNode n = json.createObjectNode();
        n.put("NotificationType", "Verified");
        // Which request asked: the same item found again for a new request (deleted, requested again) is new news.
        n.put("AskedForRequest", requestId);
        n.put("ItemType", itemType);
        n.put("ItemId", item.id());
        n.put("Name", item.name());
        for (String key : PROVIDERS) { // a fixed order: the same finding is the same body
            String value = item.providerId(key);
            if (value != null) {
                n.put("Provider_" + key, value);
            }
        }
        if (matchedBy != null) {
            n.put("MatchedBy", matchedBy);
        }
        return n;
    }
}
