package app.statustracker.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import app.statustracker.support.Database;
import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The reconciler on its own schedule, as in production: nothing calls it, yet a download Radarr reports and no
 * webhook announced is tracked within a few seconds. It runs from the scheduler, outside any HTTP request, and still
 * reaches the database through the pipeline's safe context (Hibernate Reactive would refuse any other).
 */
@QuarkusTest
@TestProfile(ReconcileScheduleTest.Scheduled.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class ReconcileScheduleTest {

    /** The schedule switched on, fast. */
    public static class Scheduled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracker.reconcile.enabled", "true", "tracker.reconcile.delay", "1s",
                    "tracker.reconcile.every", "1s");
        }
    }

    @Inject
    Database db;

    @Test
    void aDownloadNoWebhookAnnouncedIsTrackedWithoutAnyoneAsking() {
        db.clean();
        FakeMediaServer.reset();

        FakeArr.RADARR.queue.add(ReconcileTest.radarrQueueRecord(ReconcileTest.paprikaMovie(), Paprika.HASH));

        await().atMost(Duration.ofSeconds(20)).until(() -> db.count("SELECT count(*) FROM media_request") == 1);
        assertEquals("grabbing", db.string("SELECT state FROM media_request"));
        assertEquals(1, db.count("SELECT count(*) FROM inbound_event WHERE content_type LIKE '%reconciled%'"));
    }
}
