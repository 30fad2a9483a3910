package app.statustracker.ingest;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.MediaType;
import app.statustracker.RequestState;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Radarr's webhook connection (protocols.md §2): one POST per event, camelCase, nulls omitted, {@code eventType}
 * PascalCase. Radarr has no import-complete variant: one {@code Download} per imported file.
 */
@ApplicationScoped
public class RadarrAdapter implements WebhookAdapter {

    public static final String SOURCE = "radarr";

    /** The events that can change a request; every other type is answered "ignored". */
    private static final Set<String> TRACKED = Set.of("Grab", "Download", "MovieAdded", "MovieDelete",
            "MovieFileDelete");

    private final IngestRules rules;

    public RadarrAdapter(IngestRules rules) {
        this.rules = rules;
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public String displayName() {
        return "Radarr";
    }

    @Override
    public List<String> statesProvided() {
        return ArrPayloads.STATES_PROVIDED;
    }

    @Override
    public List<String> correlationFields() {
        return List.of("movie.tmdbId", "movie.imdbId", "movie.id", "downloadId");
    }

    @Override
    public Interpretation interpret(ObjectNode body) {
        String type = Payloads.text(body.get("eventType"));
        JsonNode movie = ArrPayloads.object(body, "movie");
        JsonNode remote = ArrPayloads.object(body, "remoteMovie");
        JsonNode movieFile = ArrPayloads.object(body, "movieFile");
        MediaKeys keys = keys(body, movie, remote);

        if (type == null) {
            return new Interpretation.Ignore(null, SOURCE + ":none:body:" + Payloads.sha256(body.toString()),
                    "no eventType in the payload", keys);
        }
        if (type.equals("Test")) {
            return ArrPayloads.testEvent(SOURCE, keys);
        }
        if (TRACKED.contains(type) && keys.isEmpty()) {
            return new Interpretation.Ignore(type, SOURCE + ":" + type + ":body:" + Payloads.sha256(body.toString()),
                    "payload has no usable id (movie.tmdbId, movie.id, downloadId)", keys);
        }

        boolean track = rules.trackArrRequests();
        Boolean anime = isAnime(movie, movieFile);
        String hash = keys.downloadHash();
        String fileName = fileName(movieFile);
        String bodySha = ArrPayloads.shortSha(body.toString());
        JsonNode release = ArrPayloads.object(body, "release");
        return switch (type) {
            case "Grab" -> {
                String quality = ArrPayloads.text(release, "quality");
                String indexer = ArrPayloads.text(release, "indexer");
                Integer year = year(movie, remote);
                String details = (quality != null ? quality : "Unknown") + (indexer != null ? " from " + indexer : "")
                        + (year != null ? " (" + year + ")" : "");
                ReleaseFacts facts = ArrPayloads.release(quality, indexer, ArrPayloads.text(release, "releaseGroup"),
                        ArrPayloads.id(release, "size"));
                // Grabs are per download: the hash names the event; without one the body does.
                String key = SOURCE + ":Grab:" + (hash != null ? hash : "body:" + Payloads.sha256(body.toString()));
                yield withTitles(event(type, key, keys, Target.progress(RequestState.GRABBING, track)
                        .reach(Target.Reach.OPEN_OR_AVAILABLE), facts(movie, remote, anime, null, facts), "Grab",
                        details), anime);
            }
            case "Download" -> {
                boolean upgrade = ArrPayloads.isTrue(body, "isUpgrade");
                Target target = Boolean.TRUE.equals(anime)
                        ? Target.progress(RequestState.ANIME_MATCHING, track).via(RequestState.IMPORTING)
                        : Target.progress(RequestState.IMPORTING, track);
                // An upgrade replaces the file of a movie that is already there: it never starts a new request.
                target = target.reach(Target.Reach.OPEN_OR_AVAILABLE).creating(!upgrade && track);
                String details = upgrade
                        ? fileName != null ? "Upgraded: " + fileName : "Upgraded in library"
                        : fileName != null ? "Imported: " + fileName : "Imported to library";
                String path = ArrPayloads.text(movieFile, "path");
                ReleaseFacts facts = ArrPayloads.release(ArrPayloads.text(movieFile, "quality"),
                        ArrPayloads.text(release, "indexer"), ArrPayloads.text(movieFile, "releaseGroup"),
                        ArrPayloads.id(movieFile, "size"));
                Long fileId = ArrPayloads.id(movieFile, "id");
                String file = fileId != null ? fileId.toString()
                        : path != null ? ArrPayloads.shortSha(path) : "body:" + bodySha;
                String key = SOURCE + ":Download:" + (hash != null ? hash : "nohash") + ":" + file;
                yield event(type, key, keys, target, facts(movie, remote, anime, path, facts),
                        upgrade ? "Upgrade" : "Import", details);
            }
            case "MovieAdded" -> {
                String method = Payloads.text(body.get("addMethod"));
                yield withTitles(event(type, SOURCE + ":MovieAdded:" + movieKey(keys, bodySha), keys,
                        Target.progress(RequestState.SEARCHING, false), facts(movie, remote, anime, null, null),
                        "Added", "Added to Radarr" + (method != null ? " (" + method + ")" : "")), anime);
            }
            case "AlternateTitles" -> {
                // Posted by our own follow-up with the movie resource's alternate titles, not by Radarr's webhook.
                // Answers the question of one request: applied to it (another request of the same media asks again).
                Long asked = Payloads.id(body.get("askedForRequest"));
                List<String> titles = ArrPayloads.alternateTitles(movie);
                String key = SOURCE + ":AlternateTitles:" + movieKey(keys, bodySha) + ":"
                        + ArrPayloads.shortSha(String.join("\n", titles)) + ":r" + asked;
                yield titles.isEmpty() ? new Interpretation.Ignore(type, key, "Radarr knows no other title", keys)
                        : event(type, key, keys.withRequestId(asked), Target.note(),
                                facts(movie, remote, anime, null, null), "Titles",
                                "Also known as " + AlternateTitleText.sample(titles));
            }
            case "MovieDelete" -> {
                // The id with the body: a redelivery is a duplicate, a delete that says something else is not.
                yield event(type, SOURCE + ":MovieDelete:" + movieKey(keys, bodySha) + ":" + bodySha, keys,
                        Target.remove(), facts(movie, remote, anime, null, null), "Removed",
                        "Removed from Radarr" + (ArrPayloads.isTrue(body, "deletedFiles") ? ", files deleted" : ""));
            }
            case "MovieFileDelete" -> {
                String reason = Payloads.text(body.get("deleteReason"));
                Long fileId = ArrPayloads.id(movieFile, "id");
                String key = SOURCE + ":MovieFileDelete:" + (fileId != null ? fileId.toString() : "body:" + bodySha)
                        + ":" + (reason != null ? reason : "unknown");
                String details = "File deleted in Radarr" + (reason != null ? " (" + reason + ")" : "")
                        + (fileName != null ? ": " + fileName : "");
                yield event(type, key, keys, Target.note().reach(Target.Reach.ANY),
                        facts(movie, remote, anime, null, null), "File Deleted", details);
            }
            // Rename, Health, HealthRestored, ApplicationUpdate, ManualInteractionRequired and future types.
            default -> new Interpretation.Ignore(type, SOURCE + ":" + type + ":body:" + bodySha,
                    "Radarr event " + type + " does not change a request", keys);
        };
    }

    private static Interpretation event(String type, String key, MediaKeys keys, Target target, MediaFacts facts,
            String timelineType, String details) {
        return new Interpretation.Track(new DomainEvent(SOURCE, type, key, keys, target, facts, timelineType, details));
    }

    /** An anime's event also asks for its other titles (the Jellyfin verification may need them). */
    private static Interpretation withTitles(Interpretation interpretation, Boolean anime) {
        return Boolean.TRUE.equals(anime) && interpretation instanceof Interpretation.Track t
                ? new Interpretation.Track(t.event().withFollowUp(DomainEvent.FollowUp.ALTERNATE_TITLES))
                : interpretation;
    }

    private static String movieKey(MediaKeys keys, String bodySha) {
        // With the TMDB id: two Radarr instances (regular and 4K or anime) number their movies independently.
        return keys.radarrId() != null ? keys.radarrId() + ":" + keys.tmdbId() : "body:" + bodySha;
    }

    /**
     * {@code movie} is the library movie; {@code remoteMovie} is what the release matched (on the Test payload only
     * it carries a tmdbId).
     */
    private static MediaKeys keys(ObjectNode body, JsonNode movie, JsonNode remote) {
        Long tmdb = ArrPayloads.id(movie, "tmdbId");
        if (tmdb == null) {
            tmdb = ArrPayloads.id(remote, "tmdbId");
        }
        String imdb = ArrPayloads.imdb(movie);
        if (imdb == null) {
            imdb = ArrPayloads.imdb(remote);
        }
        return new MediaKeys(MediaType.MOVIE, tmdb, null, imdb, null, ArrPayloads.downloadHash(body), false, null,
                ArrPayloads.id(movie, "id"), null);
    }

    /**
     * Radarr has no anime type (protocols.md §8): a configured tag, else a configured path marker. A tag list
     * without an anime tag says "not anime"; without a tag list (Radarr before 5.3.4) nothing is known.
     */
    private Boolean isAnime(JsonNode movie, JsonNode movieFile) {
        JsonNode tags = ArrPayloads.field(movie, "tags");
        if (ArrPayloads.hasAnimeTag(tags, rules)) {
            return true;
        }
        if (rules.isAnimePath(ArrPayloads.text(movie, "folderPath"))
                || rules.isAnimePath(ArrPayloads.text(movieFile, "path"))) {
            return true;
        }
        return tags != null && tags.isArray() ? false : null;
    }

    private static Integer year(JsonNode movie, JsonNode remote) {
        Integer year = ArrPayloads.year(ArrPayloads.field(movie, "year"));
        return year != null ? year : ArrPayloads.year(ArrPayloads.field(remote, "year"));
    }

    private static String fileName(JsonNode movieFile) {
        String name = ArrPayloads.fileName(ArrPayloads.text(movieFile, "relativePath"));
        return name != null ? name : ArrPayloads.fileName(ArrPayloads.text(movieFile, "path"));
    }

    private static MediaFacts facts(JsonNode movie, JsonNode remote, Boolean anime, String finalPath,
            ReleaseFacts release) {
        String title = ArrPayloads.text(movie, "title");
        return new MediaFacts(title != null ? title : ArrPayloads.text(remote, "title"), year(movie, remote),
                ArrPayloads.poster(ArrPayloads.field(movie, "images")), ArrPayloads.text(movie, "overview"), "Radarr",
                List.of(), anime, finalPath, null, null, release, ArrPayloads.alternateTitles(movie));
    }
}
