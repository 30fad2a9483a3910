package app.statustracker.ingest;

import static app.statustracker.ingest.RadarrAdapterTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.RequestState;

/** The body of qBittorrent's "run external program on torrent finished" command line. */
class QbittorrentAdapterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HASH = "D41F6C2B8A9E0F1C3B5D7E9A2C4F6B8D0E1A3C57";
    private static final String NO_HASH = "payload has no torrent hash; the command must send \"hash\": \"%I\"";

    private final QbittorrentAdapter adapter = new QbittorrentAdapter();

    private static DomainEvent tracked(Interpretation interpretation) {
        return assertInstanceOf(Interpretation.Track.class, interpretation).event();
    }

    private static Interpretation.Ignore ignored(Interpretation interpretation) {
        return assertInstanceOf(Interpretation.Ignore.class, interpretation);
    }

    /** The documented command line's body, with a real hash instead of the doc's placeholder. */
    private static ObjectNode completed(String hash) {
        ObjectNode body = fixture("original/doc-qbittorrent-complete-illustrative.json");
        body.put("hash", hash);
        return body;
    }

    @Test
    void describesItself() {
        assertEquals("qbittorrent", adapter.source());
        assertEquals("qBittorrent", adapter.displayName());
        assertEquals(List.of("downloaded"), adapter.statesProvided());
        assertEquals(List.of("hash"), adapter.correlationFields());
    }

    @Test
    void aFinishedTorrentIsDownloadedForWhateverItsHashDownloaded() {
        DomainEvent e = tracked(adapter.interpret(completed(HASH)));
        assertEquals("qbittorrent", e.source());
        assertEquals(new Target(Target.Kind.PROGRESS, RequestState.DOWNLOADED, false, null, Target.Reach.OPEN),
                e.target());
        assertEquals(new MediaKeys(null, null, null, null, null, HASH.toLowerCase(), false), e.keys());
        assertEquals(EpisodeScope.byHash(), e.episodes());
        assertEquals("/data/downloads/complete/Movie.Name.2022.1080p.BluRay", e.facts().downloadPath());
        assertNull(e.facts().title());
        assertEquals("Complete", e.timelineType());
        assertEquals("Download complete: Movie.Name.2022.1080p.BluRay", e.details());
        assertEquals("qbittorrent:complete:" + HASH.toLowerCase(), e.dedupeKey());
    }

    @Test
    void theDocumentedPlaceholderHashIsIgnored() {
        Interpretation.Ignore ignore = ignored(adapter.interpret(
                fixture("original/doc-qbittorrent-complete-illustrative.json")));
        assertEquals(NO_HASH, ignore.reason());
        assertTrue(ignore.dedupeKey().length() <= 100);
    }

    @Test
    void hashesAreFortyOrSixtyFourHexDigitsInAnyCase() {
        String v2 = "a".repeat(32) + "0123456789ABCDEF".repeat(2);
        assertEquals(v2.toLowerCase(), tracked(adapter.interpret(completed(v2))).keys().downloadHash());
        assertEquals(HASH.toLowerCase(),
                tracked(adapter.interpret(completed("  " + HASH + "\n"))).keys().downloadHash());
        for (String bad : List.of("", "%I", "-", HASH.substring(1), HASH + "0", HASH.replace('D', 'g'))) {
            assertEquals(NO_HASH, ignored(adapter.interpret(completed(bad))).reason(), bad);
        }
        ObjectNode numeric = completed(HASH);
        numeric.put("hash", new java.math.BigInteger("1234567890123456789012345678901234567890"));
        assertEquals(NO_HASH, ignored(adapter.interpret(numeric)).reason());
        ObjectNode array = completed(HASH);
        array.putArray("hash").add(HASH);
        assertEquals(NO_HASH, ignored(adapter.interpret(array)).reason());
        assertEquals(NO_HASH, ignored(adapter.interpret(JSON.createObjectNode())).reason());
    }

    @Test
    void withoutANameTheHashNamesTheDownloadAndSizeMayBeANumber() {
        ObjectNode body = completed(HASH);
        body.remove("name");
        body.remove("path");
        body.put("size", 1234567890L);
        DomainEvent e = tracked(adapter.interpret(body));
        assertEquals("Download complete: " + HASH.toLowerCase(), e.details());
        assertNull(e.facts().downloadPath());
    }

    @Test
    void dedupeKeysAreEqualForRedeliveriesAndDifferentOtherwise() {
        String key = adapter.interpret(completed(HASH)).dedupeKey();
        assertEquals(key, adapter.interpret(completed(HASH.toLowerCase())).dedupeKey(), "case does not matter");
        assertNotEquals(key, adapter.interpret(completed("0".repeat(40))).dedupeKey());
    }

    @Test
    void neverThrowsWhateverAFieldHolds() {
        for (ObjectNode variant : RadarrAdapterTest.Mutations.of(completed(HASH))) {
            RadarrAdapterTest.Mutations.check(adapter.interpret(variant), variant);
        }
    }
}
