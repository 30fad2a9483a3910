package app.statustracker.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.MediaType;
import app.statustracker.RequestState;
import app.statustracker.support.Fixtures;

/** Radarr webhook payloads (protocol and captured fixtures) read by the adapter alone: no database, no Quarkus. */
class RadarrAdapterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HASH = "d41f6c2b8a9e0f1c3b5d7e9a2c4f6b8d0e1a3c57";

    private final RadarrAdapter adapter = new RadarrAdapter(IngestRules.defaults());

    static ObjectNode fixture(String name) {
        try {
            return (ObjectNode) JSON.readTree(Fixtures.load(name));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(name, e);
        }
    }

    private static DomainEvent tracked(Interpretation interpretation) {
        return assertInstanceOf(Interpretation.Track.class, interpretation).event();
    }

    private static Interpretation.Ignore ignored(Interpretation interpretation) {
        return assertInstanceOf(Interpretation.Ignore.class, interpretation);
    }

    @Test
    void describesItself() {
        assertEquals("radarr", adapter.source());
        assertEquals("Radarr", adapter.displayName());
        assertEquals(List.of("searching", "grabbing", "importing", "anime_matching", "removed"),
                adapter.statesProvided());
        assertEquals(List.of("movie.tmdbId", "movie.imdbId", "movie.id", "downloadId"), adapter.correlationFields());
    }

    @Test
    void grabProvesGrabbingWithReleaseFactsAndTheLowerCasedHash() {
        DomainEvent e = tracked(adapter.interpret(fixture("protocol/radarr-grab.json")));
        assertEquals("radarr", e.source());
        assertEquals("Grab", e.eventType());
        assertEquals(new Target(Target.Kind.PROGRESS, RequestState.GRABBING, true, null,
                Target.Reach.OPEN_OR_AVAILABLE), e.target());
        assertEquals(new MediaKeys(MediaType.MOVIE, 10494L, null, "tt0156887", null, HASH, false, null, 17L, null),
                e.keys());
        assertEquals("Perfect Blue", e.facts().title());
        assertEquals(1997, e.facts().year());
        // The poster entry, not the first image (the fanart comes second here, but order is not relied on).
        assertEquals("https://image.tmdb.org/t/p/original/6WTiOCfDPP8XV4jqfloiVWf7KHq.jpg", e.facts().posterUrl());
        assertTrue(e.facts().overview().startsWith("A pop idol"));
        assertEquals("Radarr", e.facts().requestedBy());
        assertEquals(Boolean.TRUE, e.facts().isAnime());
        assertEquals(new ReleaseFacts("Bluray-1080p", "Nyaa (Prowlarr)", "Beatrice-Raws", 8123456789L),
                e.facts().release());
        assertEquals("Grab", e.timelineType());
        assertEquals("Bluray-1080p from Nyaa (Prowlarr) (1997)", e.details());
        assertEquals("radarr:Grab:" + HASH, e.dedupeKey());
        assertEquals(EpisodeScope.Mode.NONE, e.episodes().mode());
    }

    @Test
    void capturedGrabOfTheOriginalSystem() {
        DomainEvent e = tracked(adapter.interpret(fixture("original/radarr-grab.json")));
        assertEquals(533514L, e.keys().tmdbId());
        assertEquals("tt8652818", e.keys().imdbId());
        assertEquals(52L, e.keys().radarrId());
        assertEquals("c2c60f66c126652a86f7f2ee73dc83d4e255929e", e.keys().downloadHash());
        assertEquals(Boolean.TRUE, e.facts().isAnime());
        assertEquals("Bluray-1080p from Nyaa.si (Prowlarr) (2020)", e.details());
        assertEquals(new ReleaseFacts("Bluray-1080p", "Nyaa.si (Prowlarr)", "The-Nut", 1181116032L),
                e.facts().release());
    }

    @Test
    void aTagListWithoutAnAnimeTagMeansNotAnime() {
        DomainEvent e = tracked(adapter.interpret(fixture("original/radarr-grab-non-anime-test.json")));
        assertEquals(Boolean.FALSE, e.facts().isAnime());
        assertEquals("Bluray-1080p from TorrentLeech", e.details());
        assertEquals(12345L, e.keys().tmdbId());
        assertEquals("abc123def456789012345678901234567890abcd", e.keys().downloadHash());
    }

    @Test
    void animeFromAConfiguredTagOrPathElseUnknown() {
        IngestRules custom = new IngestRules(List.of("anime", "japanese"), List.of("/anime/"), true);
        ObjectNode body = fixture("original/radarr-grab-non-anime-test.json");
        ((ObjectNode) body.get("movie")).putArray("tags").add("Japanese");
        assertEquals(Boolean.TRUE, tracked(new RadarrAdapter(custom).interpret(body)).facts().isAnime());
        assertEquals(Boolean.FALSE, tracked(adapter.interpret(body)).facts().isAnime());

        ((ObjectNode) body.get("movie")).putArray("tags");
        ((ObjectNode) body.get("movie")).put("folderPath", "/data/Anime/movies/Some Film (2020)");
        assertEquals(Boolean.TRUE, tracked(adapter.interpret(body)).facts().isAnime(), "path marker, any case");

        // Radarr before 5.3.4 sends no tags: then nothing is known.
        ((ObjectNode) body.get("movie")).remove("tags");
        ((ObjectNode) body.get("movie")).put("folderPath", "/data/movies/Some Film (2020)");
        assertNull(tracked(adapter.interpret(body)).facts().isAnime());
    }

    @Test
    void animeImportGoesThroughImportingToAnimeMatching() {
        DomainEvent e = tracked(adapter.interpret(fixture("protocol/radarr-download.json")));
        assertEquals(new Target(Target.Kind.PROGRESS, RequestState.ANIME_MATCHING, true, RequestState.IMPORTING,
                Target.Reach.OPEN_OR_AVAILABLE), e.target());
        assertEquals("Import", e.timelineType());
        assertEquals("Imported: Perfect Blue (1997) {tmdb-10494} [Bluray-1080p][FLAC 2.0][x265]-Beatrice-Raws.mkv",
                e.details());
        assertEquals("/data/media/anime-movies/Perfect Blue (1997)/Perfect Blue (1997) {tmdb-10494} "
                + "[Bluray-1080p][FLAC 2.0][x265]-Beatrice-Raws.mkv", e.facts().finalPath());
        assertEquals(new ReleaseFacts("Bluray-1080p", "Nyaa (Prowlarr)", "Beatrice-Raws", 8123456789L),
                e.facts().release());
        assertEquals("radarr:Download:" + HASH + ":233", e.dedupeKey());
    }

    @Test
    void capturedImportIsAnimeByTagAndPath() {
        DomainEvent e = tracked(adapter.interpret(fixture("original/radarr-import.json")));
        assertEquals(RequestState.ANIME_MATCHING, e.target().state());
        assertEquals(RequestState.IMPORTING, e.target().via());
        assertEquals("Imported: Violet.Evergarden.Recollections.2022.1080p.NF.WEB-DL.AAC2.0.x264-GST.mkv", e.details());
        // No release.indexer in this capture; the file's own quality and group are used.
        assertEquals(new ReleaseFacts("WEBDL-1080p", null, "GST", 3725336767L), e.facts().release());
        assertEquals("radarr:Download:327cce10156316f79c005b0e953b9e8498e066eb:36", e.dedupeKey());
        assertNull(e.facts().posterUrl());
    }

    @Test
    void nonAnimeImportIsImporting() {
        ObjectNode body = fixture("protocol/radarr-download.json");
        ObjectNode movie = (ObjectNode) body.get("movie");
        movie.putArray("tags").add("4k");
        movie.put("folderPath", "/data/media/movies/Perfect Blue (1997)");
        ((ObjectNode) body.get("movieFile")).put("path", "/data/media/movies/Perfect Blue (1997)/pb.mkv");
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(new Target(Target.Kind.PROGRESS, RequestState.IMPORTING, true, null,
                Target.Reach.OPEN_OR_AVAILABLE), e.target());
        assertEquals(Boolean.FALSE, e.facts().isAnime());
    }

    @Test
    void anUpgradeNeverCreatesARequest() {
        ObjectNode body = fixture("protocol/radarr-download.json");
        body.put("isUpgrade", true);
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(RequestState.ANIME_MATCHING, e.target().state());
        assertFalse(e.target().mayCreate());
        assertEquals(Target.Reach.OPEN_OR_AVAILABLE, e.target().reach());
        assertEquals("Upgrade", e.timelineType());
        assertEquals("Upgraded: Perfect Blue (1997) {tmdb-10494} [Bluray-1080p][FLAC 2.0][x265]-Beatrice-Raws.mkv",
                e.details());
    }

    @Test
    void anImportWithoutAFileNameSaysImportedToLibrary() {
        ObjectNode body = fixture("protocol/radarr-download.json");
        body.remove("movieFile");
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals("Imported to library", e.details());
        assertNull(e.facts().finalPath());
        assertTrue(e.dedupeKey().startsWith("radarr:Download:" + HASH + ":body:"), e.dedupeKey());
    }

    @Test
    void movieAddedProvesSearching() {
        ObjectNode body = fixture("protocol/radarr-grab.json");
        body.put("eventType", "MovieAdded");
        body.put("addMethod", "manual");
        body.remove(List.of("release", "downloadId", "downloadClient", "downloadClientType", "customFormatInfo"));
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(new Target(Target.Kind.PROGRESS, RequestState.SEARCHING, false, null, Target.Reach.OPEN),
                e.target());
        assertEquals("Added", e.timelineType());
        assertEquals("Added to Radarr (manual)", e.details());
        assertEquals("radarr:MovieAdded:17:10494", e.dedupeKey());
        assertNull(e.keys().downloadHash());

        body.remove("addMethod");
        assertEquals("Added to Radarr", tracked(adapter.interpret(body)).details());
    }

    @Test
    void movieDeleteRemovesTheRequest() {
        ObjectNode body = fixture("protocol/radarr-movie-delete.json");
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(Target.remove(), e.target());
        assertEquals("Removed", e.timelineType());
        assertEquals("Removed from Radarr, files deleted", e.details());
        assertTrue(e.dedupeKey().startsWith("radarr:MovieDelete:17:"), e.dedupeKey());
        assertTrue(e.dedupeKey().length() <= 100);
        assertNull(e.facts().posterUrl(), "images is an empty array here");

        body.put("deletedFiles", false);
        DomainEvent kept = tracked(adapter.interpret(body));
        assertEquals("Removed from Radarr", kept.details());
        assertNotEquals(e.dedupeKey(), kept.dedupeKey(), "a later delete of the same movie is a new event");
    }

    @Test
    void movieFileDeleteIsANoteOnAnyRequest() {
        DomainEvent e = tracked(adapter.interpret(fixture("protocol/radarr-moviefile-delete.json")));
        assertEquals(new Target(Target.Kind.NOTE, null, false, null, Target.Reach.ANY), e.target());
        assertEquals("File Deleted", e.timelineType());
        assertEquals("File deleted in Radarr (upgrade): Perfect Blue (1997) {tmdb-10494} [Bluray-1080p][FLAC 2.0]"
                + "[x265]-Beatrice-Raws.mkv", e.details());
        assertEquals("radarr:MovieFileDelete:233:upgrade", e.dedupeKey());
    }

    @Test
    void theTestButtonIsIgnoredAndNeverADuplicate() {
        ObjectNode body = fixture("protocol/radarr-test.json");
        Interpretation.Ignore first = ignored(adapter.interpret(body));
        Interpretation.Ignore second = ignored(adapter.interpret(body));
        assertEquals("Test", first.eventType());
        assertEquals("test event received: the webhook works", first.reason());
        assertTrue(first.dedupeKey().startsWith("radarr:Test:"));
        assertNotEquals(first.dedupeKey(), second.dedupeKey());
        // movie.tmdbId is 0 on the test payload; remoteMovie carries 1234.
        assertEquals(1234L, first.keys().tmdbId());
    }

    @Test
    void eventsThatChangeNoRequestAreIgnoredWithTheirType() {
        for (String type : List.of("Rename", "Health", "HealthRestored", "ApplicationUpdate",
                "ManualInteractionRequired", "SomethingNew")) {
            ObjectNode body = fixture("protocol/radarr-grab.json");
            body.put("eventType", type);
            Interpretation.Ignore ignore = ignored(adapter.interpret(body));
            assertEquals(type, ignore.eventType());
            assertEquals("Radarr event " + type + " does not change a request", ignore.reason());
        }
    }

    @Test
    void trackArrRequestsOffMeansNothingIsCreated() {
        RadarrAdapter untracked = new RadarrAdapter(new IngestRules(List.of("anime"), List.of("/anime/"), false));
        assertFalse(tracked(untracked.interpret(fixture("protocol/radarr-grab.json"))).target().mayCreate());
        assertFalse(tracked(untracked.interpret(fixture("protocol/radarr-download.json"))).target().mayCreate());
        ObjectNode added = fixture("protocol/radarr-grab.json");
        added.put("eventType", "MovieAdded");
        DomainEvent e = tracked(untracked.interpret(added));
        assertEquals(RequestState.SEARCHING, e.target().state());
        assertFalse(e.target().mayCreate());
    }

    @Test
    void dedupeKeysAreEqualForRedeliveriesAndDifferentOtherwise() {
        List<String> keys = new ArrayList<>();
        for (String name : List.of("protocol/radarr-grab.json", "protocol/radarr-download.json",
                "protocol/radarr-movie-delete.json", "protocol/radarr-moviefile-delete.json",
                "original/radarr-grab.json", "original/radarr-import.json",
                "original/radarr-grab-non-anime-test.json")) {
            String key = adapter.interpret(fixture(name)).dedupeKey();
            assertEquals(key, adapter.interpret(fixture(name)).dedupeKey(), name);
            assertTrue(key.length() <= 100, key);
            keys.add(key);
        }
        assertEquals(keys.size(), keys.stream().distinct().count(), keys.toString());

        ObjectNode other = fixture("protocol/radarr-grab.json");
        other.put("downloadId", "0000000000000000000000000000000000000001");
        assertNotEquals(keys.get(0), adapter.interpret(other).dedupeKey());

        // Without a hash the body names the grab.
        ObjectNode a = fixture("protocol/radarr-grab.json");
        a.remove("downloadId");
        ObjectNode b = a.deepCopy();
        ((ObjectNode) b.get("release")).put("quality", "WEBDL-2160p");
        assertTrue(adapter.interpret(a).dedupeKey().startsWith("radarr:Grab:body:"));
        assertEquals(adapter.interpret(a).dedupeKey(), adapter.interpret(a.deepCopy()).dedupeKey());
        assertNotEquals(adapter.interpret(a).dedupeKey(), adapter.interpret(b).dedupeKey());
    }

    @Test
    void missingOrUnusableFieldsAreIgnoredWithAReason() {
        assertEquals("no eventType in the payload", ignored(adapter.interpret(JSON.createObjectNode())).reason());
        ObjectNode typeAsObject = fixture("protocol/radarr-grab.json");
        typeAsObject.putObject("eventType");
        assertEquals("no eventType in the payload", ignored(adapter.interpret(typeAsObject)).reason());

        String noIds = "payload has no usable id (movie.tmdbId, movie.id, downloadId)";
        ObjectNode junkIds = fixture("original/radarr-grab-non-anime-test.json");
        ((ObjectNode) junkIds.get("movie")).put("tmdbId", "abc").put("id", -4);
        junkIds.put("downloadId", "");
        assertEquals(noIds, ignored(adapter.interpret(junkIds)).reason());

        ObjectNode huge = fixture("original/radarr-grab-non-anime-test.json");
        ((ObjectNode) huge.get("movie")).put("tmdbId", new BigInteger("123456789012345678901234567890")).put("id", 0);
        huge.remove("downloadId");
        assertEquals(noIds, ignored(adapter.interpret(huge)).reason());

        ObjectNode movieAsString = fixture("protocol/radarr-movie-delete.json");
        movieAsString.put("movie", "Perfect Blue");
        assertEquals(noIds, ignored(adapter.interpret(movieAsString)).reason());

        ObjectNode movieAsArray = fixture("protocol/radarr-movie-delete.json");
        movieAsArray.putArray("movie").addObject().put("tmdbId", 10494);
        assertEquals(noIds, ignored(adapter.interpret(movieAsArray)).reason());
    }

    @Test
    void wrongTypesInsideAUsablePayloadAreSkippedNotFatal() {
        ObjectNode body = fixture("protocol/radarr-grab.json");
        ObjectNode movie = (ObjectNode) body.get("movie");
        movie.put("images", "poster.jpg");
        movie.put("tags", "anime");
        movie.put("year", 99999999999L);
        movie.putArray("title");
        body.putArray("release");
        body.remove("remoteMovie"); // else its title and year fill in
        DomainEvent e = tracked(adapter.interpret(body));
        assertNull(e.facts().posterUrl());
        assertNull(e.facts().year());
        assertNull(e.facts().title());
        assertNull(e.facts().release());
        assertEquals("Unknown", e.details());
        assertNull(e.facts().isAnime(), "tags is no list and the folder has no anime marker");
    }

    @Test
    void neverThrowsWhateverAFieldHolds() {
        for (String name : List.of("protocol/radarr-grab.json", "protocol/radarr-download.json",
                "protocol/radarr-movie-delete.json", "protocol/radarr-moviefile-delete.json",
                "protocol/radarr-test.json", "original/radarr-import.json")) {
            for (ObjectNode variant : Mutations.of(fixture(name))) {
                Mutations.check(adapter.interpret(variant), variant);
            }
        }
    }

    /** Every node of a payload replaced by values of the wrong type, one at a time, and removed. */
    static final class Mutations {

        private static final JsonNodeFactory F = JsonNodeFactory.instance;

        private Mutations() {
        }

        static List<JsonNode> junk() {
            ArrayNode mixed = F.arrayNode().add(1).add("x").addNull();
            return List.of(F.nullNode(), F.textNode(""), F.textNode("abc"), F.textNode("  "), F.numberNode(0),
                    F.numberNode(-1), F.numberNode(new BigInteger("123456789012345678901234567890")),
                    F.numberNode(1.5), F.numberNode(1e300), F.booleanNode(true), F.arrayNode(), F.objectNode(),
                    mixed, F.textNode("x".repeat(5000)), F.textNode("S01E01-E99 1x05 \u0000"));
        }

        static List<ObjectNode> of(ObjectNode original) {
            List<JsonPointer> pointers = new ArrayList<>();
            collect(original, JsonPointer.empty(), pointers);
            List<ObjectNode> variants = new ArrayList<>();
            for (JsonPointer pointer : pointers) {
                for (JsonNode value : junk()) {
                    ObjectNode copy = original.deepCopy();
                    replace(copy, pointer, value);
                    variants.add(copy);
                }
                ObjectNode copy = original.deepCopy();
                replace(copy, pointer, null);
                variants.add(copy);
            }
            return variants;
        }

        private static void collect(JsonNode node, JsonPointer at, List<JsonPointer> out) {
            if (node.isObject()) {
                node.properties().forEach(p -> {
                    JsonPointer child = at.appendProperty(p.getKey());
                    out.add(child);
                    collect(p.getValue(), child, out);
                });
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    JsonPointer child = at.appendIndex(i);
                    out.add(child);
                    collect(node.get(i), child, out);
                }
            }
        }

        /** Puts {@code value} at {@code pointer}; null removes the node. */
        private static void replace(ObjectNode root, JsonPointer pointer, JsonNode value) {
            JsonNode parent = root.at(pointer.head());
            if (parent instanceof ObjectNode object) {
                String name = pointer.last().getMatchingProperty();
                if (value == null) {
                    object.remove(name);
                } else {
                    object.set(name, value.deepCopy());
                }
            } else if (parent instanceof ArrayNode array) {
                int index = pointer.last().getMatchingIndex();
                if (value == null) {
                    array.remove(index);
                } else {
                    array.set(index, value.deepCopy());
                }
            }
        }

        /** What any answer must hold: a key to store it under, a reason when ignored, a usable event otherwise. */
        static void check(Interpretation result, JsonNode input) {
            assertNotNull(result, input::toString);
            assertNotNull(result.dedupeKey(), input::toString);
            assertFalse(result.dedupeKey().isBlank(), input::toString);
            if (result instanceof Interpretation.Ignore ignore) {
                assertNotNull(ignore.reason(), input::toString);
                assertNotNull(ignore.keys(), input::toString);
            } else if (result instanceof Interpretation.Track track) {
                DomainEvent e = track.event();
                assertFalse(e.keys().isEmpty(), input::toString);
                assertNotNull(e.target(), input::toString);
                assertNotNull(e.facts(), input::toString);
                assertNotNull(e.details(), input::toString);
                assertNotNull(e.episodes(), input::toString);
                for (EpisodeFact f : e.episodes().listed()) {
                    assertTrue(f.season() >= 0 && f.episode() >= 0, input::toString);
                }
                if (e.keys().downloadHash() != null) {
                    assertTrue(e.keys().downloadHash().length() <= 64, input::toString);
                }
                if (e.keys().imdbId() != null) {
                    assertTrue(e.keys().imdbId().length() <= 20, input::toString);
                }
            }
        }
    }
}
