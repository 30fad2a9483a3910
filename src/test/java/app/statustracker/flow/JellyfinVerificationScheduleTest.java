package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.deliverAndGetRequestId;
import static app.statustracker.flow.Scenario.request;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import app.statustracker.support.Database;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** The verification on its schedule, as in production: nobody calls it, and the request still becomes available. */
@QuarkusTest
@TestProfile(JellyfinVerificationScheduleTest.Scheduled.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class JellyfinVerificationScheduleTest {

    public static class Scheduled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracker.verification.enabled", "true", "tracker.verification.every", "1s",
                    "tracker.verification.delay", "1s");
        }
    }

    @Inject
    Database db;

    @Test
    void theScheduledCycleMakesAnImportedMovieAvailableOnceJellyfinHasIt() throws InterruptedException {
        db.clean();
        FakeMediaServer.reset();
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.imported());

        // a few cycles without the movie: it waits
        await().atMost(Duration.ofSeconds(20)).until(() -> FakeMediaServer.jellyfinCalls() >= 2);
        request(id).body("state", equalTo("importing"));

        // Jellyfin adds it; no webhook, no one calls the check
        FakeMediaServer.movie(JellyfinVerificationTest.PAPRIKA_ITEM, "Paprika", 2006, 4977);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> request(id).body("state", equalTo("available")));
        request(id).body("timeline_events.event_type", hasItem("Verified"));
    }
}
