package app.statustracker.service;

import static app.statustracker.support.Hooks.fixture;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.EventOutcome;
import app.statustracker.RequestState;
import app.statustracker.ingest.Interpretation;
import app.statustracker.ingest.JellyseerrAdapter;
import app.statustracker.ingest.Submission;
import app.statustracker.support.Database;
import app.statustracker.support.Hooks;
import app.statustracker.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;

/** The single pipeline: concurrent deliveries, duplicates, and inputs that arrive outside an HTTP request. */
@QuarkusTest
class EventPipelineTest {

    @Inject
    Database db;
    @Inject
    EventPipeline pipeline;
    @Inject
    JellyseerrAdapter adapter;
    @Inject
    BrokenTestAdapter brokenAdapter;
    @Inject
    app.statustracker.ingest.RadarrAdapter radarr;
    @Inject
    app.statustracker.ingest.QbittorrentAdapter qbittorrent;
    @Inject
    ObjectMapper json;
    @Inject
    Vertx vertx;
    @Inject
    Pool pool;

    private ExecutorService senders;

    @BeforeEach
    void setUp() {
        db.clean();
        senders = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void tearDown() {
        senders.shutdownNow();
    }

    private List<String> postConcurrently(List<String> bodies) throws Exception {
        List<Callable<String>> calls = new ArrayList<>();
        for (String body : bodies) {
            calls.add(() -> RestAssured.given().contentType("application/json").body(body)
                    .post("/hooks/jellyseerr").then().statusCode(200).extract().path("status"));
        }
        List<String> statuses = new ArrayList<>();
        for (Future<String> f : senders.invokeAll(calls)) {
            statuses.add(f.get());
        }
        return statuses;
    }

    @Test
    void concurrentCopiesOfOneDeliveryHaveExactlyOneEffect() throws Exception {
        String body = fixture("protocol/jellyseerr-media-pending.json");
        List<String> statuses = postConcurrently(java.util.Collections.nCopies(30, body));

        assertEquals(1, statuses.stream().filter("processed"::equals).count());
        assertEquals(29, statuses.stream().filter("duplicate"::equals).count());
        assertEquals(1, db.count("SELECT count(*) FROM media_request"));
        assertEquals(1, db.count("SELECT count(*) FROM timeline_event"));
        assertEquals(1, db.count("SELECT count(*) FROM stream_event"));
        assertEquals(30, db.count("SELECT count(*) FROM inbound_event"), "every delivery is kept");
    }

    @Test
    void copiesInsideOneBatchAreDuplicatesWithoutFailingTheBatch() throws Exception {
        ObjectNode pending = (ObjectNode) json.readTree(fixture("protocol/jellyseerr-media-pending.json"));
        ObjectNode other = (ObjectNode) json.readTree(fixture("protocol/jellyseerr-media-auto-approved.json",
                "\"215\"", "\"3999\"", "\"10494\"", "\"59999\""));
        List<Submission> copiesAndOthers = new ArrayList<>();
        for (ObjectNode body : List.of(pending, pending, other, pending, other)) {
            copiesAndOthers.add(Submission.read("jellyseerr", null, body.toString(), adapter.interpret(body)));
        }
        try (LogCapture warnings = LogCapture.of(EventPipeline.class, java.util.logging.Level.WARNING)) {
            List<EventOutcome> outcomes = inOneBatch(copiesAndOthers).stream().map(PipelineResult::outcome).toList();
            assertEquals(List.of(EventOutcome.APPLIED, EventOutcome.DUPLICATE, EventOutcome.APPLIED,
                    EventOutcome.DUPLICATE, EventOutcome.DUPLICATE), outcomes);
            assertEquals(List.of(), warnings.lines(),
                    "the batch went through as one: no copy reached the database's unique key");
        }
        assertEquals(2, db.count("SELECT count(*) FROM media_request"));
        assertEquals(5, db.count("SELECT count(*) FROM inbound_event"), "every delivery is kept");
        assertEquals(3, db.count("SELECT count(*) FROM inbound_event WHERE outcome = 'duplicate'"));
    }

    /** Submits these as one batch: they queue while the writer is held (see {@code WriterHold}). */
    private List<PipelineResult> inOneBatch(List<Submission> submissions) throws Exception {
        app.statustracker.support.WriterHold hold = app.statustracker.support.WriterHold.on(pipeline);
        List<CompletableFuture<PipelineResult>> pending = new ArrayList<>();
        for (Submission s : submissions) {
            pending.add(pipeline.submit(s).subscribeAsCompletionStage());
        }
        hold.release();
        List<PipelineResult> results = new ArrayList<>();
        for (CompletableFuture<PipelineResult> r : pending) {
            results.add(r.get(10, java.util.concurrent.TimeUnit.SECONDS));
        }
        return results;
    }

    private Submission read(app.statustracker.ingest.WebhookAdapter source, String body) throws Exception {
        ObjectNode node = (ObjectNode) json.readTree(body);
        return Submission.read(source.source(), null, node.toString(), source.interpret(node));
    }

    @Test
    void anUnmatchedEventIsTakenByARequestLaterInTheSameBatch() throws Exception {
        // The batch's rows are written together at its end, except an unmatched one: the grab later in the same
        // batch must find the completion that beat it, and the copy of the grab must find its original.
        int id = Hooks.post("jellyseerr", app.statustracker.support.Paprika.request().toString()).statusCode(200)
                .extract().path("request_id");
        String completion = "{\"hash\":\"" + app.statustracker.support.Paprika.HASH.toLowerCase()
                + "\",\"name\":\"Paprika.2006.1080p\",\"path\":\"/data/torrents/Paprika.2006.1080p\"}";
        String grab = app.statustracker.support.Paprika.grab().toString();
        try (LogCapture warnings = LogCapture.of(EventPipeline.class, java.util.logging.Level.WARNING)) {
            List<PipelineResult> results = inOneBatch(List.of(read(qbittorrent, completion), read(radarr, grab),
                    read(radarr, grab)));
            assertEquals(List.of(EventOutcome.UNMATCHED, EventOutcome.APPLIED, EventOutcome.DUPLICATE),
                    results.stream().map(PipelineResult::outcome).toList());
            assertEquals(List.of(), warnings.lines(), "the batch went through as one");
            assertTrue(results.get(0).inboundEventId() < results.get(1).inboundEventId()
                    && results.get(1).inboundEventId() < results.get(2).inboundEventId(), "event ids in arrival order");
            assertEquals("same event as #" + results.get(1).inboundEventId(), results.get(2).reason());
        }
        RestAssured.get("/api/requests/" + id).then().body("state", org.hamcrest.Matchers.equalTo("downloaded"));
        assertEquals(1, db.count("SELECT count(*) FROM inbound_event WHERE source = 'qbittorrent' AND outcome = 'applied'"
                + " AND outcome_reason LIKE 're-tried when request #%'"), "the completion was applied after the grab");
        // Every line of the request's timeline points at the event that caused it.
        assertEquals(3, db.count("SELECT count(*) FROM timeline_event t JOIN inbound_event e ON e.id = t.inbound_event_id"
                + " AND e.request_id = t.request_id"));
        assertEquals(0, db.count("SELECT count(*) FROM timeline_event WHERE inbound_event_id IS NULL"));
    }

    @Test
    void concurrentEventsForOneRequestAreAppliedOneAtATimeInArrivalOrder() throws Exception {
        String pending = fixture("protocol/jellyseerr-media-pending.json");
        String approved = fixture("protocol/jellyseerr-media-approved.json");
        String declined = fixture("protocol/jellyseerr-media-declined.json", "\"216\"", "\"214\"", "\"4977\"",
                "\"209867\"", "\"movie\"", "\"tv\"");
        String available = fixture("protocol/jellyseerr-media-available.json", "\"215\"", "\"214\"", "\"10494\"",
                "\"209867\"", "\"movie\"", "\"tv\"");
        // Distinct deliveries (not duplicates) for one Jellyseerr request, sent at the same time.
        List<String> bodies = new ArrayList<>(List.of(pending, approved, declined, available, approved.replace("mika", "m2"),
                pending.replace("mika", "m3")));
        postConcurrently(bodies);

        // Sequential model of the pipeline: events in arrival (id) order; those that beat the request wait and are
        // applied, in their order, right after it is created. The concurrent result must equal it.
        List<Row> events = rows("SELECT id, payload, outcome FROM inbound_event ORDER BY id");
        RequestState state = null;
        RequestState stage = null;
        List<Long> expectedTimeline = new ArrayList<>();
        List<Interpretation.Track> waiting = new ArrayList<>();
        List<Long> waitingIds = new ArrayList<>();
        for (Row e : events) {
            Interpretation in = adapter.interpret((ObjectNode) json.readTree(e.getString("payload")));
            if (!(in instanceof Interpretation.Track track) || "duplicate".equals(e.getString("outcome"))) {
                continue;
            }
            if (state == null && !track.event().target().mayCreate()) {
                waiting.add(track);
                waitingIds.add(e.getLong("id"));
                continue;
            }
            List<Interpretation.Track> apply = new ArrayList<>(List.of(track));
            List<Long> applyIds = new ArrayList<>(List.of(e.getLong("id")));
            if (state == null) {
                state = track.event().target().state();
                // As EventApplier.create: a decline or failure before any other news happened at the approval.
                stage = state.isProblem() ? RequestState.APPROVED : null;
                expectedTimeline.add(e.getLong("id"));
                apply = waiting;
                applyIds = waitingIds;
            }
            for (int i = 0; i < apply.size(); i++) {
                TransitionRules.Decision d = TransitionRules.decide(state, stage, apply.get(i).event().target());
                if (d.verdict() == TransitionRules.Verdict.MOVE || d.verdict() == TransitionRules.Verdict.NOTE) {
                    expectedTimeline.add(applyIds.get(i));
                }
                state = d.state();
                stage = d.problemStage();
            }
            if (apply == waiting) {
                waiting = new ArrayList<>();
                waitingIds = new ArrayList<>();
            }
        }
        assertEquals(1, db.count("SELECT count(*) FROM media_request"));
        assertEquals(state.value(), db.string("SELECT state FROM media_request"));
        List<Long> timeline = rows("SELECT inbound_event_id FROM timeline_event ORDER BY id").stream()
                .map(r -> r.getLong(0)).toList();
        assertEquals(expectedTimeline, timeline, "timeline written in the order the events were applied");
    }

    @Test
    void manyRequestsAtOnceAllArriveAndStreamIdsFollowCommitOrder() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            bodies.add(fixture("protocol/jellyseerr-media-auto-approved.json", "\"215\"", "\"" + (3000 + i) + "\"",
                    "\"10494\"", "\"" + (50000 + i) + "\""));
        }
        List<String> statuses = postConcurrently(bodies);
        assertTrue(statuses.stream().allMatch("processed"::equals), statuses.toString());
        assertEquals(100, db.count("SELECT count(*) FROM media_request"));
        assertEquals(100, db.count("SELECT count(*) FROM stream_event WHERE event_type = 'new_request'"));
        // Request ids and stream ids were assigned by one writer: both increase together.
        assertEquals(0, db.count("SELECT count(*) FROM stream_event a JOIN stream_event b ON a.id < b.id AND a.request_id > b.request_id"));
    }

    @Test
    void inputsFromOutsideAnHttpRequestGoThroughTheSamePipeline() throws Exception {
        // As a SignalR callback or a scheduler thread would: a plain thread, then a Vert.x event-loop thread.
        ObjectNode body = (ObjectNode) json.readTree(fixture("protocol/jellyseerr-media-pending.json"));
        Submission fromThread = Submission.read("jellyseerr", null, body.toString(), adapter.interpret(body));
        PipelineResult first = pipeline.submit(fromThread).await().atMost(Duration.ofSeconds(10));
        assertEquals(EventOutcome.APPLIED, first.outcome());

        ObjectNode approved = (ObjectNode) json.readTree(fixture("protocol/jellyseerr-media-approved.json"));
        CompletableFuture<PipelineResult> onLoop = new CompletableFuture<>();
        vertx.runOnContext(v -> pipeline.submit(Submission.read("jellyseerr", null, approved.toString(),
                adapter.interpret(approved))).subscribe().with(onLoop::complete, onLoop::completeExceptionally));
        PipelineResult second = onLoop.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(EventOutcome.APPLIED, second.outcome());
        assertEquals(first.requestId(), second.requestId());
        RestAssured.get("/api/requests/" + first.requestId()).then().body("state",
                org.hamcrest.Matchers.equalTo("approved"));
    }

    @Test
    void theAnswerComesBackOnTheCallersContextNotOnTheWriters() throws Exception {
        // The HTTP answer (its JSON, the write) must run on the request's event loop: on the writer's thread it
        // would hold up every event queued behind it.
        ObjectNode body = (ObjectNode) json.readTree(fixture("protocol/jellyseerr-media-pending.json"));
        io.vertx.core.Context caller = io.smallrye.common.vertx.VertxContext
                .createNewDuplicatedContext(vertx.getOrCreateContext());
        CompletableFuture<io.vertx.core.Context> answeredOn = new CompletableFuture<>();
        caller.runOnContext(v -> pipeline.submit(Submission.read("jellyseerr", null, body.toString(),
                adapter.interpret(body))).subscribe().with(r -> answeredOn.complete(Vertx.currentContext()),
                        answeredOn::completeExceptionally));
        assertTrue(caller == answeredOn.get(10, java.util.concurrent.TimeUnit.SECONDS),
                "answered on the caller's context");
    }

    @Test
    void anEventThatFailsIsKeptAsErrorAndDoesNotTakeItsBatchDown() throws Exception {
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = i == 10 ? "{\"boom\":true}" : fixture("protocol/jellyseerr-media-auto-approved.json",
                    "\"215\"", "\"" + (4000 + i) + "\"", "\"10494\"", "\"" + (60000 + i) + "\"");
            String service = i == 10 ? "test-broken" : "jellyseerr";
            calls.add(() -> RestAssured.given().contentType("application/json").body(body)
                    .post("/hooks/" + service).then().statusCode(200).extract().path("status"));
        }
        List<String> statuses = new ArrayList<>();
        for (Future<String> f : senders.invokeAll(calls)) {
            statuses.add(f.get());
        }
        assertEquals(19, statuses.stream().filter("processed"::equals).count(), statuses.toString());
        assertEquals(1, statuses.stream().filter("error"::equals).count(), statuses.toString());
        assertEquals(19, db.count("SELECT count(*) FROM media_request"));
        assertEquals(1, db.count("SELECT count(*) FROM inbound_event WHERE outcome = 'error' AND source = 'test-broken'"
                + " AND payload = '{\"boom\":true}' AND outcome_reason LIKE 'could not be applied%'"));
        assertEquals(19, db.count("SELECT count(*) FROM stream_event"), "only committed changes are broadcast");
    }

    @Test
    void aFindingOfAScheduledCheckThatFailsDoesNotHoldBackTheOthers() throws Exception {
        // A check that reports two findings, one of which cannot be applied: the other still takes effect.
        ObjectNode good = (ObjectNode) json.readTree(fixture("protocol/jellyseerr-media-auto-approved.json"));
        ObjectNode boom = (ObjectNode) json.readTree("{\"boom\":true}");
        Submission broken = Submission.read("test-broken", null, boom.toString(), brokenAdapter.interpret(boom));
        List<PipelineResult> results = pipeline.check(effects -> io.smallrye.mutiny.Uni.createFrom().item(List.of(
                Submission.read("jellyseerr", null, good.toString(), adapter.interpret(good)), broken)))
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(List.of(EventOutcome.APPLIED, EventOutcome.ERROR),
                results.stream().map(PipelineResult::outcome).toList());
        assertEquals(1, db.count("SELECT count(*) FROM media_request"));
        assertEquals(1, db.count("SELECT count(*) FROM stream_event"), "the applied finding was broadcast");
    }

    @Test
    void scheduledRetentionPrunesOldEventsOnItsOwn() {
        Hooks.jellyseerr(fixture("protocol/jellyseerr-media-pending.json")).statusCode(200);
        db.run("INSERT INTO inbound_event (source, received_at, dedupe_key, outcome, payload) VALUES "
                + "('jellyseerr', now() - interval '40 days', 'old-one', 'ignored', '{}')");
        // The @Scheduled job (every second in the test profile) deletes it: proof that it runs on a safe context.
        await().atMost(Duration.ofSeconds(15)).until(() -> db.count("SELECT count(*) FROM inbound_event WHERE dedupe_key = 'old-one'") == 0);
        assertEquals(1, db.count("SELECT count(*) FROM inbound_event"), "recent events stay");
    }

    private List<Row> rows(String sql) {
        List<Row> out = new ArrayList<>();
        pool.query(sql).execute().await().atMost(Duration.ofSeconds(10)).forEach(out::add);
        return out;
    }
}
