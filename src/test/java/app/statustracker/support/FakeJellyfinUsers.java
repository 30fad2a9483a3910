package app.statustracker.support;

import com.sun.net.httpserver.Headers;

/** Jellyfin's login routes, filled in by the auth work. */
final class FakeJellyfinUsers {

    private FakeJellyfinUsers() {
    }

    static void reset() {
    }

    static FakeArr.Failure answer(String method, String path, Headers headers, String body) {
        return new FakeArr.Failure(404, null);
    }
}
