package app.statustracker.ingest;

/**
 * What a grab or an import says about the release. Unlike other facts these replace what the request holds: the
 * newest grab is the release being downloaded.
 */
public record ReleaseFacts(String quality, String indexer, String releaseGroup, Long size) {

    public boolean isEmpty() {
        return quality == null && indexer == null && releaseGroup == null && size == null;
    }
}
