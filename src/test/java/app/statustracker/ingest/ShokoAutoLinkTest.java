package app.statustracker.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ShokoAutoLinkTest {

    @Test
    void aSharedWordOfThreeLettersLetsTheHitThrough() {
        assertTrue(ShokoAutoLink.accepts("Sousou no Frieren", "Frieren: Beyond Journey's End", List.of()));
        assertTrue(ShokoAutoLink.accepts("Delicious in Dungeon", "Dungeon Meshi", null));
        assertTrue(ShokoAutoLink.accepts("FRIEREN", "frieren", List.of()), "case is ignored");
        assertTrue(ShokoAutoLink.accepts("Mob Psycho 100", "Mob", List.of()), "three letters are enough");
    }

    @Test
    void accentsAreFolded() {
        assertTrue(ShokoAutoLink.accepts("Pokemon Horizons", "Pokémon Horizons: The Series", List.of()));
        assertTrue(ShokoAutoLink.accepts("Shingeki no Kyojin: Ōtsutsuki", "Otsutsuki", List.of()));
    }

    @Test
    void fillerWordsShortWordsAndNumbersDoNotCount() {
        assertFalse(ShokoAutoLink.accepts("The Rising of the Shield Hero", "The Apothecary Diaries", List.of()));
        assertFalse(ShokoAutoLink.accepts("Re:Creators", "Re:Zero", List.of()), "'re' has two letters");
        assertFalse(ShokoAutoLink.accepts("86", "86 2021", List.of()), "numbers are not words");
        assertFalse(ShokoAutoLink.accepts("Bleach Movie", "One Piece Movie", List.of()));
        assertFalse(ShokoAutoLink.accepts("Season", "Season 2", List.of()));
    }

    @Test
    void wholeWordsOnlyNotSubstrings() {
        // The prototype's substring test let "other" pass for "the" and "Naruto" for "Naru".
        assertFalse(ShokoAutoLink.accepts("Naruto Shippuden", "Love Hina Naru", List.of()));
    }

    @Test
    void alternateTitlesAreTriedAfterTheTitle() {
        List<String> alternates = List.of("Kusuriya no Hitorigoto", "The Apothecary Diaries");

        assertEquals(Optional.of("The Apothecary Diaries"),
                ShokoAutoLink.matchingTitle("Apothecary Diaries", "薬屋のひとりごと", alternates));
        assertEquals(Optional.of("Kusuriya no Hitorigoto"),
                ShokoAutoLink.matchingTitle("Kusuriya no Hitorigoto (2023)", "薬屋のひとりごと", alternates));
        assertTrue(ShokoAutoLink.accepts("Kusuriya no Hitorigoto", "The Apothecary Diaries", alternates));
        assertFalse(ShokoAutoLink.accepts("Kaguya-sama", "The Apothecary Diaries", alternates));
    }

    @Test
    void nothingToCompare() {
        assertFalse(ShokoAutoLink.accepts(null, "Frieren", List.of()));
        assertFalse(ShokoAutoLink.accepts("", "Frieren", List.of()));
        assertFalse(ShokoAutoLink.accepts("Frieren", null, null));
        assertFalse(ShokoAutoLink.accepts("Frieren", null, java.util.Arrays.asList(null, " ")));
        assertEquals(Optional.of("dungeon"), ShokoAutoLink.sharedWord("Delicious in Dungeon", "Dungeon Meshi"));
        assertEquals(Optional.empty(), ShokoAutoLink.sharedWord("A", null));
    }

    @Test
    void episodeNumberFromSeasonAndEpisode() {
        String frieren = "Frieren - Beyond Journey's End - S01E05 - 005 - Phantoms of the Dead [Bluray-1080p].mkv";
        assertEquals(5, ShokoAutoLink.episodeNumber(frieren));
        assertEquals(1, ShokoAutoLink.seasonNumber(frieren));
        assertEquals(10, ShokoAutoLink.episodeNumber("Show/Season 2/Show s02e10.mkv"));
        assertEquals(2, ShokoAutoLink.seasonNumber("Show\\Season 2\\Show S02E10.mkv"));
        assertEquals(24, ShokoAutoLink.episodeNumber("Dungeon Meshi (2024)/Season 01/Dungeon Meshi - S01E24 - 024 - "
                + "Dungeon Meshi [WEBDL-1080p][8bit][x264][AAC 2.0][JA]-SubsPlease.mkv"));
    }

    @Test
    void episodeNumberAfterADash() {
        assertEquals(5, ShokoAutoLink.episodeNumber("Sousou no Frieren - 05 - Phantoms of the Dead [Judas][1080p].mkv"));
        assertEquals(24, ShokoAutoLink.episodeNumber("[SubsPlease] Dungeon Meshi - 24 (1080p) [A1B2C3D4].mkv"));
        assertEquals(3, ShokoAutoLink.episodeNumber("Show - 03v2 [720p].mkv"));
        assertEquals(12, ShokoAutoLink.episodeNumber("Show - 12.mkv"));
        assertNull(ShokoAutoLink.seasonNumber("Show - 12.mkv"));
    }

    @Test
    void noEpisodeNumber() {
        assertNull(ShokoAutoLink.episodeNumber("Chainsaw Man - Reze Arc/movie.mkv"));
        assertNull(ShokoAutoLink.episodeNumber("Movie - 1080p.mkv"), "a resolution is not an episode");
        assertNull(ShokoAutoLink.episodeNumber("Show - 00.mkv"), "episode 0 cannot be linked");
        assertNull(ShokoAutoLink.episodeNumber("S01E05 - folder/movie.mkv"), "only the file name is read");
        assertNull(ShokoAutoLink.episodeNumber(null));
        assertNull(ShokoAutoLink.episodeNumber(" "));
    }
}
