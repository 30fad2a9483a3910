package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.deliverAndGetRequestId;
import static app.statustracker.flow.Scenario.qbitFinished;
import static app.statustracker.flow.Scenario.request;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.EventOutcome;
import app.statustracker.RequestState;
import app.statustracker.config.TrackerConfig;
import app.statustracker.service.PipelineResult;
import app.statustracker.service.TimeoutCheck;
import app.statustracker.support.Database;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;

/** Requests stuck too long in one state time out, say why, and recover on later evidence (issue 5, item 4). */
// The raw inbound events these tests read are shown to admins only.
@io.quarkus.test.security.TestSecurity(user = "test-admin", roles = { "user", "admin" })
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class TimeoutTest {

    @Inject
    Database db;
    @Inject
    TimeoutCheck check;
    @Inject
    TrackerConfig config;
    @Inject
    Vertx vertx;
    @Inject
    app.statustracker.service.EventPipeline pipeline;
    @Inject
    app.statustracker.ingest.QbittorrentAdapter qbittorrent;
    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
    }

    /** As if the request had entered its current state this long ago. */
    private void inStateFor(int id, Duration ago) {
        db.run("UPDATE media_request SET state_changed_at = now() - interval '" + ago.toMinutes() + " minutes' WHERE id = "
                + id);
    }

    @Test
    void aGrabWithoutProgressPastItsLimitTimesOutSaysWhyAndRecoversOnTheCompletion() {
        // given a movie grabbed two hours ago (GRABBING_TIMEOUT 60 minutes) and nothing since
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.grab());
        inStateFor(id, Duration.ofHours(2));

        // when the check runs (from a plain thread, as the scheduler's would)
        List<PipelineResult> results = check.run().await().atMost(Duration.ofSeconds(10));

        // then the request times out, remembering where, with the reason on the card and in the timeline
        assertEquals(List.of(EventOutcome.APPLIED), results.stream().map(PipelineResult::outcome).toList());
        request(id).body("state", equalTo("timeout"))
                .body("stuck_reason", equalTo("Stuck in grabbing for 2 hours (limit 60 minutes)"))
                .body("timeline_events.event_type", hasItem("Timeout"))
                .body("timeline_events.service", hasItem(TimeoutCheck.SOURCE));
        assertEquals(1, db.count("SELECT count(*) FROM stream_event WHERE request_id = " + id
                + " AND payload LIKE '%\"state\":\"timeout\"%'"), "dashboards were told");

        // and a second check changes nothing
        assertEquals(List.of(), check.run().await().atMost(Duration.ofSeconds(10)));

        // when qBittorrent's completion arrives after all, the request recovers
        deliver("qbittorrent", qbitFinished(Paprika.HASH.toLowerCase(), "Paprika.2006.1080p.BluRay"))
                .body("outcome", equalTo("applied"));
        request(id).body("state", equalTo("downloaded")).body("stuck_reason", nullValue());
    }

    @Test
    void onlyStaysPastTheirOwnStatesLimitTimeOut() throws Exception {
        // given one request downloading for two hours (limit a day) and one approved for three (limit two hours)
        int downloading = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.grab());
        db.run("UPDATE media_request SET state = 'downloading' WHERE id = " + downloading);
        inStateFor(downloading, Duration.ofHours(2));
        int approved = deliverAndGetRequestId("jellyseerr", Paprika.request().set("request.request_id", "302")
                .set("media.tmdbId", "129").set("subject", "Spirited Away (2001)"));
        inStateFor(approved, Duration.ofHours(3));

        // when the check runs on a Vert.x event loop
        CompletableFuture<List<PipelineResult>> onLoop = new CompletableFuture<>();
        vertx.runOnContext(v -> check.run().subscribe().with(onLoop::complete, onLoop::completeExceptionally));
        List<PipelineResult> results = onLoop.get(10, TimeUnit.SECONDS);

        // then only the approved one times out
        assertEquals(1, results.size());
        request(approved).body("state", equalTo("timeout"))
                .body("stuck_reason", equalTo("Stuck in approved for 3 hours (limit 2 hours)"));
        request(downloading).body("state", equalTo("downloading")).body("stuck_reason", nullValue());
        request(approved).body("events.outcome", contains("applied", "applied"));
    }

    @Test
    void aCheckNeverTimesOutARequestThatMovedOnWhileItWaitedForItsTurn() throws Exception {
        // given a grab stuck for two hours, and the writer busy while qBittorrent's completion and then a check queue
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.grab());
        inStateFor(id, Duration.ofHours(2));
        app.statustracker.support.WriterHold hold = app.statustracker.support.WriterHold.on(pipeline);
        com.fasterxml.jackson.databind.node.ObjectNode completion = (com.fasterxml.jackson.databind.node.ObjectNode) json
                .readTree(qbitFinished(Paprika.HASH.toLowerCase(), "Paprika.2006.1080p.BluRay").toString());
        CompletableFuture<PipelineResult> completed = pipeline.submit(app.statustracker.ingest.Submission.read(
                "qbittorrent", "application/json", completion.toString(), qbittorrent.interpret(completion)))
                .subscribeAsCompletionStage();
        CompletableFuture<List<PipelineResult>> checked = check.run().subscribeAsCompletionStage();

        // when the writer is free again
        hold.release();

        // then the check read the request after the completion was applied: nothing timed out
        assertEquals(EventOutcome.APPLIED, completed.get(10, TimeUnit.SECONDS).outcome());
        assertEquals(List.of(), checked.get(10, TimeUnit.SECONDS));
        request(id).body("state", equalTo("downloaded"));
    }

    @Test
    void aSlowDownloadThatStillMovesNeverTimesOut() {
        // given two downloads that entered downloading two days ago (limit one day): one made progress ten minutes
        // ago, the other not since yesterday
        int moving = deliverAndGetRequestId("jellyseerr", Paprika.request());
        int still = deliverAndGetRequestId("jellyseerr", Paprika.request().set("request.request_id", "302")
                .set("media.tmdbId", "129").set("subject", "Spirited Away (2001)"));
        db.run("UPDATE media_request SET state = 'downloading', state_changed_at = now() - interval '2 days'");
        db.run("UPDATE media_request SET progress_at = now() - interval '10 minutes' WHERE id = " + moving);
        db.run("UPDATE media_request SET progress_at = now() - interval '30 hours' WHERE id = " + still);

        check.run().await().atMost(Duration.ofSeconds(10));

        request(moving).body("state", equalTo("downloading"));
        request(still).body("state", equalTo("timeout"));
    }

    @Test
    void everyActiveStateHasADefaultLimit() {
        for (RequestState state : RequestState.ACTIVE) {
            if (!state.isProblem()) {
                assertTrue(config.timeouts().minutesIn(state) > 0, state + " has a time-out by default");
            }
        }
    }
}
