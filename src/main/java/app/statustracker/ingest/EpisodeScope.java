package app.statustracker.ingest;

import java.util.List;

/**
 * Which episodes of a TV request an input is about; its {@link Target} applies to each of them and the request's
 * state is then the least advanced of its expected episodes.
 *
 * @param mode        how the episodes are chosen
 * @param listed      for {@link Mode#LISTED}: the episodes named by the payload
 * @param createsRows whether listed episodes the request does not track yet are added to it
 */
public record EpisodeScope(Mode mode, List<EpisodeFact> listed, boolean createsRows) {

    public enum Mode {
        /** Not about episodes (movies, request-level events). */
        NONE,
        /** The episodes named in the payload. */
        LISTED,
        /** The episodes downloaded by the event's torrent ({@link MediaKeys#downloadHash()}). */
        BY_HASH
    }

    public static EpisodeScope none() {
        return new EpisodeScope(Mode.NONE, List.of(), false);
    }

    public static EpisodeScope listed(List<EpisodeFact> episodes, boolean createsRows) {
        return new EpisodeScope(Mode.LISTED, List.copyOf(episodes), createsRows);
    }

    public static EpisodeScope byHash() {
        return new EpisodeScope(Mode.BY_HASH, List.of(), false);
    }
}
