package app.statustracker.ingest;

import static app.statustracker.ingest.RadarrAdapterTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.MediaType;
import app.statustracker.RequestState;

/** Sonarr webhook payloads (v3 and v4, protocol and captured fixtures) read by the adapter alone. */
class SonarrAdapterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GRAB_HASH = "8f3a2c1d9e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39";
    private static final String PACK_HASH = "5b7e19c04d2a8f6e3b1c9d0a7e5f4c3b2a190817";
    private static final String SEASON_01 = "/data/media/anime/Frieren - Beyond Journey's End (2023)/Season 01";

    private final SonarrAdapter adapter = new SonarrAdapter(IngestRules.defaults());

    private static DomainEvent tracked(Interpretation interpretation) {
        return assertInstanceOf(Interpretation.Track.class, interpretation).event();
    }

    private static Interpretation.Ignore ignored(Interpretation interpretation) {
        return assertInstanceOf(Interpretation.Ignore.class, interpretation);
    }

    /** Final path by episode label, for the episodes that got one. */
    private static Map<String, String> paths(DomainEvent e) {
        return e.episodes().listed().stream().filter(f -> f.finalPath() != null)
                .collect(Collectors.toMap(EpisodeFact::label, EpisodeFact::finalPath));
    }

    @Test
    void describesItself() {
        assertEquals("sonarr", adapter.source());
        assertEquals("Sonarr", adapter.displayName());
        assertEquals(List.of("searching", "grabbing", "importing", "anime_matching", "removed"),
                adapter.statesProvided());
        assertEquals(List.of("series.tvdbId", "series.tmdbId", "series.id", "downloadId", "episodes[].id"),
                adapter.correlationFields());
    }

    @Test
    void grabListsItsEpisodesAndAsksForTheExpectedOnes() {
        DomainEvent e = tracked(adapter.interpret(fixture("protocol/sonarr-grab.json")));
        assertEquals("Grab", e.eventType());
        assertEquals(new Target(Target.Kind.PROGRESS, RequestState.GRABBING, true, null,
                Target.Reach.OPEN_OR_AVAILABLE), e.target());
        assertEquals(new MediaKeys(MediaType.TV, 209867L, 424536L, "tt22248376", null, GRAB_HASH, false, 42L, null,
                null), e.keys());
        assertEquals(EpisodeScope.listed(List.of(new EpisodeFact(1, 5, "Phantoms of the Dead", 2104L, 9894541L,
                LocalDate.of(2023, 10, 6), null, null)), true), e.episodes());
        // Frieren is an anime series: its grab also asks Sonarr for its other titles
        assertEquals(Set.of(DomainEvent.FollowUp.EXPECTED_EPISODES, DomainEvent.FollowUp.ALTERNATE_TITLES),
                e.followUps());
        assertEquals("Frieren: Beyond Journey's End", e.facts().title());
        assertEquals(2023, e.facts().year());
        assertEquals("https://artworks.thetvdb.com/banners/v4/series/424536/posters/651b2f7a3b9e4.jpg",
                e.facts().posterUrl());
        assertEquals("Sonarr", e.facts().requestedBy());
        assertEquals(Boolean.TRUE, e.facts().isAnime());
        assertEquals(new ReleaseFacts("WEBDL-1080p", "Nyaa (Prowlarr)", "SubsPlease", 1448762321L),
                e.facts().release());
        assertEquals("Grab", e.timelineType());
        assertEquals("WEBDL-1080p from Nyaa (Prowlarr) (S01E05)", e.details());
        assertEquals("sonarr:Grab:" + GRAB_HASH, e.dedupeKey());
    }

    @Test
    void capturedSeasonPackGrabListsThirteenEpisodes() {
        DomainEvent e = tracked(adapter.interpret(fixture("original/sonarr-grab.json")));
        assertEquals(13, e.episodes().listed().size());
        assertTrue(e.episodes().createsRows());
        assertEquals("S01E13", e.episodes().listed().get(12).label());
        assertEquals(751L, e.episodes().listed().get(12).sonarrEpisodeId());
        assertEquals("Bluray-1080p from Nyaa.si (Prowlarr) (13 episodes)", e.details());
        assertEquals(Boolean.TRUE, e.facts().isAnime(), "series.type is anime, the tag list is empty");
        assertEquals("3f92992e2fbeb6ebb251304236bf5e0b600a91c3", e.keys().downloadHash());
        assertEquals(23L, e.keys().sonarrId());
    }

    @Test
    void sonarrV3PayloadsWork() {
        // v3: no tmdbId, no instanceName/applicationUrl, episodes without tvdbId.
        ObjectNode body = fixture("protocol/sonarr-grab.json");
        ObjectNode series = (ObjectNode) body.get("series");
        series.remove(List.of("tmdbId", "titleSlug", "year", "genres", "images", "tags", "originalLanguage"));
        body.remove(List.of("instanceName", "applicationUrl", "customFormatInfo"));
        for (JsonNode episode : body.get("episodes")) {
            ((ObjectNode) episode).remove(List.of("tvdbId", "overview", "seriesId"));
        }
        DomainEvent e = tracked(adapter.interpret(body));
        assertNull(e.keys().tmdbId());
        assertEquals(424536L, e.keys().tvdbId());
        assertEquals(42L, e.keys().sonarrId());
        assertNull(e.episodes().listed().get(0).tvdbId());
        assertEquals(2104L, e.episodes().listed().get(0).sonarrEpisodeId());
        assertEquals(Boolean.TRUE, e.facts().isAnime());
        assertNull(e.facts().year());
    }

    @Test
    void animeComesFromTheSeriesTypeThenTagsOrPath() {
        ObjectNode body = fixture("protocol/sonarr-grab.json");
        ObjectNode series = (ObjectNode) body.get("series");
        series.put("type", "standard"); // the type decides even with an anime tag and an anime path
        assertEquals(Boolean.FALSE, tracked(adapter.interpret(body)).facts().isAnime());

        series.remove("type");
        series.put("seriesType", "Anime");
        assertEquals(Boolean.TRUE, tracked(adapter.interpret(body)).facts().isAnime());

        series.remove("seriesType");
        series.put("path", "/tv/Frieren");
        assertEquals(Boolean.TRUE, tracked(adapter.interpret(body)).facts().isAnime(), "anime tag");

        series.putArray("tags").add("japanese");
        assertNull(tracked(adapter.interpret(body)).facts().isAnime(), "no type, no anime tag, no anime path");
        SonarrAdapter custom = new SonarrAdapter(new IngestRules(List.of("anime", "japanese"), List.of("/anime/"),
                true));
        assertEquals(Boolean.TRUE, tracked(custom.interpret(body)).facts().isAnime(), "custom anime tag");

        series.putArray("tags");
        series.put("path", "/data/media/anime/Frieren");
        assertEquals(Boolean.TRUE, tracked(adapter.interpret(body)).facts().isAnime(), "anime path");
    }

    @Test
    void perFileImportPutsEveryEpisodeInThatFile() {
        DomainEvent e = tracked(adapter.interpret(fixture("protocol/sonarr-download.json")));
        assertEquals(new Target(Target.Kind.PROGRESS, RequestState.ANIME_MATCHING, true, RequestState.IMPORTING,
                Target.Reach.OPEN_OR_AVAILABLE), e.target());
        String file = "Frieren - Beyond Journey's End - S01E05 - 005 - Phantoms of the Dead [WEBDL-1080p][8bit][x264]"
                + "[AAC 2.0][JA]-SubsPlease.mkv";
        assertEquals(Map.of("S01E05", SEASON_01 + "/" + file), paths(e));
        assertTrue(e.episodes().createsRows());
        assertEquals(SEASON_01, e.facts().finalPath());
        assertEquals(new ReleaseFacts("WEBDL-1080p", "Nyaa (Prowlarr)", "SubsPlease", 1448762321L),
                e.facts().release());
        assertEquals("Import", e.timelineType());
        assertEquals("Imported: " + file, e.details());
        assertEquals("sonarr:Download:" + GRAB_HASH + ":file:981", e.dedupeKey());
    }

    @Test
    void aMultiEpisodeFileGivesItsPathToEveryListedEpisode() {
        ObjectNode body = fixture("protocol/sonarr-download.json");
        ObjectNode second = ((ArrayNode) body.get("episodes")).addObject();
        second.put("id", 2105).put("seasonNumber", 1).put("episodeNumber", 6).put("title", "Next");
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(2, paths(e).size());
        assertEquals(paths(e).get("S01E05"), paths(e).get("S01E06"));
    }

    @Test
    void anUpgradeImportNeverCreatesARequest() {
        DomainEvent e = tracked(adapter.interpret(fixture("protocol/sonarr-download-upgrade.json")));
        assertEquals(RequestState.ANIME_MATCHING, e.target().state());
        assertFalse(e.target().mayCreate());
        assertEquals(Target.Reach.OPEN_OR_AVAILABLE, e.target().reach());
        assertEquals("Upgrade", e.timelineType());
        assertTrue(e.details().startsWith("Upgraded: Frieren - Beyond Journey's End - S01E05"), e.details());
        assertEquals("sonarr:Download:" + PACK_HASH + ":file:1377", e.dedupeKey());
    }

    @Test
    void nonAnimeImportIsImporting() {
        ObjectNode body = fixture("protocol/sonarr-download.json");
        ((ObjectNode) body.get("series")).put("type", "standard");
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(new Target(Target.Kind.PROGRESS, RequestState.IMPORTING, true, null,
                Target.Reach.OPEN_OR_AVAILABLE), e.target());
    }

    @Test
    void importCompleteMapsFilesToEpisodesByTheirNumbers() {
        DomainEvent e = tracked(adapter.interpret(fixture("protocol/sonarr-import-complete.json")));
        assertEquals(RequestState.ANIME_MATCHING, e.target().state());
        assertEquals(RequestState.IMPORTING, e.target().via());
        assertTrue(e.target().mayCreate());
        Map<String, String> paths = paths(e);
        assertEquals(2, paths.size());
        assertTrue(paths.get("S01E01").contains(" - S01E01 - 001 - The Journey's End "));
        assertTrue(paths.get("S01E02").contains(" - S01E02 - 002 - It Didn't Have to Be Magic"));
        assertEquals(SEASON_01, e.facts().finalPath());
        assertEquals(new ReleaseFacts("Bluray-1080p", "Nyaa (Prowlarr)", "Judas", 25863415808L), e.facts().release());
        assertEquals("Import", e.timelineType());
        assertEquals("Imported 2 episodes", e.details());
        assertTrue(e.dedupeKey().startsWith("sonarr:DownloadComplete:" + PACK_HASH + ":"), e.dedupeKey());
    }

    @Test
    void capturedSeasonPackImportInReverseFileOrderStillMatchesByNumber() {
        ObjectNode body = fixture("original/sonarr-import.json");
        ArrayNode files = (ArrayNode) body.get("episodeFiles");
        List<JsonNode> reversed = new ArrayList<>();
        files.forEach(f -> reversed.add(0, f));
        files.removeAll();
        files.addAll(reversed);
        assertTrue(files.get(0).get("path").asText().endsWith("S01E13.mkv"));

        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(13, e.episodes().listed().size());
        for (EpisodeFact f : e.episodes().listed()) {
            assertEquals(String.format("/data/anime/shows/Lycoris Recoil/Season 1/Lycoris.Recoil.S01E%02d.mkv",
                    f.episode()), f.finalPath(), f.label());
        }
        assertEquals("/data/anime/shows/Lycoris Recoil/Season 1", e.facts().finalPath());
        assertEquals("Imported 13 episodes", e.details());
        assertEquals(Boolean.TRUE, e.facts().isAnime());
        assertNull(e.facts().release(), "no release section and the files carry no quality");
    }

    @Test
    void importCompleteEpisodesWithoutAFileAreStillListed() {
        ObjectNode body = fixture("original/sonarr-import.json");
        ArrayNode files = (ArrayNode) body.get("episodeFiles");
        files.remove(12);
        files.remove(0);
        ((ObjectNode) files.get(0)).put("relativePath", "Season 1/Lycoris.Recoil.S01E02E03.mkv");
        files.remove(1); // the S01E03 file: the multi-episode file above covers it
        body.remove("destinationPath");
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(13, e.episodes().listed().size());
        Map<String, String> paths = paths(e);
        assertFalse(paths.containsKey("S01E01"));
        assertFalse(paths.containsKey("S01E13"));
        assertEquals(paths.get("S01E02"), paths.get("S01E03"));
        assertEquals(11, paths.size());
        assertEquals("/data/anime/shows/Lycoris Recoil/Season 1", e.facts().finalPath(), "parent of the first file");
    }

    @Test
    void oneEpisodeAndOneUnreadableFileBelongTogether() {
        ObjectNode body = fixture("protocol/sonarr-import-complete.json");
        ((ArrayNode) body.get("episodes")).remove(1);
        ArrayNode files = (ArrayNode) body.get("episodeFiles");
        files.remove(1);
        ((ObjectNode) files.get(0)).put("relativePath", "Season 01/frieren-final.mkv")
                .put("path", "/data/x/frieren-final.mkv").remove("sceneName");
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(Map.of("S01E01", "/data/x/frieren-final.mkv"), paths(e));
        assertEquals("Imported: frieren-final.mkv", e.details());
    }

    @Test
    void bothDownloadShapesPresentIsReadAsPerFile() {
        ObjectNode body = fixture("protocol/sonarr-download.json");
        body.set("episodeFiles", fixture("protocol/sonarr-import-complete.json").get("episodeFiles"));
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals("sonarr:Download:" + GRAB_HASH + ":file:981", e.dedupeKey());
    }

    @Test
    void fileNamesNameTheirEpisodes() {
        assertEquals(List.of(n(1, 5)), List.copyOf(ArrPayloads.episodeNumbers("Show - S01E05 - 005 - Title.mkv")));
        assertEquals(List.of(n(1, 5), n(1, 6)), List.copyOf(ArrPayloads.episodeNumbers("Show.S01E05E06.mkv")));
        assertEquals(List.of(n(1, 5), n(1, 6)), List.copyOf(ArrPayloads.episodeNumbers("Show.s01e05-e06.mkv")));
        assertEquals(List.of(n(2, 5), n(2, 6), n(2, 7)), List.copyOf(ArrPayloads.episodeNumbers("Show S02E05-07.mkv")));
        assertEquals(List.of(n(1, 5)), List.copyOf(ArrPayloads.episodeNumbers("Show 1x05 Title.mkv")));
        assertEquals(List.of(n(1, 1)), List.copyOf(ArrPayloads.episodeNumbers("Show.S01E01-1080p.mkv")));
        assertTrue(ArrPayloads.episodeNumbers("Show 1920x1080 BluRay.mkv").isEmpty());
        assertTrue(ArrPayloads.episodeNumbers("Season 01").isEmpty());
        assertTrue(ArrPayloads.episodeNumbers(null).isEmpty());
    }

    private static ArrPayloads.Numbers n(int season, int episode) {
        return new ArrPayloads.Numbers(season, episode);
    }

    @Test
    void alternateTitlesAnswerTheRequestThatAskedAndANonAnimeGrabDoesNotAsk() {
        ObjectNode answer = fixture("protocol/sonarr-series-delete.json");
        answer.put("eventType", "AlternateTitles").put("askedForRequest", 12);
        answer.remove("deletedFiles");
        ((ObjectNode) answer.get("series")).putArray("alternateTitles").addObject().put("title", "Sousou no Frieren");
        DomainEvent titles = tracked(adapter.interpret(answer));
        assertEquals(12L, titles.keys().requestId(), "applied to the request that asked");
        assertEquals(List.of("Sousou no Frieren"), titles.facts().alternateTitles());
        assertEquals("Also known as Sousou no Frieren", titles.details());

        ObjectNode grab = fixture("protocol/sonarr-grab.json");
        ((ObjectNode) grab.get("series")).put("type", "standard");
        assertEquals(Set.of(DomainEvent.FollowUp.EXPECTED_EPISODES), tracked(adapter.interpret(grab)).followUps());
    }

    @Test
    void seriesAddProvesSearchingAndAsksForTheExpectedEpisodes() {
        ObjectNode body = fixture("protocol/sonarr-series-delete.json");
        body.put("eventType", "SeriesAdd");
        body.remove("deletedFiles");
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(new Target(Target.Kind.PROGRESS, RequestState.SEARCHING, false, null, Target.Reach.OPEN),
                e.target());
        assertEquals(Set.of(DomainEvent.FollowUp.EXPECTED_EPISODES, DomainEvent.FollowUp.ALTERNATE_TITLES),
                e.followUps(), "an anime series also asks for its other titles");
        assertEquals("Added", e.timelineType());
        assertEquals("Added to Sonarr", e.details());
        assertEquals("sonarr:SeriesAdd:42:424536", e.dedupeKey());
    }

    @Test
    void seriesDeleteRemovesTheRequest() {
        ObjectNode body = fixture("protocol/sonarr-series-delete.json");
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(Target.remove(), e.target());
        assertEquals("Removed", e.timelineType());
        assertEquals("Removed from Sonarr, files deleted", e.details());
        assertTrue(e.dedupeKey().startsWith("sonarr:SeriesDelete:42:"), e.dedupeKey());
        assertTrue(e.dedupeKey().length() <= 100);

        body.put("deletedFiles", false);
        assertEquals("Removed from Sonarr", tracked(adapter.interpret(body)).details());
        body.putArray("deletedFiles").addObject().put("id", 1); // the Download event's type, not a yes
        assertEquals("Removed from Sonarr", tracked(adapter.interpret(body)).details());
    }

    @Test
    void episodeFileDeleteIsANoteOnItsEpisodes() {
        DomainEvent e = tracked(adapter.interpret(fixture("protocol/sonarr-episodefile-delete.json")));
        assertEquals(new Target(Target.Kind.NOTE, null, false, null, Target.Reach.ANY), e.target());
        assertEquals(EpisodeScope.Mode.LISTED, e.episodes().mode());
        assertFalse(e.episodes().createsRows());
        assertEquals("S01E05", e.episodes().listed().get(0).label());
        assertEquals("File Deleted", e.timelineType());
        assertEquals("File deleted in Sonarr (manual): S01E05", e.details());
        assertEquals("sonarr:EpisodeFileDelete:1377:manual", e.dedupeKey());
    }

    @Test
    void theTrackersOwnEpisodeListListsMonitoredEpisodes() {
        ObjectNode body = JSON.createObjectNode();
        body.put("eventType", "EpisodeList");
        body.set("series", fixture("protocol/sonarr-grab.json").get("series"));
        ArrayNode episodes = body.putArray("episodes");
        episodes.addObject().put("id", 2100).put("seasonNumber", 1).put("episodeNumber", 1).put("title", "One")
                .put("airDate", "2023-09-29").put("airDateUtc", "2023-09-29T14:00:00Z").put("monitored", true);
        episodes.addObject().put("id", 2101).put("seasonNumber", 1).put("episodeNumber", 2).put("title", "Two")
                .put("monitored", false);
        episodes.addObject().put("id", 2102).put("seasonNumber", 1).put("episodeNumber", 3).put("title", "Three");
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(new Target(Target.Kind.PROGRESS, RequestState.SEARCHING, false, null, Target.Reach.OPEN),
                e.target(), "never creates, even with trackArrRequests on");
        assertEquals(List.of("S01E01", "S01E03"), e.episodes().listed().stream().map(EpisodeFact::label).toList());
        assertEquals(LocalDate.of(2023, 9, 29), e.episodes().listed().get(0).airDate());
        assertTrue(e.episodes().createsRows());
        assertEquals("Episodes", e.timelineType());
        assertEquals("Sonarr lists 2 monitored episodes", e.details());
        assertTrue(e.dedupeKey().startsWith("sonarr:EpisodeList:42:"));
        assertEquals(e.dedupeKey(), adapter.interpret(body.deepCopy()).dedupeKey());

        ((ObjectNode) episodes.get(2)).put("monitored", false);
        assertNotEquals(e.dedupeKey(), adapter.interpret(body).dedupeKey(), "a changed list is a new event");
        ((ObjectNode) episodes.get(0)).put("monitored", false);
        assertEquals("Sonarr lists no monitored episodes", ignored(adapter.interpret(body)).reason());
    }

    @Test
    void theTestButtonIsIgnoredAndNeverADuplicate() {
        ObjectNode body = fixture("protocol/sonarr-test.json");
        Interpretation.Ignore first = ignored(adapter.interpret(body));
        assertEquals("test event received: the webhook works", first.reason());
        assertTrue(first.dedupeKey().startsWith("sonarr:Test:"));
        assertNotEquals(first.dedupeKey(), adapter.interpret(body).dedupeKey());
    }

    @Test
    void eventsThatChangeNoRequestAreIgnoredWithTheirType() {
        for (String type : List.of("Rename", "Health", "HealthRestored", "ApplicationUpdate",
                "ManualInteractionRequired", "SomethingNew")) {
            ObjectNode body = fixture("protocol/sonarr-grab.json");
            body.put("eventType", type);
            Interpretation.Ignore ignore = ignored(adapter.interpret(body));
            assertEquals(type, ignore.eventType());
            assertEquals("Sonarr event " + type + " does not change a request", ignore.reason());
        }
    }

    @Test
    void trackArrRequestsOffMeansNothingIsCreated() {
        SonarrAdapter untracked = new SonarrAdapter(new IngestRules(List.of("anime"), List.of("/anime/"), false));
        for (String name : List.of("protocol/sonarr-grab.json", "protocol/sonarr-download.json",
                "protocol/sonarr-import-complete.json")) {
            assertFalse(tracked(untracked.interpret(fixture(name))).target().mayCreate(), name);
        }
        ObjectNode added = fixture("protocol/sonarr-series-delete.json");
        added.put("eventType", "SeriesAdd");
        assertFalse(tracked(untracked.interpret(added)).target().mayCreate());
    }

    @Test
    void dedupeKeysAreEqualForRedeliveriesAndDifferentOtherwise() {
        List<String> keys = new ArrayList<>();
        for (String name : List.of("protocol/sonarr-grab.json", "protocol/sonarr-download.json",
                "protocol/sonarr-download-upgrade.json", "protocol/sonarr-import-complete.json",
                "protocol/sonarr-series-delete.json", "protocol/sonarr-episodefile-delete.json",
                "original/sonarr-grab.json", "original/sonarr-import.json")) {
            String key = adapter.interpret(fixture(name)).dedupeKey();
            assertEquals(key, adapter.interpret(fixture(name)).dedupeKey(), name);
            assertTrue(key.length() <= 100, key);
            keys.add(key);
        }
        assertEquals(keys.size(), keys.stream().distinct().count(), keys.toString());

        // Per-file imports of one season pack share the hash; the file tells them apart.
        ObjectNode other = fixture("protocol/sonarr-download.json");
        ((ObjectNode) other.get("episodeFile")).put("id", 982);
        assertNotEquals(keys.get(1), adapter.interpret(other).dedupeKey());
        ((ObjectNode) other.get("episodeFile")).remove("id");
        String byPath = adapter.interpret(other).dedupeKey();
        assertTrue(byPath.startsWith("sonarr:Download:" + GRAB_HASH + ":file:"), byPath);
        assertTrue(byPath.length() <= 100, byPath);

        ObjectNode noHash = fixture("protocol/sonarr-import-complete.json");
        noHash.remove("downloadId");
        String bodyKey = adapter.interpret(noHash).dedupeKey();
        assertTrue(bodyKey.startsWith("sonarr:DownloadComplete:body:"), bodyKey);
        assertTrue(bodyKey.length() <= 100, bodyKey);
    }

    @Test
    void missingOrUnusableFieldsAreIgnoredWithAReason() {
        assertEquals("no eventType in the payload", ignored(adapter.interpret(JSON.createObjectNode())).reason());
        ObjectNode noType = fixture("protocol/sonarr-grab.json");
        noType.remove("eventType");
        assertEquals("no eventType in the payload", ignored(adapter.interpret(noType)).reason());

        String noIds = "payload has no usable id (series.tvdbId, series.id, downloadId)";
        ObjectNode seriesAsString = fixture("protocol/sonarr-series-delete.json");
        seriesAsString.put("series", "Frieren");
        assertEquals(noIds, ignored(adapter.interpret(seriesAsString)).reason());

        ObjectNode junkIds = fixture("protocol/sonarr-grab.json");
        ((ObjectNode) junkIds.get("series")).put("id", "abc").put("tvdbId", -1).put("imdbId", "")
                .put("tmdbId", new BigInteger("99999999999999999999999"));
        junkIds.put("downloadId", "x".repeat(65)); // longer than any hash the schema stores
        assertEquals(noIds, ignored(adapter.interpret(junkIds)).reason());

        String noEpisodes = "payload lists no usable episodes (episodes[] with seasonNumber and episodeNumber)";
        ObjectNode episodesAsObject = fixture("protocol/sonarr-grab.json");
        episodesAsObject.putObject("episodes").put("seasonNumber", 1).put("episodeNumber", 5);
        assertEquals(noEpisodes, ignored(adapter.interpret(episodesAsObject)).reason());

        ObjectNode badNumbers = fixture("protocol/sonarr-episodefile-delete.json");
        ((ObjectNode) badNumbers.get("episodes").get(0)).put("seasonNumber", "one").put("episodeNumber", 5.5);
        assertEquals(noEpisodes, ignored(adapter.interpret(badNumbers)).reason());

        ObjectNode noFiles = fixture("protocol/sonarr-download.json");
        noFiles.put("episodeFile", "file.mkv");
        assertEquals("Download payload has neither episodeFile nor episodeFiles",
                ignored(adapter.interpret(noFiles)).reason());
    }

    @Test
    void wrongTypesInsideAUsablePayloadAreSkippedNotFatal() {
        ObjectNode body = fixture("protocol/sonarr-grab.json");
        ObjectNode series = (ObjectNode) body.get("series");
        series.put("images", "poster.jpg");
        series.put("year", new BigInteger("99999999999999999999"));
        ArrayNode episodes = (ArrayNode) body.get("episodes");
        ((ObjectNode) episodes.get(0)).put("airDate", "2023-02-30").put("id", "abc").put("tvdbId", 0);
        episodes.add("S01E06").addNull().addObject().put("seasonNumber", 1);
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals(List.of(new EpisodeFact(1, 5, "Phantoms of the Dead", null, null, null, null, null)),
                e.episodes().listed());
        assertNull(e.facts().posterUrl());
        assertNull(e.facts().year());
    }

    @Test
    void neverThrowsWhateverAFieldHolds() {
        for (String name : List.of("protocol/sonarr-grab.json", "protocol/sonarr-download.json",
                "protocol/sonarr-download-upgrade.json", "protocol/sonarr-import-complete.json",
                "protocol/sonarr-series-delete.json", "protocol/sonarr-episodefile-delete.json",
                "protocol/sonarr-test.json", "original/sonarr-import.json")) {
            for (ObjectNode variant : RadarrAdapterTest.Mutations.of(fixture(name))) {
                RadarrAdapterTest.Mutations.check(adapter.interpret(variant), variant);
            }
        }
    }
}
