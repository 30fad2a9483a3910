package app.statustracker.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.ingest.ShokoMessage.Connected;
import app.statustracker.ingest.ShokoMessage.CrossReference;
import app.statustracker.ingest.ShokoMessage.EpisodeChange;
import app.statustracker.ingest.ShokoMessage.FileEvent;
import app.statustracker.ingest.ShokoMessage.Kind;
import app.statustracker.ingest.ShokoMessage.Malformed;
import app.statustracker.ingest.ShokoMessage.MetadataEvent;
import app.statustracker.ingest.ShokoMessage.Subject;
import app.statustracker.ingest.ShokoMessage.Unknown;
import app.statustracker.support.Fixtures;

/** Shoko hub messages from the real fixtures (fixtures/protocol/shoko-*.json, the prototype's, signalr-frames.txt). */
class ShokoMessagesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String FRIEREN = "Frieren - Beyond Journey's End (2023)/Season 01/Frieren - Beyond Journey's End - "
            + "S01E05 - 005 - Phantoms of the Dead [Bluray-1080p][10bit][x265][FLAC 2.0][JA]-Judas.mkv";
    static final CrossReference FRIEREN_XREF = new CrossReference(30514L, 271834L, 1187L, 17617L, 1090L);

    /** Target and arguments text of a protocol fixture, the arguments array exactly as the hub sent it. */
    record Invocation(String target, String arguments, String single) {
    }

    static Invocation invocation(String fixture) {
        try {
            JsonNode envelope = JSON.readTree(Fixtures.load(fixture));
            return new Invocation(envelope.get("target").asText(), envelope.get("arguments").toString(),
                    envelope.get("arguments").get(0).toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static ShokoMessage parse(String fixture) {
        Invocation call = invocation(fixture);
        ShokoMessage fromArray = ShokoMessages.parse(call.target(), call.arguments());
        assertEquals(fromArray, ShokoMessages.parse(call.target(), call.single()), "array and single argument");
        assertEquals(fromArray, ShokoMessages.parse(call.target(), Fixtures.load(fixture)), "whole envelope");
        return fromArray;
    }

    static FileEvent file(String target, String arguments) {
        return assertInstanceOf(FileEvent.class, ShokoMessages.parse(target, arguments));
    }

    // --- 5.x targets from the protocol fixtures ---

    @Test
    void fileDetectedHasAPathAndAFolderButNoFileIdYet() {
        FileEvent e = assertInstanceOf(FileEvent.class, parse("protocol/shoko-file-detected.json"));

        assertEquals(new FileEvent(Kind.DETECTED, null, null, 1, FRIEREN, List.of(), null, null, null, null, null), e);
        assertEquals("Frieren - Beyond Journey's End - S01E05 - 005 - Phantoms of the Dead [Bluray-1080p][10bit]"
                + "[x265][FLAC 2.0][JA]-Judas.mkv", e.fileName());
        assertFalse(e.matched());
    }

    @Test
    void fileHashedOfANewFileIsNotLinkedYet() {
        FileEvent e = assertInstanceOf(FileEvent.class, parse("protocol/shoko-file-hashed.json"));

        assertEquals(Kind.HASHED, e.kind());
        assertEquals(5121L, e.fileId());
        assertEquals(5188L, e.fileLocationId());
        assertEquals(1, e.importFolderId());
        assertEquals(List.of(), e.crossReferences());
        assertFalse(e.matched());
        assertFalse(e.anyCrossReference());
    }

    @Test
    void fileMatchedWithASeriesIsMatched() {
        FileEvent e = assertInstanceOf(FileEvent.class, parse("protocol/shoko-file-matched.json"));

        assertEquals(new FileEvent(Kind.MATCHED, 5121L, 5188L, 1, FRIEREN, List.of(FRIEREN_XREF), null, null, null,
                null, null), e);
        assertTrue(e.matched());
        assertEquals(List.of(1187L), e.seriesIds());
    }

    @Test
    void fileNotMatchedCarriesTheAttemptsAndTheBan() {
        FileEvent e = assertInstanceOf(FileEvent.class, parse("protocol/shoko-file-not-matched.json"));

        assertEquals(Kind.NOT_MATCHED, e.kind());
        assertEquals(5122L, e.fileId());
        assertEquals(1, e.autoMatchAttempts());
        assertEquals(Boolean.FALSE, e.hasCrossReferences());
        assertEquals(Boolean.FALSE, e.udpBanned());
        assertEquals("Dungeon Meshi - S01E24 - 024 - Dungeon Meshi [WEBDL-1080p][8bit][x264][AAC 2.0][JA]-"
                + "SubsPlease.mkv", e.fileName());
        assertFalse(e.matched());
    }

    @Test
    void fileRenamedReadsTheNewPathNotTheFileNameField() {
        FileEvent e = assertInstanceOf(FileEvent.class, parse("protocol/shoko-file-renamed.json"));

        assertEquals(Kind.RENAMED, e.kind());
        assertEquals("Frieren - Beyond Journey's End (2023)/Season 01/Sousou no Frieren - 05 - Phantoms of the Dead "
                + "[Judas][1080p].mkv", e.relativePath());
        assertEquals("Sousou no Frieren - 05 - Phantoms of the Dead [Judas][1080p].mkv", e.fileName());
        assertTrue(e.matched());
    }

    @Test
    void fileMovedCarriesWhereItWas() {
        FileEvent e = assertInstanceOf(FileEvent.class, parse("protocol/shoko-file-moved.json"));

        assertEquals(Kind.MOVED, e.kind());
        assertEquals(FRIEREN, e.relativePath());
        assertEquals("Frieren - Beyond Journey's End - S01E05.mkv", e.previousRelativePath());
        assertEquals(2, e.previousImportFolderId());
    }

    @Test
    void fileDeleted() {
        FileEvent e = assertInstanceOf(FileEvent.class, parse("protocol/shoko-file-deleted.json"));

        assertEquals(Kind.DELETED, e.kind());
        assertEquals(List.of(FRIEREN_XREF), e.crossReferences());
    }

    @Test
    void seriesUpdatedInTheAnidbNamespaceWithItsEpisodes() {
        MetadataEvent e = assertInstanceOf(MetadataEvent.class, parse("protocol/shoko-series-updated.json"));

        assertEquals(new MetadataEvent(Subject.SERIES, "AniDB", "Updated", 17617L, 17617L, List.of(1187L),
                List.of(30514L), List.of(new EpisodeChange("Updated", 271834L, List.of(30514L)))), e);
        assertFalse(e.added());
        assertTrue(e.from("anidb"));
    }

    @Test
    void episodeUpdated() {
        MetadataEvent e = assertInstanceOf(MetadataEvent.class, parse("protocol/shoko-episode-updated.json"));

        assertEquals(new MetadataEvent(Subject.EPISODE, "Shoko", "Updated", 30514L, 1187L, List.of(1187L),
                List.of(30514L), List.of()), e);
    }

    @Test
    void movieUpdatedCarriesTheTmdbMovieId() {
        MetadataEvent e = assertInstanceOf(MetadataEvent.class, parse("protocol/shoko-movie-updated.json"));

        assertEquals(Subject.MOVIE, e.subject());
        assertEquals(10494L, e.id());
        assertNull(e.seriesId());
        assertTrue(e.added());
        assertTrue(e.from("TMDB"));
        assertEquals(List.of(1201L), e.shokoSeriesIds());
        assertEquals(List.of(31002L), e.shokoEpisodeIds());
    }

    @Test
    void theWholeTranscriptInOrder() {
        List<ShokoMessage> messages = new ArrayList<>();
        for (String line : Fixtures.load("protocol/signalr-frames.txt").split("\n")) {
            if (!line.startsWith("<< [ws text] ")) {
                continue;
            }
            for (String frame : line.substring("<< [ws text] ".length()).split("<RS>")) {
                try {
                    JsonNode message = JSON.readTree(frame);
                    if (message.path("type").asInt() == 1) {
                        messages.add(ShokoMessages.parse(message.get("target").asText(),
                                message.get("arguments").toString()));
                    }
                } catch (java.io.IOException e) {
                    // the handshake and the placeholders of the transcript
                }
            }
        }

        assertEquals(new Connected("shoko"), messages.get(0));
        assertEquals(Kind.DETECTED, ((FileEvent) messages.get(1)).kind());
        assertEquals(Kind.HASHED, ((FileEvent) messages.get(2)).kind());
        assertEquals(Subject.SERIES, ((MetadataEvent) messages.get(3)).subject());
        assertEquals(Subject.EPISODE, ((MetadataEvent) messages.get(4)).subject());
        FileEvent matched = (FileEvent) messages.get(5);
        assertEquals(Kind.MATCHED, matched.kind());
        assertTrue(matched.matched());
        assertEquals(6, messages.size());
    }

    // --- the prototype's fixtures ---

    @Test
    void movieUpdatedFromTheDiaryIsASingleArgument() {
        MetadataEvent e = assertInstanceOf(MetadataEvent.class, ShokoMessages.parse("ShokoEvent:MovieUpdated",
                Fixtures.load("original/doc-shoko-movieupdated-added.json")));

        assertEquals(1086591L, e.id());
        assertTrue(e.added());
        assertEquals(List.of(17L), e.shokoSeriesIds());
    }

    @Test
    void episodeUpdatedFromTheDocstring() {
        MetadataEvent e = assertInstanceOf(MetadataEvent.class, ShokoMessages.parse("ShokoEvent:EpisodeUpdated",
                Fixtures.load("original/doc-shoko-episodeupdated-illustrative.json")));

        assertEquals(new MetadataEvent(Subject.EPISODE, "AniDB", "Added", 12345L, 6789L, List.of(1L), List.of(1L),
                List.of()), e);
    }

    @Test
    void aLeadingSlashIsDropped() {
        FileEvent e = file("ShokoEvent:FileMatched",
                "[" + Fixtures.load("original/doc-shoko-filematched-legacy-partial.json") + "]");

        assertEquals(265L, e.fileId());
        assertEquals("My Tiny Senpai/Season 1/[DiabloTripleA] My Tiny Senpai - S01E04.mkv", e.relativePath());
        assertEquals("[DiabloTripleA] My Tiny Senpai - S01E04.mkv", e.fileName());
        assertFalse(e.matched());
    }

    @Test
    void aFileInfoWrapperIsReadFirst() {
        FileEvent e = file("ShokoEvent:FileMatched",
                "[" + Fixtures.load("original/shoko-signalr-filematched-mock.json") + "]");

        assertEquals(123L, e.fileId());
        assertEquals("anime/movies/Test/file.mkv", e.relativePath());
        assertEquals(List.of(), e.crossReferences());
    }

    @Test
    void crossReferencesWithoutAnyKnownIdAreDropped() {
        FileEvent e = file("ShokoEvent:FileMatched",
                Fixtures.load("original/doc-shoko-filematched-expected-illustrative.json"));

        assertEquals(12345L, e.fileId());
        assertEquals(List.of(), e.crossReferences(), "AniDBID/AniDBType are not cross-reference fields");
        assertFalse(e.matched());
    }

    // --- Shoko 6 ---

    @Test
    void shoko6NamesGiveTheSameKinds() {
        String camel = """
                {"fileId":5121,"fileLocationId":5188,"managedFolderId":1,"relativePath":"Show/Ep 01.mkv",
                 "crossReferences":[{"episodeId":30514,"anidbEpisodeId":271834,"seriesId":1187,"anidbAnimeId":17617,
                 "groupId":1090}]}""";

        assertEquals(Kind.DETECTED, file("file:detected", camel).kind());
        assertEquals(Kind.HASHED, file("file:hashed", camel).kind());
        FileEvent matched = file("file:matched", "[" + camel + "]");
        assertEquals(new FileEvent(Kind.MATCHED, 5121L, 5188L, 1, "Show/Ep 01.mkv", List.of(FRIEREN_XREF), null,
                null, null, null, null), matched);
        assertEquals(Kind.MATCHED, file("release:saved", camel).kind());
        assertEquals(Kind.MOVED, file("file:relocated", camel).kind());
        assertEquals(Kind.DELETED, file("file:deleted", camel).kind());
        assertEquals(new Connected("file"), ShokoMessages.parse("file:connected", "[null]"));
        assertEquals(new Connected("metadata"), ShokoMessages.parse("metadata:connected", null));
    }

    @Test
    void shoko6MetadataNames() {
        String episode = """
                [{"source":"AniDB","episodeId":271834,"seriesId":17617,"shokoEpisodeIds":[30514],
                  "shokoSeriesIds":[1187]}]""";

        MetadataEvent added = assertInstanceOf(MetadataEvent.class,
                ShokoMessages.parse("metadata:episode.added", episode));
        assertEquals(new MetadataEvent(Subject.EPISODE, "AniDB", "Added", 271834L, 17617L, List.of(1187L),
                List.of(30514L), List.of()), added);
        MetadataEvent updated = assertInstanceOf(MetadataEvent.class,
                ShokoMessages.parse("metadata:episode.updated", episode));
        assertNull(updated.reason());
        assertEquals(Subject.SERIES, ((MetadataEvent) ShokoMessages.parse("metadata:series.updated",
                "{\"source\":\"Shoko\",\"reason\":\"Added\",\"seriesId\":1187,\"shokoSeriesIds\":[1187]}"))
                .subject());
        MetadataEvent movie = (MetadataEvent) ShokoMessages.parse("metadata:movie.updated",
                "{\"source\":\"TMDB\",\"reason\":\"Added\",\"movieId\":10494}");
        assertEquals(Subject.MOVIE, movie.subject());
        assertEquals(10494L, movie.id());
    }

    // --- aliases and wrapping ---

    @Test
    void fieldAliases() {
        assertEquals(7L, file("ShokoEvent:FileMatched", "{\"FileId\":7,\"RelativePath\":\"a.mkv\"}").fileId());
        assertEquals(7L, file("ShokoEvent:FileMatched", "{\"fileId\":7,\"relativePath\":\"a.mkv\"}").fileId());
        assertEquals(7L, file("ShokoEvent:FileMatched", "{\"FILEID\":\"7\",\"RELATIVEPATH\":\"a.mkv\"}").fileId());
        assertEquals(3, file("ShokoEvent:FileMatched", "{\"FileID\":7,\"ManagedFolderId\":3}").importFolderId());
        assertEquals(3, file("ShokoEvent:FileMatched", "{\"FileID\":7,\"managedFolderId\":3}").importFolderId());
        assertEquals(3, file("ShokoEvent:FileMatched", "{\"FileID\":7,\"importFolderId\":3}").importFolderId());
        assertEquals("x.mkv", file("ShokoEvent:FileMatched", "{\"FileID\":7,\"fileName\":\"x.mkv\"}").relativePath());
        assertEquals("x.mkv", file("ShokoEvent:FileMatched", "{\"FileID\":7,\"FileName\":\"x.mkv\"}").fileName());
        assertEquals(Boolean.TRUE, file("ShokoEvent:FileNotMatched",
                "{\"FileID\":7,\"hasCrossReferences\":true,\"autoMatchAttempts\":\"3\"}").hasCrossReferences());
        assertEquals(3, file("ShokoEvent:FileNotMatched",
                "{\"FileID\":7,\"hasCrossReferences\":true,\"autoMatchAttempts\":\"3\"}").autoMatchAttempts());
    }

    @Test
    void aListInsideTheArgumentsGivesItsFirstElement() {
        FileEvent e = file("ShokoEvent:FileMatched", "[[{\"FileID\":9,\"RelativePath\":\"a.mkv\"},{\"FileID\":10}]]");

        assertEquals(9L, e.fileId());
        MetadataEvent movie = (MetadataEvent) ShokoMessages.parse("ShokoEvent:MovieUpdated",
                "[[{\"Source\":\"TMDB\",\"Reason\":\"Added\",\"MovieID\":1}]]");
        assertEquals(1L, movie.id());
    }

    @Test
    void theFileInfoWinsOverTheOuterObjectButTheOuterFillsGaps() {
        FileEvent e = file("ShokoEvent:FileMatched", """
                [{"FileID":1,"ImportFolderID":4,"FileInfo":{"FileID":2,"RelativePath":"in/info.mkv"}}]""");

        assertEquals(2L, e.fileId());
        assertEquals(4, e.importFolderId());
        assertEquals("in/info.mkv", e.relativePath());
    }

    @Test
    void nullArguments() {
        assertEquals(new Connected("shoko"), ShokoMessages.parse("ShokoEvent:OnConnected", "[null]"));
        assertEquals(new Connected("shoko"), ShokoMessages.parse("ShokoEvent:OnConnected", null));
        assertEquals(new Connected("anidb"), ShokoMessages.parse("AniDB:OnConnected", "[{}, {}]"));
        for (String args : new String[] { "[null]", "null", "", "   ", "[]", null, "[[]]" }) {
            Malformed m = assertInstanceOf(Malformed.class, ShokoMessages.parse("ShokoEvent:FileMatched", args),
                    String.valueOf(args));
            assertEquals("ShokoEvent:FileMatched", m.target());
            assertEquals("no argument", m.reason());
        }
        assertInstanceOf(Malformed.class, ShokoMessages.parse("ShokoEvent:MovieUpdated", "[null]"));
    }

    @Test
    void fileIdZeroAndAnEmptyPath() {
        // The prototype saw FileMatched "with empty path/file id 0": no id is no id, the caller looks the file up.
        FileEvent byPath = file("ShokoEvent:FileMatched", "[{\"FileID\":0,\"RelativePath\":\"Show/a.mkv\"}]");
        assertNull(byPath.fileId());
        assertEquals("Show/a.mkv", byPath.relativePath());

        FileEvent byXref = file("ShokoEvent:FileMatched", """
                [{"FileID":0,"FileLocationID":0,"RelativePath":"","CrossReferences":[{"EpisodeID":30514,
                  "AnidbEpisodeID":271834,"SeriesID":1187,"AnidbAnimeID":17617,"GroupID":1090}]}]""");
        assertNull(byXref.fileId());
        assertNull(byXref.fileLocationId());
        assertNull(byXref.relativePath());
        assertNull(byXref.fileName());
        assertTrue(byXref.matched());

        Malformed nothing = assertInstanceOf(Malformed.class, ShokoMessages.parse("ShokoEvent:FileMatched",
                "[{\"FileID\":0,\"RelativePath\":\"\",\"ImportFolderID\":1,\"CrossReferences\":[]}]"));
        assertTrue(nothing.reason().contains("no file id"), nothing.reason());
    }

    @Test
    void crossReferencesWithNullIds() {
        FileEvent e = file("ShokoEvent:FileMatched", """
                [{"FileID":5,"RelativePath":"a.mkv","CrossReferences":[{"EpisodeID":null,"AnidbEpisodeID":271834,
                  "SeriesID":null,"AnidbAnimeID":17617,"GroupID":null}]}]""");

        assertEquals(List.of(new CrossReference(null, 271834L, null, 17617L, null)), e.crossReferences());
        assertFalse(e.matched(), "no Shoko series yet");
        assertTrue(e.anyCrossReference());
        assertEquals(List.of(), e.seriesIds());
    }

    @Test
    void windowsPaths() {
        FileEvent e = file("ShokoEvent:FileMoved", """
                [{"FileID":5,"RelativePath":"\\\\Show (2023)\\\\Season 01\\\\Show - S01E01.mkv",
                  "PreviousRelativePath":"Downloads\\\\Show - S01E01.mkv","PreviousImportFolderID":2}]""");

        assertEquals("Show (2023)/Season 01/Show - S01E01.mkv", e.relativePath());
        assertEquals("Show - S01E01.mkv", e.fileName());
        assertEquals("Downloads/Show - S01E01.mkv", e.previousRelativePath());
        assertNull(ShokoMessages.normalisePath(" / "));
        assertNull(ShokoMessages.normalisePath("\\"));
    }

    @Test
    void malformedArgumentsNeverThrow() {
        assertTrue(((Malformed) ShokoMessages.parse("ShokoEvent:FileMatched", "[{\"FileID\":")).reason()
                .startsWith("the argument is not JSON"));
        assertTrue(((Malformed) ShokoMessages.parse("ShokoEvent:FileMatched", "[\"FileID\"]")).reason()
                .contains("not an object"));
        assertInstanceOf(Malformed.class, ShokoMessages.parse("ShokoEvent:FileMatched", "[42]"));
        assertInstanceOf(Malformed.class, ShokoMessages.parse("ShokoEvent:FileMatched", "{\"ImportFolderID\":1}"));
        assertInstanceOf(Malformed.class, ShokoMessages.parse("ShokoEvent:FileMatched",
                "{\"FileID\":-3,\"RelativePath\":{\"x\":1}}"));
        assertInstanceOf(Malformed.class, ShokoMessages.parse("ShokoEvent:SeriesUpdated", "{\"Source\":\"AniDB\"}"));
        assertInstanceOf(Malformed.class, ShokoMessages.parse("ShokoEvent:MovieUpdated",
                "{\"MovieID\":\"abc\",\"ShokoSeriesIDs\":\"x\"}"));
        String[] junk = { "{", "]", "nul", "\"text\"", "[1,2]", "{\"FileID\":1e400}", "[{\"CrossReferences\":{}}]",
                "[{\"CrossReferences\":[1,null,\"x\",[]]}]", "{\"Episodes\":[null,1,{}]}", "\u0000", "[[[[[]]]]]" };
        for (String target : new String[] { "ShokoEvent:FileMatched", "ShokoEvent:SeriesUpdated", "file:matched",
                "metadata:movie.updated", "ShokoEvent:OnConnected" }) {
            for (String args : junk) {
                ShokoMessage m = ShokoMessages.parse(target, args);
                assertTrue(m.dedupeKey().length() <= ShokoMessage.MAX_KEY);
            }
        }
    }

    @Test
    void unknownTargets() {
        assertEquals(new Unknown("Queue:QueueStateChanged"), ShokoMessages.parse("Queue:QueueStateChanged", "[{}]"));
        assertEquals(new Unknown("AniDB:AniDBUDPStateUpdate"),
                ShokoMessages.parse("AniDB:AniDBUDPStateUpdate", "[{\"Value\":true"));
        assertEquals(new Unknown("ReceiveMessage"), ShokoMessages.parse("ReceiveMessage", "[\"hi\"]"));
        assertEquals(new Unknown("file:matched.later"), ShokoMessages.parse("file:matched.later", "[{}]"));
        assertInstanceOf(Malformed.class, ShokoMessages.parse(" ", "[{}]"));
        assertInstanceOf(Malformed.class, ShokoMessages.parse(null, "[{}]"));
        assertFalse(ShokoMessages.known("Queue:QueueStateChanged"));
        assertTrue(ShokoMessages.known("ShokoEvent:FileMatched"));
        assertTrue(ShokoMessages.known("file:connected"));
    }

    @Test
    void targetsAreMatchedIgnoringCase() {
        assertEquals(Kind.MATCHED, file("shokoevent:filematched", "{\"FileID\":1}").kind());
        assertEquals(Kind.NOT_MATCHED, file(" ShokoEvent:FileNotMatched ", "{\"FileID\":1}").kind());
    }

    // --- dedupe keys ---

    @Test
    void theSameMessageTwiceHasTheSameKey() {
        for (String fixture : new String[] { "shoko-file-detected", "shoko-file-hashed", "shoko-file-matched",
                "shoko-file-not-matched", "shoko-file-renamed", "shoko-file-moved", "shoko-file-deleted",
                "shoko-series-updated", "shoko-episode-updated", "shoko-movie-updated" }) {
            Invocation call = invocation("protocol/" + fixture + ".json");
            String key = ShokoMessages.parse(call.target(), call.arguments()).dedupeKey();

            assertEquals(key, ShokoMessages.parse(call.target(), call.arguments()).dedupeKey(), fixture);
            assertEquals(key, ShokoMessages.parse(call.target(), call.single()).dedupeKey(), fixture);
            assertTrue(key.length() <= ShokoMessage.MAX_KEY, key);
            assertFalse(key.contains("Frieren"), "long parts are hashed: " + key);
        }
    }

    @Test
    void differentMessagesHaveDifferentKeys() {
        Invocation matched = invocation("protocol/shoko-file-matched.json");
        Invocation hashed = invocation("protocol/shoko-file-hashed.json");
        Invocation deleted = invocation("protocol/shoko-file-deleted.json");
        String key = ShokoMessages.parse(matched.target(), matched.arguments()).dedupeKey();

        assertNotEquals(key, ShokoMessages.parse(hashed.target(), hashed.arguments()).dedupeKey());
        assertNotEquals(key, ShokoMessages.parse(deleted.target(), deleted.arguments()).dedupeKey(),
                "same payload, other target");
        assertNotEquals(key, ShokoMessages.parse(matched.target(), matched.arguments().replace("\"SeriesID\":1187",
                "\"SeriesID\":1188")).dedupeKey(), "another series");
        assertNotEquals(key, ShokoMessages.parse(matched.target(), matched.arguments().replace("S01E05", "S01E06"))
                .dedupeKey(), "another path");
        assertNotEquals(key, ShokoMessages.parse(matched.target(), matched.arguments().replace("5121", "5122"))
                .dedupeKey(), "another file");
        Invocation notMatched = invocation("protocol/shoko-file-not-matched.json");
        assertNotEquals(ShokoMessages.parse(notMatched.target(), notMatched.arguments()).dedupeKey(),
                ShokoMessages.parse(notMatched.target(), notMatched.arguments().replace("\"AutoMatchAttempts\":1",
                        "\"AutoMatchAttempts\":2")).dedupeKey(), "Shoko's retry is a new event");

        Invocation movie = invocation("protocol/shoko-movie-updated.json");
        String movieKey = ShokoMessages.parse(movie.target(), movie.arguments()).dedupeKey();
        assertNotEquals(movieKey, ShokoMessages.parse(movie.target(), movie.arguments().replace("Added",
                "ImageAdded")).dedupeKey());
        assertNotEquals(movieKey, ShokoMessages.parse(movie.target(), movie.arguments().replace("1201", "1202"))
                .dedupeKey());
        assertNotEquals(new Connected("shoko").dedupeKey(), new Connected("file").dedupeKey());
    }

    @Test
    void theOrderOfIdsAndCrossReferencesDoesNotChangeTheKey() {
        String a = ShokoMessages.parse("ShokoEvent:SeriesUpdated",
                "{\"Source\":\"Shoko\",\"Reason\":\"Updated\",\"SeriesID\":1,\"ShokoSeriesIDs\":[1,2]}").dedupeKey();
        String b = ShokoMessages.parse("ShokoEvent:SeriesUpdated",
                "{\"Reason\":\"Updated\",\"ShokoSeriesIDs\":[2,1],\"SeriesID\":1,\"Source\":\"Shoko\"}").dedupeKey();
        assertEquals(a, b);

        String x = ShokoMessages.parse("ShokoEvent:FileMatched", "{\"FileID\":1,\"CrossReferences\":"
                + "[{\"EpisodeID\":1,\"SeriesID\":9},{\"EpisodeID\":2,\"SeriesID\":9}]}").dedupeKey();
        String y = ShokoMessages.parse("ShokoEvent:FileMatched", "{\"FileID\":1,\"CrossReferences\":"
                + "[{\"EpisodeID\":2,\"SeriesID\":9},{\"EpisodeID\":1,\"SeriesID\":9}]}").dedupeKey();
        assertEquals(x, y);
    }

    @Test
    void keysOfLongTargetsAndReasonsStayShort() {
        String target = "Plugin:" + "x".repeat(300);
        String key = ShokoMessages.parse(target, "[]").dedupeKey();
        assertEquals(ShokoMessage.MAX_KEY, key.length());
        assertNotEquals(key, ShokoMessages.parse(target + "y", "[]").dedupeKey());

        String reason = "r".repeat(500);
        String metaKey = ShokoMessages.parse("ShokoEvent:MovieUpdated",
                "{\"Source\":\"" + reason + "\",\"Reason\":\"" + reason + "\",\"MovieID\":1}").dedupeKey();
        assertTrue(metaKey.length() <= ShokoMessage.MAX_KEY, metaKey);
        assertEquals("unknown:Queue:QueueStateChanged", ShokoMessages.parse("Queue:QueueStateChanged", "")
                .dedupeKey());
    }
}
