package app.statustracker.ingest;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.RequestState;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * qBittorrent's "Run external program on torrent finished" hook, posting
 * {@code {"hash":"%I","name":"%N","path":"%D/%N","size":"%Z"}} (original-system.md §4.6). The body names no media:
 * the hash is the only key, matched against the {@code downloadId} Sonarr/Radarr sent on their grab.
 */
@ApplicationScoped
public class QbittorrentAdapter implements WebhookAdapter {

    public static final String SOURCE = "qbittorrent";
    private static final String EVENT = "complete";

    /** A v1 info-hash (40 hex) or a v2 one (64 hex); anything else is a misconfigured command line. */
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");


    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public String displayName() {
        return "qBittorrent";
    }

    @Override
    public List<String> statesProvided() {
        return List.of(RequestState.DOWNLOADED.value());
    }

    @Override
    public List<String> correlationFields() {
        return List.of("hash");
    }

    @Override
    public Interpretation interpret(ObjectNode body) {
        String hash = hash(body.get("hash"));
        if (hash == null) {
            return new Interpretation.Ignore(EVENT, SOURCE + ":" + EVENT + ":body:" + Payloads.sha256(body.toString()),
                    "payload has no torrent hash; the command must send \"hash\": \"%I\"", MediaKeys.none());
        }
        // The media type is unknown here: the request that downloaded this hash is found by the hash alone.
        MediaKeys keys = new MediaKeys(null, null, null, null, null, hash, false);
        String name = Payloads.text(body.get("name"));
        MediaFacts facts = new MediaFacts(null, null, null, null, null, List.of(), null, null,
                Payloads.text(body.get("path")), null, null);
        // A torrent finishes once; a re-check that finishes it again says nothing new.
        return new Interpretation.Track(new DomainEvent(SOURCE, EVENT, SOURCE + ":" + EVENT + ":" + hash, keys,
                Target.progress(RequestState.DOWNLOADED, false), facts, "Complete",
                "Download complete: " + (name != null ? name : hash))
                .withEpisodes(EpisodeScope.byHash()));
    }

    /** qBittorrent substitutes %I in lower case; upper case is accepted too and normalised (protocols.md §0.3). */
    private static String hash(JsonNode node) {
        // Only a string: a JSON number of 40 digits would pass the pattern but was never a %I substitution.
        String text = node != null && node.isTextual() ? Payloads.text(node) : null;
        return text != null && HASH.matcher(text).matches() ? text.toLowerCase(Locale.ROOT) : null;
    }
}
