package app.statustracker.ingest;

import static app.statustracker.ingest.RadarrAdapterTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.MediaType;
import app.statustracker.RequestState;

/** Jellyfin Webhook plugin payloads (Send All Properties, the documented template, the prototype's doc). */
class JellyfinAdapterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MOVIE_ID = "c6b9a1e0d2f34a7b8e5c4d3f2a1b0c9d";
    private static final String SERIES_ID = "0a9b8c7d6e5f40312a3b4c5d6e7f8091";
    private static final String EPISODE_ID = "7d1e4f2a9b3c4d5e8f6a0b1c2d3e4f5a";

    private final JellyfinAdapter adapter = new JellyfinAdapter();

    private static DomainEvent tracked(Interpretation interpretation) {
        return assertInstanceOf(Interpretation.Track.class, interpretation).event();
    }

    private static Interpretation.Ignore ignored(Interpretation interpretation) {
        return assertInstanceOf(Interpretation.Ignore.class, interpretation);
    }

    @Test
    void describesItself() {
        assertEquals("jellyfin", adapter.source());
        assertEquals("Jellyfin", adapter.displayName());
        assertEquals(List.of("available"), adapter.statesProvided());
        assertEquals(List.of("Provider_tmdb", "Provider_tvdb", "Provider_imdb", "SeriesId", "ItemId"),
                adapter.correlationFields());
    }

    @Test
    void anAddedMovieIsAvailable() {
        DomainEvent e = tracked(adapter.interpret(fixture("protocol/jellyfin-item-added-movie.json")));
        assertEquals("ItemAdded", e.eventType());
        assertEquals(new Target(Target.Kind.PROGRESS, RequestState.AVAILABLE, false, null, Target.Reach.OPEN),
                e.target());
        assertEquals(new MediaKeys(MediaType.MOVIE, 10494L, null, "tt0156887", null, null, false, null, null,
                MOVIE_ID), e.keys());
        assertEquals("Added", e.timelineType());
        assertEquals("Added to library: Perfect Blue", e.details());
        assertEquals(1997, e.facts().year());
        assertTrue(e.dedupeKey().startsWith("jellyfin:ItemAdded:" + MOVIE_ID + ":"), e.dedupeKey());
    }

    @Test
    void theDocumentedTemplateReadsTheSame() {
        DomainEvent all = tracked(adapter.interpret(fixture("protocol/jellyfin-item-added-movie.json")));
        DomainEvent template = tracked(adapter.interpret(fixture("protocol/jellyfin-item-added-movie-template.json")));
        assertEquals(all.keys(), template.keys(), "dashed template id, string numbers, \"\" for missing");
        assertEquals(all.target(), template.target());
        assertEquals(all.details(), template.details());
        assertEquals(1997, template.facts().year());
        // Keyed by item and body: the same item added again later (same path, same id) is a new event.
        assertTrue(template.dedupeKey().startsWith(all.dedupeKey().substring(0, all.dedupeKey().lastIndexOf(':') + 1)));
    }

    @Test
    void thePrototypesDocumentedShapeWorks() {
        DomainEvent e = tracked(adapter.interpret(fixture("original/doc-jellyfin-itemadded-illustrative.json")));
        assertEquals(MediaType.MOVIE, e.keys().mediaType());
        assertEquals(12345L, e.keys().tmdbId());
        assertEquals("tt1234567", e.keys().imdbId());
        assertNull(e.keys().tvdbId(), "a movie's Provider_tvdb is not used");
        assertEquals("Added to library: Movie Name", e.details());
    }

    @Test
    void providerKeysAreReadInAnyCase() {
        ObjectNode body = fixture("protocol/jellyfin-item-added-movie.json");
        body.remove(List.of("Provider_tmdb", "Provider_imdb"));
        body.put("Provider_Tmdb", "10494");
        assertEquals(10494L, tracked(adapter.interpret(body)).keys().tmdbId());
    }

    @Test
    void anAddedEpisodeIsAvailableAndFoundByItsSeries() {
        DomainEvent e = tracked(adapter.interpret(fixture("protocol/jellyfin-item-added-episode.json")));
        assertEquals(new Target(Target.Kind.PROGRESS, RequestState.AVAILABLE, false, null, Target.Reach.OPEN),
                e.target());
        // The provider ids are the episode's own: they must not be taken for the series'.
        assertEquals(new MediaKeys(MediaType.TV, null, null, null, null, null, false, null, null, SERIES_ID),
                e.keys());
        assertEquals(EpisodeScope.listed(List.of(new EpisodeFact(1, 5, "Phantoms of the Dead", null, 9894541L, null,
                null, EPISODE_ID)), false), e.episodes());
        assertEquals("Added", e.timelineType());
        assertEquals("Added: Frieren: Beyond Journey's End S01E05", e.details());
        assertEquals("Frieren: Beyond Journey's End", e.facts().title());
        assertTrue(e.dedupeKey().startsWith("jellyfin:ItemAdded:" + EPISODE_ID + ":"), e.dedupeKey());
    }

    @Test
    void aMultiEpisodeFileCoversEveryNumberUpToItsEnd() {
        ObjectNode body = fixture("protocol/jellyfin-item-added-episode.json");
        body.put("EpisodeNumberEnd", 7);
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(List.of("S01E05", "S01E06", "S01E07"),
                e.episodes().listed().stream().map(EpisodeFact::label).toList());
        assertTrue(e.episodes().listed().stream().allMatch(f -> EPISODE_ID.equals(f.jellyfinId())));
        assertEquals("Added: Frieren: Beyond Journey's End S01E05-E07", e.details());
    }

    @Test
    void aTemplatedEpisodeWithStringNumbersAndDashedIds() {
        ObjectNode body = JSON.createObjectNode();
        body.put("notificationType", "ItemAdded").put("itemId", "7d1e4f2a-9b3c-4d5e-8f6a-0b1c2d3e4f5a")
                .put("itemType", "Episode").put("name", "Phantoms of the Dead").put("year", "2023")
                .put("seriesId", "0A9B8C7D-6E5F-4031-2A3B-4C5D6E7F8091").put("seriesName", "Frieren")
                .put("seasonNumber", "1").put("episodeNumber", "05").put("tmdbId", "").put("tvdbId", "9894541")
                .put("imdbId", "");
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(SERIES_ID, e.keys().jellyfinId());
        assertEquals(new EpisodeFact(1, 5, "Phantoms of the Dead", null, 9894541L, null, null, EPISODE_ID),
                e.episodes().listed().get(0));
        assertEquals("Added: Frieren S01E05", e.details());
    }

    @Test
    void anAddedSeriesIsANoteThatAsksJellyfinLater() {
        ObjectNode body = fixture("protocol/jellyfin-item-added-movie.json");
        body.put("ItemType", "Series").put("ItemId", SERIES_ID).put("Name", "Frieren").put("Provider_tvdb", "424536");
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(Target.note(), e.target());
        assertEquals(new MediaKeys(MediaType.TV, 10494L, 424536L, "tt0156887", null, null, false, null, null,
                SERIES_ID), e.keys());
        assertEquals(Set.of(DomainEvent.FollowUp.VERIFY_IN_JELLYFIN), e.followUps());
        assertEquals("Series Added", e.timelineType());
        assertEquals("Series in library: Frieren; waiting for its episodes", e.details());
    }

    @Test
    void theTrackersVerifiedSeriesListsItsPlayableEpisodes() {
        ObjectNode body = JSON.createObjectNode();
        body.put("NotificationType", "Verified").put("ItemType", "Series").put("ItemId", SERIES_ID)
                .put("Name", "Frieren").put("Provider_tvdb", "424536");
        ArrayNode episodes = body.putArray("Episodes");
        episodes.addObject().put("SeasonNumber", 1).put("EpisodeNumber", 1).put("ItemId", EPISODE_ID);
        episodes.addObject().put("SeasonNumber", 1).put("EpisodeNumber", 2)
                .put("ItemId", "1b2c3d4e5f60718293a4b5c6d7e8f901");
        episodes.addObject().put("SeasonNumber", "x").put("EpisodeNumber", 3);
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals("Verified", e.eventType());
        assertEquals(new Target(Target.Kind.PROGRESS, RequestState.AVAILABLE, false, null, Target.Reach.OPEN),
                e.target());
        assertEquals(EpisodeScope.listed(List.of(
                new EpisodeFact(1, 1, null, null, null, null, null, EPISODE_ID),
                new EpisodeFact(1, 2, null, null, null, null, null, "1b2c3d4e5f60718293a4b5c6d7e8f901")), true),
                e.episodes());
        assertEquals("Verified", e.timelineType());
        assertEquals("Found in Jellyfin: 2 playable episodes", e.details());
        assertTrue(e.dedupeKey().startsWith("jellyfin:Verified:" + SERIES_ID + ":"), e.dedupeKey());
        assertTrue(e.dedupeKey().length() <= 100);
        assertEquals(e.dedupeKey(), adapter.interpret(body.deepCopy()).dedupeKey());

        episodes.addObject().put("SeasonNumber", 1).put("EpisodeNumber", 4).put("ItemId", "aa");
        assertNotEquals(e.dedupeKey(), adapter.interpret(body).dedupeKey(), "a later check with more episodes");

        episodes.removeAll();
        DomainEvent none = tracked(adapter.interpret(body));
        assertEquals(Target.note(), none.target(), "nothing playable proves nothing");
        body.remove("Episodes");
        assertEquals("Verified Series payload has no Episodes array", ignored(adapter.interpret(body)).reason());
    }

    @Test
    void theTrackersVerifiedMovie() {
        ObjectNode body = fixture("protocol/jellyfin-item-added-movie.json");
        body.put("NotificationType", "Verified");
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(RequestState.AVAILABLE, e.target().state());
        assertEquals("Verified", e.timelineType());
        assertEquals("Found in Jellyfin: Perfect Blue", e.details());
        assertTrue(e.dedupeKey().startsWith("jellyfin:Verified:" + MOVIE_ID + ":"));
        assertNotEquals(tracked(adapter.interpret(fixture("protocol/jellyfin-item-added-movie.json"))).dedupeKey(),
                e.dedupeKey());
    }

    @Test
    void aVerificationNamesTheRequestItAnswersAndHowAFallbackFoundIt() {
        ObjectNode body = JSON.createObjectNode();
        body.put("NotificationType", "Verified").put("AskedForRequest", 42).put("ItemType", "Movie")
                .put("ItemId", MOVIE_ID).put("Name", "Lycoris Recoil").put("MatchedBy", "as a movie, by TMDB id");
        ArrayNode episodes = body.putArray("Episodes");
        episodes.addObject().put("SeasonNumber", 1).put("EpisodeNumber", 1).put("ItemId", MOVIE_ID);
        episodes.addObject().put("SeasonNumber", 1).put("EpisodeNumber", 2).put("ItemId", MOVIE_ID);

        DomainEvent e = tracked(adapter.interpret(body));

        assertEquals(42L, e.keys().requestId(), "applied to the request that asked, whatever the item's ids");
        assertEquals("Found in Jellyfin (as a movie, by TMDB id): Lycoris Recoil", e.details());
        assertEquals(EpisodeScope.listed(List.of(new EpisodeFact(1, 1, null, null, null, null, null, MOVIE_ID),
                new EpisodeFact(1, 2, null, null, null, null, null, MOVIE_ID)), false), e.episodes(),
                "a movie holding a whole anime series makes its episodes available, without adding any");

        body.put("NotificationType", "ItemAdded").put("Provider_tmdb", "154494");
        assertNull(tracked(adapter.interpret(body)).keys().requestId(), "only the tracker's own answers name one");
    }

    @Test
    void otherNotificationsAndItemTypesAreIgnored() {
        ObjectNode playback = fixture("protocol/jellyfin-item-added-movie.json");
        playback.put("NotificationType", "PlaybackStart");
        assertEquals("Jellyfin notification PlaybackStart does not change a request",
                ignored(adapter.interpret(playback)).reason());

        for (String type : List.of("Season", "Audio", "MusicAlbum")) {
            ObjectNode body = fixture("protocol/jellyfin-item-added-episode.json");
            body.put("ItemType", type);
            assertEquals("Jellyfin " + type + " items are not tracked (enable Movies, Series and Episodes)",
                    ignored(adapter.interpret(body)).reason());
        }
    }

    @Test
    void missingOrUnusableFieldsAreIgnoredWithAReason() {
        assertEquals("no NotificationType in the payload",
                ignored(adapter.interpret(JSON.createObjectNode())).reason());

        ObjectNode noType = fixture("protocol/jellyfin-item-added-movie.json");
        noType.remove("ItemType");
        assertEquals("no ItemType in the payload", ignored(adapter.interpret(noType)).reason());

        ObjectNode noIds = fixture("protocol/jellyfin-item-added-movie.json");
        noIds.put("Provider_tmdb", "abc").put("Provider_imdb", "");
        assertEquals("Movie item has no TMDB or IMDb id", ignored(adapter.interpret(noIds)).reason());
        ObjectNode hugeId = fixture("protocol/jellyfin-item-added-movie-template.json");
        hugeId.put("tmdbId", new BigInteger("123456789012345678901234567890")).put("imdbId", "");
        assertEquals("Movie item has no TMDB or IMDb id", ignored(adapter.interpret(hugeId)).reason());

        ObjectNode noNumbers = fixture("protocol/jellyfin-item-added-episode.json");
        noNumbers.put("SeasonNumber", "").remove("EpisodeNumber");
        assertEquals("Episode item has no SeasonNumber or EpisodeNumber",
                ignored(adapter.interpret(noNumbers)).reason());

        ObjectNode noSeries = fixture("protocol/jellyfin-item-added-episode.json");
        noSeries.putArray("SeriesId");
        assertEquals("Episode item has no SeriesId", ignored(adapter.interpret(noSeries)).reason());

        ObjectNode nothing = JSON.createObjectNode();
        nothing.put("NotificationType", "ItemAdded").put("ItemType", "Series");
        assertEquals("Series item has no ItemId and no TMDB, TVDB or IMDb id",
                ignored(adapter.interpret(nothing)).reason());
    }

    @Test
    void dedupeKeysAreEqualForRedeliveriesAndDifferentOtherwise() {
        String movie = adapter.interpret(fixture("protocol/jellyfin-item-added-movie.json")).dedupeKey();
        String episode = adapter.interpret(fixture("protocol/jellyfin-item-added-episode.json")).dedupeKey();
        assertEquals(movie, adapter.interpret(fixture("protocol/jellyfin-item-added-movie.json")).dedupeKey());
        assertNotEquals(movie, episode);

        ObjectNode noItemId = fixture("protocol/jellyfin-item-added-movie.json");
        noItemId.remove("ItemId");
        String byBody = adapter.interpret(noItemId).dedupeKey();
        assertTrue(byBody.startsWith("jellyfin:ItemAdded:body:"), byBody);
        assertTrue(byBody.length() <= 100);
        assertEquals(byBody, adapter.interpret(noItemId.deepCopy()).dedupeKey());
    }

    @Test
    void neverThrowsWhateverAFieldHolds() {
        ObjectNode verified = JSON.createObjectNode();
        verified.put("NotificationType", "Verified").put("ItemType", "Series").put("ItemId", SERIES_ID)
                .put("Provider_tvdb", "424536").putArray("Episodes").addObject().put("SeasonNumber", 1)
                .put("EpisodeNumber", 1).put("ItemId", EPISODE_ID);
        ObjectNode multi = fixture("protocol/jellyfin-item-added-episode.json");
        multi.put("EpisodeNumberEnd", 6);
        for (ObjectNode body : List.of(fixture("protocol/jellyfin-item-added-movie.json"), multi,
                fixture("protocol/jellyfin-item-added-movie-template.json"),
                fixture("original/doc-jellyfin-itemadded-illustrative.json"), verified)) {
            for (ObjectNode variant : RadarrAdapterTest.Mutations.of(body)) {
                RadarrAdapterTest.Mutations.check(adapter.interpret(variant), variant);
            }
        }
    }
}
