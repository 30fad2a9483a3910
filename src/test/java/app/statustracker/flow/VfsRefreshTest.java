package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.request;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import app.statustracker.service.VfsRefresh;
import app.statustracker.support.Database;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Payload;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * An anime request that waits in anime_matching too long makes the tracker ask Jellyfin (its API, nothing else) for a
 * library refresh, so that Shokofin rebuilds its virtual files: once per stay, at most once per interval, and said in
 * the timeline.
 */
@QuarkusTest
@TestProfile(VfsRefreshTest.Refreshing.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class VfsRefreshTest {

    /** Refresh after 3 minutes in anime_matching, at most once an hour. */
    public static class Refreshing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracker.shoko.vfs-refresh-after", "3m", "tracker.shoko.vfs-refresh-min-interval", "1h");
        }
    }

    @Inject
    Database db;

    @Inject
    VfsRefresh refresh;

    private long refreshes() {
        return FakeMediaServer.REQUESTS.stream().filter(r -> r.equals("POST /Library/Refresh")).count();
    }

    @Test
    void anAnimeWaitingForShokofinTooLongGetsOneLibraryRefresh() {
        db.clean();
        FakeMediaServer.reset();
        deliver("radarr", Payload.of("protocol/radarr-grab.json"));
        int id = deliver("radarr", Payload.of("protocol/radarr-download.json")).extract().path("request_id");

        // not long enough yet
        refresh.run().await().indefinitely();
        assertEquals(0, refreshes());

        // waiting for ten minutes
        db.run("UPDATE media_request SET state_changed_at = now() - interval '10 minutes' WHERE id = " + id);
        assertEquals(1, refresh.run().await().indefinitely().size());
        assertEquals(1, refreshes());
        request(id).body("timeline_events.event_type", hasItem("Library Refresh"))
                .body("timeline_events.details", hasItem(containsString("asked Jellyfin to refresh its library")));

        // not again within the interval, and never twice for one stay
        assertEquals(0, refresh.run().await().indefinitely().size());
        assertEquals(1, refreshes());
        assertEquals(1, db.count("SELECT count(*) FROM inbound_event WHERE event_type = 'LibraryRefresh'"));
    }
}
