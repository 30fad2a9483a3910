package app.statustracker.ingest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.MediaType;
import app.statustracker.RequestState;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The Jellyfin Webhook plugin's Generic destination (protocols.md §7.4–7.7), {@code ItemAdded} only. Two body shapes
 * arrive: "Send All Properties" (PascalCase keys, typed numbers, undashed ids, {@code Provider_tmdb}) and the
 * documented template (camelCase keys, every value a string, {@code ""} when missing, dashed ids). Every field is
 * read under both spellings.
 *
 * <p>
 * {@code Verified} is the tracker's own event: its Jellyfin checks post what they found, PascalCase, through this
 * adapter; for a series it adds {@code Episodes: [{SeasonNumber, EpisodeNumber, ItemId}]}, the playable episodes
 * (a movie found for an anime series lists the request's episodes it holds the same way). {@code AskedForRequest}
 * names the request the check was about: the event is applied to that request (an anime fallback finds an item by
 * its title or as the other media type, whose ids need not be the request's). {@code MatchedBy} says how a fallback
 * found it, for the timeline.
 */
@ApplicationScoped
public class JellyfinAdapter implements WebhookAdapter {

    public static final String SOURCE = "jellyfin";

    private static final String ITEM_ADDED = "ItemAdded";
    private static final String VERIFIED = "Verified";
    /** A multi-episode file ("S01E05-E07") is filled in up to this many episodes; more is a misread number. */
    private static final int MAX_EPISODES_PER_FILE = 50;


    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public String displayName() {
        return "Jellyfin";
    }

    @Override
    public List<String> statesProvided() {
        return List.of(RequestState.AVAILABLE.value());
    }

    @Override
    public List<String> correlationFields() {
        return List.of("Provider_tmdb", "Provider_tvdb", "Provider_imdb", "SeriesId", "ItemId");
    }

    @Override
    public Interpretation interpret(ObjectNode body) {
        String type = text(body, "NotificationType", "notificationType");
        String itemType = text(body, "ItemType", "itemType");
        String itemId = MediaKeys.jellyfinId(text(body, "ItemId", "itemId"));
        Long tmdb = Payloads.id(provider(body, "tmdb"));
        Long tvdb = Payloads.id(provider(body, "tvdb"));
        String imdb = Payloads.text(provider(body, "imdb"));
        if (imdb != null && imdb.length() > ArrPayloads.MAX_IMDB) {
            imdb = null;
        }
        String name = text(body, "Name", "name");
        Integer year = ArrPayloads.year(field(body, "Year", "year"));
        String bodySha = ArrPayloads.shortSha(body.toString());

        if (type == null) {
            return new Interpretation.Ignore(null, SOURCE + ":none:body:" + Payloads.sha256(body.toString()),
                    "no NotificationType in the payload", MediaKeys.none());
        }
        if (!type.equals(ITEM_ADDED) && !type.equals(VERIFIED)) {
            return new Interpretation.Ignore(type, SOURCE + ":" + type + ":body:" + bodySha,
                    "Jellyfin notification " + type + " does not change a request", MediaKeys.none());
        }
        boolean verified = type.equals(VERIFIED);
        Long askedFor = verified ? Payloads.id(field(body, "AskedForRequest")) : null;
        String matchedBy = verified ? text(body, "MatchedBy") : null;
        if (matchedBy != null && matchedBy.length() > 80) {
            matchedBy = matchedBy.substring(0, 80);
        }
        String found = "Found in Jellyfin" + (matchedBy != null ? " (" + matchedBy + ")" : "");
        // The item id with the body: a redelivery is the same body, while the same item added again later (a movie
        // deleted and downloaded again to the same path keeps its id) carries a new timestamp; a verification is
        // repeated with new findings, or for another request.
        String item = itemId != null ? itemId : "body";
        String key = SOURCE + ":" + type + ":" + item + ":" + bodySha;

        if (itemType == null) {
            return new Interpretation.Ignore(type, key, "no ItemType in the payload", MediaKeys.none());
        }
        return switch (itemType) {
            case "Movie" -> {
                MediaKeys keys = new MediaKeys(MediaType.MOVIE, tmdb, null, imdb, null, null, false, null, null,
                        itemId, askedFor);
                if (tmdb == null && imdb == null && askedFor == null) {
                    yield new Interpretation.Ignore(type, key, "Movie item has no TMDB or IMDb id", keys);
                }
                String details = (verified ? found : "Added to library") + (name != null ? ": " + name : "");
                DomainEvent event = new DomainEvent(SOURCE, type, key, keys,
                        Target.progress(RequestState.AVAILABLE, false), facts(name, year),
                        verified ? "Verified" : "Added", details);
                List<EpisodeFact> held = verified ? episodeList(field(body, "Episodes", "episodes")) : List.of();
                // An anime series Jellyfin shows as a movie: its episodes are all in this item.
                yield track(held.isEmpty() ? event : event.withEpisodes(EpisodeScope.listed(held, false)));
            }
            case "Series" -> series(body, type, key, new MediaKeys(MediaType.TV, tmdb, tvdb, imdb, null, null, false,
                    null, null, itemId, askedFor), name, year, verified, found);
            case "Episode" -> episode(body, type, key, itemId, name, year, tvdb, verified);
            default -> new Interpretation.Ignore(type, key,
                    "Jellyfin " + itemType + " items are not tracked (enable Movies, Series and Episodes)",
                    MediaKeys.none());
        };
    }

    private static Interpretation series(ObjectNode body, String type, String key, MediaKeys keys, String name,
            Integer year, boolean verified, String found) {
        if (keys.isEmpty()) {
            return new Interpretation.Ignore(type, key, "Series item has no ItemId and no TMDB, TVDB or IMDb id", keys);
        }
        if (!verified) {
            // A new series is an empty shell: the episodes that make a request "available" arrive on their own.
            return track(new DomainEvent(SOURCE, type, key, keys, Target.note(), facts(name, year), "Series Added",
                    "Series in library" + (name != null ? ": " + name : "") + "; waiting for its episodes")
                    .withFollowUp(DomainEvent.FollowUp.VERIFY_IN_JELLYFIN));
        }
        JsonNode list = field(body, "Episodes", "episodes");
        if (list == null || !list.isArray()) {
            return new Interpretation.Ignore(type, key, "Verified Series payload has no Episodes array", keys);
        }
        List<EpisodeFact> playable = episodeList(list);
        if (playable.isEmpty()) {
            // Nothing playable proves nothing: an empty list must not read as "every episode is there".
            return track(new DomainEvent(SOURCE, type, key, keys, Target.note(), facts(name, year), "Verified",
                    found + ": no playable episodes yet"));
        }
        return track(new DomainEvent(SOURCE, type, key, keys, Target.progress(RequestState.AVAILABLE, false),
                facts(name, year), "Verified", found + ": " + playable.size() + " playable episodes")
                .withEpisodes(EpisodeScope.listed(playable, true)));
    }

    /** A Verified payload's {@code Episodes}: each season/episode pair once; entries without numbers are skipped. */
    private static List<EpisodeFact> episodeList(JsonNode list) {
        List<EpisodeFact> playable = new ArrayList<>();
        if (list == null || !list.isArray()) {
            return playable;
        }
        Set<ArrPayloads.Numbers> seen = new LinkedHashSet<>();
        for (JsonNode e : list) {
            Integer season = ArrPayloads.number(field(e, "SeasonNumber", "seasonNumber"));
            Integer episode = ArrPayloads.number(field(e, "EpisodeNumber", "episodeNumber"));
            if (season != null && episode != null && seen.add(new ArrPayloads.Numbers(season, episode))) {
                playable.add(new EpisodeFact(season, episode, null, null, null, null, null,
                        MediaKeys.jellyfinId(text(e, "ItemId", "itemId"))));
            }
        }
        return playable;
    }

    /**
     * The provider ids on an Episode item are the episode's own (its TVDB episode id), never the series': the
     * series is found by its Jellyfin id ({@code SeriesId}).
     */
    private static Interpretation episode(ObjectNode body, String type, String key, String itemId, String name,
            Integer year, Long episodeTvdb, boolean verified) {
        String seriesId = MediaKeys.jellyfinId(text(body, "SeriesId", "seriesId"));
        MediaKeys keys = new MediaKeys(MediaType.TV, null, null, null, null, null, false, null, null, seriesId);
        Integer season = ArrPayloads.number(field(body, "SeasonNumber", "seasonNumber"));
        Integer number = ArrPayloads.number(field(body, "EpisodeNumber", "episodeNumber"));
        if (season == null || number == null) {
            return new Interpretation.Ignore(type, key, "Episode item has no SeasonNumber or EpisodeNumber", keys);
        }
        if (seriesId == null) {
            return new Interpretation.Ignore(type, key, "Episode item has no SeriesId", keys);
        }
        List<EpisodeFact> facts = new ArrayList<>();
        facts.add(new EpisodeFact(season, number, name, null, episodeTvdb, null, null, itemId));
        Integer end = ArrPayloads.number(field(body, "EpisodeNumberEnd", "episodeNumberEnd"));
        int last = end != null && end > number ? Math.min(end, number + MAX_EPISODES_PER_FILE) : number;
        for (int n = number + 1; n <= last; n++) {
            // The other episodes of a multi-episode file: same item, no ids of their own in the payload.
            facts.add(new EpisodeFact(season, n, null, null, null, null, null, itemId));
        }
        String seriesName = text(body, "SeriesName", "seriesName");
        String label = facts.get(0).label() + (last > number ? String.format("-E%02d", last) : "");
        String details = (verified ? "Found in Jellyfin: " : "Added: ") + (seriesName != null ? seriesName + " " : "")
                + label;
        return track(new DomainEvent(SOURCE, type, key, keys, Target.progress(RequestState.AVAILABLE, false),
                facts(seriesName, year), verified ? "Verified" : "Added", details)
                .withEpisodes(EpisodeScope.listed(facts, false)));
    }

    private static Interpretation track(DomainEvent event) {
        return new Interpretation.Track(event);
    }

    private static MediaFacts facts(String title, Integer year) {
        return new MediaFacts(title, year, null, null, null, List.of(), null, null, null, null, null);
    }

    /** The first of the spellings present with a non-null value. */
    private static JsonNode field(JsonNode node, String... names) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull() && !(value.isTextual() && value.asText().isBlank())) {
                return value;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String... names) {
        return Payloads.text(field(node, names));
    }

    /**
     * A provider id: {@code Provider_<key>} in any case (the plugin lower-cases the key, Jellyfin stores
     * {@code Tmdb}), else the template's {@code <key>Id}.
     */
    private static JsonNode provider(ObjectNode body, String provider) {
        String wanted = "provider_" + provider;
        for (Map.Entry<String, JsonNode> f : body.properties()) {
            if (f.getKey().equalsIgnoreCase(wanted) && Payloads.text(f.getValue()) != null) {
                return f.getValue();
            }
        }
        return field(body, provider + "Id");
    }
}
