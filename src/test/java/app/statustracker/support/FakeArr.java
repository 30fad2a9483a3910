package app.statustracker.support;

import java.util.Map;

/** Sonarr's and Radarr's queue and history for {@link FakeMediaServer}; filled by reconciliation tests. */
public final class FakeArr {

    private FakeArr() {
    }

    public static void reset() {
    }

    /** The answer for an *arr queue or history path, or null when the path is not one of those. */
    static Object answer(String path, Map<String, String> query, String apiKey) {
        return null;
    }
}
