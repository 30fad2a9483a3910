package app.statustracker.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.MediaType;
import app.statustracker.RequestState;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sonarr's webhook connection, v3 and v4 (protocols.md §1), plus {@code EpisodeList}: the tracker's own event that
 * carries Sonarr's REST episode list ({@code /api/v3/episode?seriesId=}) through the same pipeline.
 *
 * <p>
 * {@code Download} comes in two shapes under one event type: per imported file ({@code episodeFile}) and once per
 * finished download ("On Import Complete", {@code episodeFiles[]}).
 */
@ApplicationScoped
public class SonarrAdapter implements WebhookAdapter {

    public static final String SOURCE = "sonarr";

    /** The events that can change a request; every other type is answered "ignored". */
    private static final Set<String> TRACKED = Set.of("Grab", "Download", "SeriesAdd", "SeriesDelete",
            "EpisodeFileDelete", "EpisodeList");

    /** The events whose target applies to the episodes they list. */
    private static final Set<String> EPISODIC = Set.of("Grab", "Download", "EpisodeFileDelete");

    private final IngestRules rules;

    public SonarrAdapter(IngestRules rules) {
        this.rules = rules;
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public String displayName() {
        return "Sonarr";
    }

    @Override
    public List<String> statesProvided() {
        return ArrPayloads.STATES_PROVIDED;
    }

    @Override
    public List<String> correlationFields() {
        return List.of("series.tvdbId", "series.tmdbId", "series.id", "downloadId", "episodes[].id");
    }

    @Override
    public Interpretation interpret(ObjectNode body) {
        String type = Payloads.text(body.get("eventType"));
        JsonNode series = ArrPayloads.object(body, "series");
        MediaKeys keys = new MediaKeys(MediaType.TV, ArrPayloads.id(series, "tmdbId"), ArrPayloads.id(series, "tvdbId"),
                ArrPayloads.imdb(series), null, ArrPayloads.downloadHash(body), false, ArrPayloads.id(series, "id"),
                null, null);
        String bodySha = ArrPayloads.shortSha(body.toString());

        if (type == null) {
            return new Interpretation.Ignore(null, SOURCE + ":none:body:" + Payloads.sha256(body.toString()),
                    "no eventType in the payload", keys);
        }
        if (type.equals("Test")) {
            return ArrPayloads.testEvent(SOURCE, keys);
        }
        if (TRACKED.contains(type) && keys.isEmpty()) {
            return new Interpretation.Ignore(type, SOURCE + ":" + type + ":body:" + Payloads.sha256(body.toString()),
                    "payload has no usable id (series.tvdbId, series.id, downloadId)", keys);
        }

        boolean track = rules.trackArrRequests();
        Boolean anime = isAnime(series);
        String hash = keys.downloadHash();
        JsonNode release = ArrPayloads.object(body, "release");
        List<EpisodeFact> episodes = ArrPayloads.episodes(ArrPayloads.array(body, "episodes"), false);
        if (EPISODIC.contains(type) && episodes.isEmpty()) {
            // Sonarr always lists the episodes these events are about; without them the event proves nothing.
            return new Interpretation.Ignore(type, SOURCE + ":" + type + ":body:" + bodySha,
                    "payload lists no usable episodes (episodes[] with seasonNumber and episodeNumber)", keys);
        }
        return switch (type) {
            case "Grab" -> {
                String quality = ArrPayloads.text(release, "quality");
                String indexer = ArrPayloads.text(release, "indexer");
                String label = ArrPayloads.episodeLabel(episodes);
                String details = (quality != null ? quality : "Unknown") + (indexer != null ? " from " + indexer : "")
                        + (label != null ? " (" + label + ")" : "");
                ReleaseFacts facts = ArrPayloads.release(quality, indexer, ArrPayloads.text(release, "releaseGroup"),
                        ArrPayloads.id(release, "size"));
                String key = SOURCE + ":Grab:" + (hash != null ? hash : "body:" + Payloads.sha256(body.toString()));
                yield track(new DomainEvent(SOURCE, type, key, keys,
                        Target.progress(RequestState.GRABBING, track).reach(Target.Reach.OPEN_OR_AVAILABLE),
                        facts(series, anime, null, facts), "Grab", details)
                        .withEpisodes(EpisodeScope.listed(episodes, true))
                        .withFollowUp(DomainEvent.FollowUp.EXPECTED_EPISODES), anime);
            }
            case "Download" -> download(body, series, keys, anime, release, episodes, track, bodySha);
            case "SeriesAdd" -> track(new DomainEvent(SOURCE, type, SOURCE + ":SeriesAdd:" + seriesKey(keys, bodySha),
                    keys, Target.progress(RequestState.SEARCHING, false), facts(series, anime, null, null), "Added",
                    "Added to Sonarr").withFollowUp(DomainEvent.FollowUp.EXPECTED_EPISODES), anime);
            case "AlternateTitles" -> {
                // Posted by our own follow-up with the series resource's alternate titles, not by Sonarr's webhook.
                // Answers the question of one request: applied to it (another request of the same media asks again).
                Long asked = Payloads.id(body.get("askedForRequest"));
                List<String> titles = ArrPayloads.alternateTitles(series);
                String key = SOURCE + ":AlternateTitles:" + seriesKey(keys, bodySha) + ":"
                        + ArrPayloads.shortSha(String.join("\n", titles)) + ":r" + asked;
                yield titles.isEmpty() ? new Interpretation.Ignore(type, key, "Sonarr knows no other title", keys)
                        : track(new DomainEvent(SOURCE, type, key, keys.withRequestId(asked), Target.note(),
                                facts(series, anime, null, null), "Titles",
                                "Also known as " + AlternateTitleText.sample(titles)));
            }
            // deletedFiles is a boolean here (an array of files on Download): same name, different type.
            case "SeriesDelete" -> track(new DomainEvent(SOURCE, type,
                    SOURCE + ":SeriesDelete:" + seriesKey(keys, bodySha) + ":" + bodySha, keys, Target.remove(),
                    facts(series, anime, null, null), "Removed",
                    "Removed from Sonarr" + (ArrPayloads.isTrue(body, "deletedFiles") ? ", files deleted" : "")));
            case "EpisodeFileDelete" -> {
                String reason = Payloads.text(body.get("deleteReason"));
                Long fileId = ArrPayloads.id(ArrPayloads.object(body, "episodeFile"), "id");
                String key = SOURCE + ":EpisodeFileDelete:" + (fileId != null ? fileId.toString() : "body:" + bodySha)
                        + ":" + (reason != null ? reason : "unknown");
                String label = ArrPayloads.episodeLabel(episodes);
                String details = "File deleted in Sonarr" + (reason != null ? " (" + reason + ")" : "")
                        + (label != null ? ": " + label : "");
                yield track(new DomainEvent(SOURCE, type, key, keys, Target.note().reach(Target.Reach.ANY),
                        facts(series, anime, null, null), "File Deleted", details)
                        .withEpisodes(EpisodeScope.listed(episodes, false)));
            }
            case "EpisodeList" -> {
                List<EpisodeFact> monitored = ArrPayloads.episodes(ArrPayloads.array(body, "episodes"), true);
                String key = SOURCE + ":EpisodeList:" + seriesKey(keys, bodySha) + ":" + bodySha;
                if (monitored.isEmpty()) {
                    // An empty list would prove nothing about any episode; say so instead of recording it.
                    yield new Interpretation.Ignore(type, key, "Sonarr lists no monitored episodes", keys);
                }
                yield track(new DomainEvent(SOURCE, type, key, keys, Target.progress(RequestState.SEARCHING, false),
                        facts(series, anime, null, null), "Episodes",
                        "Sonarr lists " + monitored.size() + " monitored episodes")
                        .withEpisodes(EpisodeScope.listed(monitored, true)));
            }
            // Rename, Health, HealthRestored, ApplicationUpdate, ManualInteractionRequired and future types.
            default -> new Interpretation.Ignore(type, SOURCE + ":" + type + ":body:" + bodySha,
                    "Sonarr event " + type + " does not change a request", keys);
        };
    }

    private Interpretation download(ObjectNode body, JsonNode series, MediaKeys keys, Boolean anime, JsonNode release,
            List<EpisodeFact> episodes, boolean track, String bodySha) {
        JsonNode episodeFile = ArrPayloads.object(body, "episodeFile");
        JsonNode episodeFiles = ArrPayloads.array(body, "episodeFiles");
        String hash = keys.downloadHash();
        if (episodeFile == null && episodeFiles == null) {
            return new Interpretation.Ignore("Download", SOURCE + ":Download:body:" + bodySha,
                    "Download payload has neither episodeFile nor episodeFiles", keys);
        }
        // An upgrade replaces files of episodes that are already there: it never starts a new request.
        boolean upgrade = ArrPayloads.isTrue(body, "isUpgrade");
        Target target = Boolean.TRUE.equals(anime)
                ? Target.progress(RequestState.ANIME_MATCHING, track).via(RequestState.IMPORTING)
                : Target.progress(RequestState.IMPORTING, track);
        target = target.reach(Target.Reach.OPEN_OR_AVAILABLE).creating(!upgrade && track);

        List<EpisodeFact> imported;
        String finalPath;
        ReleaseFacts releaseFacts;
        String details;
        String key;
        if (episodeFile != null) {
            // Per-file import: every listed episode is in this one file (a multi-episode file lists several).
            String path = ArrPayloads.text(episodeFile, "path");
            imported = episodes.stream().map(e -> e.withFinalPath(path)).toList();
            finalPath = ArrPayloads.parent(path);
            releaseFacts = ArrPayloads.release(ArrPayloads.text(episodeFile, "quality"),
                    ArrPayloads.text(release, "indexer"), ArrPayloads.text(episodeFile, "releaseGroup"),
                    ArrPayloads.id(episodeFile, "size"));
            String name = fileName(episodeFile);
            details = upgrade ? (name != null ? "Upgraded: " + name : "Upgraded in library")
                    : name != null ? "Imported: " + name : "Imported to library";
            Long fileId = ArrPayloads.id(episodeFile, "id");
            String file = fileId != null ? fileId.toString()
                    : path != null ? ArrPayloads.shortSha(path) : "body:" + bodySha;
            key = SOURCE + ":Download:" + (hash != null ? hash : "nohash") + ":file:" + file;
        } else {
            List<JsonNode> files = new ArrayList<>();
            episodeFiles.forEach(f -> {
                if (f.isObject()) {
                    files.add(f);
                }
            });
            imported = withFilesByNumber(episodes, files);
            String destination = Payloads.text(body.get("destinationPath"));
            finalPath = destination != null ? destination
                    : files.isEmpty() ? null : ArrPayloads.parent(ArrPayloads.text(files.get(0), "path"));
            // Files of one download share quality and group; the release's size is the whole download's.
            JsonNode first = files.isEmpty() ? null : files.get(0);
            releaseFacts = ArrPayloads.release(ArrPayloads.text(first, "quality"), ArrPayloads.text(release, "indexer"),
                    ArrPayloads.text(first, "releaseGroup"), ArrPayloads.id(release, "size"));
            String name = files.size() == 1 ? fileName(first) : null;
            String verb = upgrade ? "Upgraded" : "Imported";
            details = name != null ? verb + ": " + name
                    : episodes.isEmpty() ? verb + " " + files.size() + " files"
                    : verb + " " + episodes.size() + " episodes";
            // With the files: after a partial import Sonarr sends another import-complete for the same download.
            key = SOURCE + ":DownloadComplete:" + (hash != null ? hash + ":" + ArrPayloads.shortSha(files.toString())
                    : "body:" + Payloads.sha256(body.toString()));
        }
        return track(new DomainEvent(SOURCE, "Download", key, keys, target,
                facts(series, anime, finalPath, releaseFacts), upgrade ? "Upgrade" : "Import", details)
                .withEpisodes(EpisodeScope.listed(imported, true)));
    }

    /**
     * Import-complete payloads list files and episodes separately, in no promised order: a file belongs to the
     * episodes its name numbers. Only a payload of one episode and one file pairs them without a readable name.
     */
    private static List<EpisodeFact> withFilesByNumber(List<EpisodeFact> episodes, List<JsonNode> files) {
        Map<ArrPayloads.Numbers, String> pathByEpisode = new HashMap<>();
        for (JsonNode file : files) {
            String path = ArrPayloads.text(file, "path");
            if (path == null) {
                continue;
            }
            for (ArrPayloads.Numbers n : numbers(file)) {
                pathByEpisode.putIfAbsent(n, path);
            }
        }
        List<EpisodeFact> result = new ArrayList<>();
        for (EpisodeFact e : episodes) {
            String path = pathByEpisode.get(new ArrPayloads.Numbers(e.season(), e.episode()));
            if (path == null && episodes.size() == 1 && files.size() == 1) {
                path = ArrPayloads.text(files.get(0), "path");
            }
            result.add(path != null ? e.withFinalPath(path) : e);
        }
        return result;
    }

    /** The numbers in the file's name: Sonarr's renamed relativePath first, then the path, then the scene name. */
    private static Set<ArrPayloads.Numbers> numbers(JsonNode file) {
        Set<ArrPayloads.Numbers> found = ArrPayloads.episodeNumbers(
                ArrPayloads.fileName(ArrPayloads.text(file, "relativePath")));
        if (found.isEmpty()) {
            found = ArrPayloads.episodeNumbers(ArrPayloads.fileName(ArrPayloads.text(file, "path")));
        }
        if (found.isEmpty()) {
            found = ArrPayloads.episodeNumbers(ArrPayloads.text(file, "sceneName"));
        }
        return found;
    }

    private static Interpretation track(DomainEvent event) {
        return new Interpretation.Track(event);
    }

    /** An anime's event also asks for its other titles (the Jellyfin verification may need them). */
    private static Interpretation track(DomainEvent event, Boolean anime) {
        return track(Boolean.TRUE.equals(anime) ? event.withFollowUp(DomainEvent.FollowUp.ALTERNATE_TITLES) : event);
    }

    private static String seriesKey(MediaKeys keys, String bodySha) {
        // With the TVDB id: two Sonarr instances (regular and anime) number their series independently.
        return keys.sonarrId() != null ? keys.sonarrId() + ":" + keys.tvdbId() : "body:" + bodySha;
    }

    /**
     * The series type decides (protocols.md §8): "anime" is anime, any other type is not. Only without a type do
     * the weaker hints count: a configured tag or path marker says anime; their absence says nothing.
     */
    private Boolean isAnime(JsonNode series) {
        String type = ArrPayloads.text(series, "type");
        if (type == null) {
            type = ArrPayloads.text(series, "seriesType");
        }
        if (type != null) {
            return type.equalsIgnoreCase("anime");
        }
        if (ArrPayloads.hasAnimeTag(ArrPayloads.field(series, "tags"), rules)
                || rules.isAnimePath(ArrPayloads.text(series, "path"))) {
            return true;
        }
        return null;
    }

    private static String fileName(JsonNode file) {
        String name = ArrPayloads.fileName(ArrPayloads.text(file, "relativePath"));
        return name != null ? name : ArrPayloads.fileName(ArrPayloads.text(file, "path"));
    }

    private static MediaFacts facts(JsonNode series, Boolean anime, String finalPath, ReleaseFacts release) {
        return new MediaFacts(ArrPayloads.text(series, "title"), ArrPayloads.year(ArrPayloads.field(series, "year")),
                ArrPayloads.poster(ArrPayloads.field(series, "images")), null, "Sonarr", List.of(), anime, finalPath,
                null, null, release, ArrPayloads.alternateTitles(series));
    }
}
