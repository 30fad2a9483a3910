package app.statustracker.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One message from Shoko's SignalR hub, read by {@link ShokoMessages#parse(String, String)} (protocols.md §5.2–5.5).
 * Shoko 5.x ({@code ShokoEvent:FileMatched}) and Shoko 6 ({@code file:matched}) names give the same kinds. Never
 * carries the raw payload; every message has a stable {@link #dedupeKey()} of at most {@link #MAX_KEY} characters.
 */
public sealed interface ShokoMessage
        permits ShokoMessage.FileEvent, ShokoMessage.MetadataEvent, ShokoMessage.Connected, ShokoMessage.Unknown,
        ShokoMessage.Malformed {

    /** Longest {@link #dedupeKey()}. */
    int MAX_KEY = 100;

    /**
     * Identifies the message for de-duplication: the same message twice gives the same key, a message that differs in
     * anything the tracker reads gives another one.
     */
    String dedupeKey();

    /** What happened to a file. */
    enum Kind {
        /** Seen in an import folder, not hashed yet ({@code FileDetected}, {@code file:detected}). */
        DETECTED,
        /** Hashed; cross-references usually empty for a new file ({@code FileHashed}, {@code file:hashed}). */
        HASHED,
        /** AniDB (or a user) linked it ({@code FileMatched}, {@code file:matched}, {@code release:saved}). */
        MATCHED,
        /** AniDB does not know it (yet) ({@code FileNotMatched}; Shoko 6 has no such event). */
        NOT_MATCHED,
        /** The renamer gave it another name ({@code FileRenamed}). */
        RENAMED,
        /** Moved to another folder or import folder ({@code FileMoved}, {@code file:relocated}). */
        MOVED,
        /** A location was removed ({@code FileDeleted}, {@code file:deleted}). */
        DELETED
    }

    /** What a metadata event is about. */
    enum Subject {
        SERIES, EPISODE, MOVIE
    }

    /**
     * One {@code CrossReferences[]} entry; any id may be null (the Shoko episode or series record may not exist yet).
     *
     * @param episodeId      Shoko episode id
     * @param anidbEpisodeId AniDB episode id
     * @param seriesId       Shoko series id
     * @param anidbAnimeId   AniDB anime id
     * @param groupId        Shoko group id
     */
    record CrossReference(Long episodeId, Long anidbEpisodeId, Long seriesId, Long anidbAnimeId, Long groupId) {

        String canonical() {
            return episodeId + "/" + anidbEpisodeId + "/" + seriesId + "/" + anidbAnimeId + "/" + groupId;
        }
    }

    /**
     * A file event.
     *
     * @param kind                   what happened
     * @param fileId                 Shoko file (VideoLocal) id; null when absent or 0 (look the file up by path)
     * @param fileLocationId         Shoko file-location id; null when absent or 0
     * @param importFolderId         import (managed) folder id; null when absent or 0
     * @param relativePath           path below the import folder: {@code /} separators, no leading separator; the
     *                               bare file name when only {@code FileName} was sent; null when neither
     * @param crossReferences        the links to AniDB episodes; empty when not (yet) linked, never null
     * @param hasCrossReferences     {@code HasCrossReferences} (FileNotMatched: links existed and did not change);
     *                               null when absent
     * @param autoMatchAttempts      {@code AutoMatchAttempts} (FileNotMatched); null when absent
     * @param udpBanned              {@code IsUDPBanned} (FileNotMatched); null when absent
     * @param previousRelativePath   {@code PreviousRelativePath} (FileMoved), normalised like relativePath
     * @param previousImportFolderId {@code PreviousImportFolderID} (FileMoved)
     */
    record FileEvent(Kind kind, Long fileId, Long fileLocationId, Integer importFolderId, String relativePath,
            List<CrossReference> crossReferences, Boolean hasCrossReferences, Integer autoMatchAttempts,
            Boolean udpBanned, String previousRelativePath, Integer previousImportFolderId) implements ShokoMessage {

        public FileEvent {
            Objects.requireNonNull(kind, "kind");
            crossReferences = crossReferences == null ? List.of() : List.copyOf(crossReferences);
        }

        /** "Imported into Shoko" (protocols.md §5.4): at least one cross-reference with a Shoko series id. */
        public boolean matched() {
            return crossReferences.stream().anyMatch(x -> x.seriesId() != null);
        }

        /**
         * Linked to anything at all, as the prototype read it: a non-empty {@code CrossReferences} list, else
         * {@code HasCrossReferences}.
         */
        public boolean anyCrossReference() {
            return !crossReferences.isEmpty() || Boolean.TRUE.equals(hasCrossReferences);
        }

        /** The distinct Shoko series ids of the cross-references, in order. */
        public List<Long> seriesIds() {
            return crossReferences.stream().map(CrossReference::seriesId).filter(Objects::nonNull).distinct().toList();
        }

        /** The last segment of {@link #relativePath()}; null without a path. */
        public String fileName() {
            return ShokoMessages.lastSegment(relativePath);
        }

        @Override
        public String dedupeKey() {
            String xrefs = crossReferences.stream().map(CrossReference::canonical).sorted()
                    .collect(Collectors.joining(","));
            String detail = relativePath + "|" + xrefs + "|" + hasCrossReferences + "|" + autoMatchAttempts + "|"
                    + udpBanned + "|" + previousImportFolderId + "|" + previousRelativePath;
            return ShokoMessages.key("file." + kind.name().toLowerCase(Locale.ROOT) + ":" + fileId + ":"
                    + fileLocationId + ":" + importFolderId + ":", detail);
        }
    }

    /**
     * One entry of a SeriesUpdated {@code Episodes[]} list.
     *
     * @param reason          {@code Reason}
     * @param episodeId       {@code EpisodeID}, in the namespace of the event's source
     * @param shokoEpisodeIds {@code ShokoEpisodeIDs}
     */
    record EpisodeChange(String reason, Long episodeId, List<Long> shokoEpisodeIds) {

        public EpisodeChange {
            shokoEpisodeIds = shokoEpisodeIds == null ? List.of() : List.copyOf(shokoEpisodeIds);
        }

        String canonical() {
            return reason + "/" + episodeId + "/" + ShokoMessages.sortedIds(shokoEpisodeIds);
        }
    }

    /**
     * SeriesUpdated, EpisodeUpdated or MovieUpdated ({@code metadata:*} in Shoko 6).
     *
     * @param subject         series, episode or movie
     * @param source          {@code Source}: {@code AniDB}, {@code Shoko}, {@code TMDB}, ...; null when absent
     * @param reason          {@code Reason}: {@code Added}, {@code Updated}, {@code Removed}, {@code ImageAdded},
     *                        ...; {@code Added} for Shoko 6's {@code metadata:episode.added} without one
     * @param id              the subject's id in the namespace of {@code source}: SeriesID, EpisodeID, or MovieID
     *                        (a TMDB movie id)
     * @param seriesId        {@code SeriesID} (source namespace); for a series the same as id
     * @param shokoSeriesIds  {@code ShokoSeriesIDs}, never null
     * @param shokoEpisodeIds {@code ShokoEpisodeIDs}; for a series without them, those of its {@code Episodes[]}
     * @param episodes        {@code Episodes[]} of a SeriesUpdated, never null
     */
    record MetadataEvent(Subject subject, String source, String reason, Long id, Long seriesId,
            List<Long> shokoSeriesIds, List<Long> shokoEpisodeIds, List<EpisodeChange> episodes)
            implements ShokoMessage {

        public MetadataEvent {
            Objects.requireNonNull(subject, "subject");
            shokoSeriesIds = shokoSeriesIds == null ? List.of() : List.copyOf(shokoSeriesIds);
            shokoEpisodeIds = shokoEpisodeIds == null ? List.of() : List.copyOf(shokoEpisodeIds);
            episodes = episodes == null ? List.of() : List.copyOf(episodes);
        }

        /** {@code Reason == "Added"} (case-insensitive): the prototype's trigger for a MovieUpdated verification. */
        public boolean added() {
            return "added".equalsIgnoreCase(reason);
        }

        /** Whether {@code Source} is the given one (case-insensitive), e.g. {@code TMDB}. */
        public boolean from(String name) {
            return source != null && source.equalsIgnoreCase(name);
        }

        @Override
        public String dedupeKey() {
            List<String> changes = new ArrayList<>();
            for (EpisodeChange change : episodes) {
                changes.add(change.canonical());
            }
            changes.sort(Comparator.naturalOrder());
            String detail = ShokoMessages.sortedIds(shokoSeriesIds) + "|" + ShokoMessages.sortedIds(shokoEpisodeIds)
                    + "|" + String.join(",", changes);
            return ShokoMessages.key("meta." + subject.name().toLowerCase(Locale.ROOT) + ":"
                    + ShokoMessages.shortText(source) + ":" + ShokoMessages.shortText(reason) + ":" + id + ":"
                    + seriesId + ":", detail);
        }
    }

    /**
     * The hub's greeting after joining a feed ({@code ShokoEvent:OnConnected}, {@code file:connected}).
     *
     * @param feed the feed, lower case: {@code shoko} for 5.x's {@code ShokoEvent} group, {@code file}, ...
     */
    record Connected(String feed) implements ShokoMessage {

        @Override
        public String dedupeKey() {
            return ShokoMessages.fit("connected:" + feed);
        }
    }

    /** A target the tracker does not read (AniDB state, queue, logs, ...). */
    record Unknown(String target) implements ShokoMessage {

        @Override
        public String dedupeKey() {
            return ShokoMessages.fit("unknown:" + target);
        }
    }

    /**
     * A known target whose argument could not be used: unreadable JSON, no argument, or an object without any field
     * the tracker needs. reason says which, without quoting the payload.
     */
    record Malformed(String target, String reason) implements ShokoMessage {

        @Override
        public String dedupeKey() {
            return ShokoMessages.key("malformed:" + target + ":", reason);
        }
    }
}
