package app.statustracker.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.statustracker.service.JellyfinVerification;
import app.statustracker.service.Reconciler;
import app.statustracker.service.DownloadProgress;
import app.statustracker.service.TimeoutCheck;
import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * One cycle of each scheduled check with {@value #REQUESTS} active requests (issue 5, docs/benchmarks.md): wall time,
 * upstream calls (counted at the fakes), database statements (pg_stat_statements) and JVM allocation per cycle.
 * A benchmark, not a test: it prints numbers and asserts nothing about time. Tagged {@code bench}, which the normal
 * build excludes ({@code excludedGroups} in pom.xml); {@code bench/checks.sh} runs it against a throwaway
 * PostgreSQL 15 with pg_stat_statements preloaded. Without that (the embedded PostgreSQL of the tests) the
 * statement columns say n/a.
 *
 * <p>Every repetition of every check starts from the same fresh data ({@link #seed}): {@value #REQUESTS} requests,
 * half movies, half series of three episodes (one season pack each), spread evenly over grabbing, downloading,
 * downloaded, importing and anime_matching, each with its torrent; about one in ten has been stuck for three days.
 * qBittorrent (a fake of its own, {@link FakeQbittorrent}), Sonarr, Radarr and Jellyfin ({@link FakeMediaServer},
 * {@link FakeArr}) know all of them. Then the check runs twice: the <b>first</b> cycle finds everything new (the
 * stuck requests, the grabs qBittorrent shows started or finished, the queue and history whose webhooks were lost,
 * what Jellyfin already has), the <b>next</b> one is the steady state. Repetition 0 warms the JIT and is not counted;
 * the table shows the median and maximum of the {@code bench.cycles} (default 5) others.
 *
 * <p>Upstream calls and statements are those made until the check's {@code Uni} completes; what the cycle set off in
 * the background (follow-ups: Sonarr's episode list, Jellyfin lookups after an event) is counted separately, until
 * nothing more happens for {@link #QUIET}.
 */
@QuarkusTest
@Tag("bench")
@TestProfile(ChecksBenchmark.Profile.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
@WithTestResource(value = FakeQbittorrent.class)
class ChecksBenchmark {

    static final int REQUESTS = Integer.getInteger("bench.requests", 500);
    static final int CYCLES = Integer.getInteger("bench.cycles", 5);
    /** Background work has ended when nothing was called or executed for this long. */
    static final Duration QUIET = Duration.ofMillis(700);
    static final int EPISODES = 3;
    static final String[] STATES = { "grabbing", "downloading", "downloaded", "importing", "anime_matching" };
    /** Filler in the Jellyfin library besides the requests' own items: movies, and series of 10 episodes. */
    static final int LIBRARY_MOVIES = 1000;
    static final int LIBRARY_SERIES = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Everything scheduled stays quiet: the benchmark runs each check by hand. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("tracker.timeouts.enabled", "false");
            c.put("tracker.reconcile.enabled", "false");
            c.put("tracker.verification.enabled", "false");
            c.put("tracker.qbittorrent.poll-active", "24h");
            c.put("tracker.qbittorrent.poll-idle", "24h");
            c.put("tracker.retention.prune-every", "24h");
            c.put("tracker.retention.prune-delay", "24h");
            c.put("tracker.upstream-check.every", "24h");
            c.put("tracker.upstream-check.delay", "24h");
            c.put("tracker.shoko.enabled", "false");
            c.put("tracker.stream.heartbeat-seconds", "15");
            return c;
        }
    }

    @Inject
    TimeoutCheck timeouts;
    @Inject
    DownloadProgress downloads;
    @Inject
    Reconciler reconciler;
    @Inject
    JellyfinVerification verification;

    private Connection db;
    private boolean statements;

    // ------------------------------------------------------------------------------------------------------------

    @Test
    void oneCycleOfEachCheck() throws Exception {
        if (!Boolean.getBoolean("sun.net.httpserver.nodelay")) {
            System.out.println("bench: WARNING: -Dsun.net.httpserver.nodelay=true is not set: every answer of the"
                    + " fakes may wait ~40 ms (Nagle and delayed ACK); bench/checks.sh sets it");
        }
        List<String> rows = new ArrayList<>();
        rows.addAll(check("TimeoutCheck.run()", timeouts::run, null,
                r -> r.size() + " timed out"));
        rows.addAll(check("DownloadProgress.cycle()", downloads::cycle, null, d -> ""));
        rows.addAll(check("Reconciler.run() (Jellyseerr + Sonarr + Radarr)", reconciler::run, null,
                outcomes -> outcomes.stream().map(o -> o.service() + ": " + o.queueRecords() + " queue + "
                        + o.historyRecords() + " history records, " + o.submitted() + " submitted"
                        + (o.failure() == null ? "" : ", FAILED " + o.failure()))
                        .reduce((a, b) -> a + "; " + b).orElse("")));
        rows.addAll(check("JellyfinVerification.run()", verification::run, verification::forgetLibrary,
                ChecksBenchmark::describe));
        report(rows);
    }

    /**
     * Repetition 0 warms up; each repetition seeds afresh and runs a first and a next cycle. Returns the table's two
     * rows for this check.
     */
    private <T> List<String> check(String name, Supplier<Uni<T>> cycle, Runnable beforeFirst, Function<T, String> did)
            throws Exception {
        List<Sample> first = new ArrayList<>();
        List<Sample> next = new ArrayList<>();
        for (int rep = 0; rep <= CYCLES; rep++) {
            seed();
            if (beforeFirst != null) {
                beforeFirst.run();
            }
            Sample a = measure(cycle, did);
            Sample b = measure(cycle, did);
            System.out.printf("bench: %s repetition %d%s: first %s | next %s%n", name, rep, rep == 0 ? " (warm-up)" : "",
                    a, b);
            if (rep > 0) {
                first.add(a);
                next.add(b);
            }
        }
        return List.of(row(name, "first", first), row(name, "next", next));
    }

    // --- measuring ------------------------------------------------------------------------------------------------

    /** One cycle, measured. */
    record Sample(double wallMs, Map<String, Integer> calls, Db db, Map<String, Integer> laterCalls, Db laterDb,
            double allocatedMb, long events, long updates, String did) {
        int callCount() {
            return calls.values().stream().mapToInt(Integer::intValue).sum();
        }

        int laterCallCount() {
            return laterCalls.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0f ms, %d calls, %s statements, +%d/%s later, %.0f MB, %d events,"
                    + " %d SSE updates; %s", wallMs, callCount(), db == null ? "n/a" : db.calls, laterCallCount(),
                    laterDb == null ? "n/a" : laterDb.calls, allocatedMb, events, updates, did);
        }
    }

    /** What pg_stat_statements holds since the last reset, for this database (its own queries left out). */
    record Db(long calls, Map<String, Long> byKind, double execMs) {
        Db minus(Db before) {
            Map<String, Long> kinds = new TreeMap<>(byKind);
            before.byKind.forEach((k, v) -> kinds.merge(k, -v, Long::sum));
            kinds.values().removeIf(v -> v == 0);
            return new Db(calls - before.calls, kinds, execMs - before.execMs);
        }
    }

    private <T> Sample measure(Supplier<Uni<T>> cycle, Function<T, String> did) throws Exception {
        quiet();
        long events0 = count("inbound_event");
        long updates0 = count("stream_event");
        resetStatements();
        Map<String, Integer> calls0 = upstreamCalls();
        long alloc0 = allocatedBytes();
        long t0 = System.nanoTime();
        T result = cycle.get().await().atMost(Duration.ofMinutes(5));
        long t1 = System.nanoTime();
        long alloc1 = allocatedBytes();
        Map<String, Integer> calls1 = upstreamCalls();
        Db db1 = statements();
        quiet();
        Map<String, Integer> calls2 = upstreamCalls();
        Db db2 = statements();
        return new Sample((t1 - t0) / 1e6, delta(calls0, calls1), db1, delta(calls1, calls2),
                db1 == null ? null : db2.minus(db1), (alloc1 - alloc0) / 1048576.0, count("inbound_event") - events0,
                count("stream_event") - updates0, did.apply(result));
    }

    /** Rows in a table (outside the measured window). */
    private long count(String table) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Waits until no upstream call and no statement has happened for {@link #QUIET} (at most 30 s). */
    private void quiet() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = null;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Db db = statements();
            String now = upstreamCalls() + "/" + (db == null ? "" : db.calls);
            if (!now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince >= QUIET.toNanos()) {
                return;
            }
            Thread.sleep(100);
        }
        System.out.println("bench: WARNING: still busy after 30 s");
    }

    /** Calls made to the fakes so far, by "METHOD /path" (the *arrs share paths: Sonarr's and Radarr's add up). */
    private static Map<String, Integer> upstreamCalls() {
        Map<String, Integer> out = new TreeMap<>();
        for (String r : FakeMediaServer.REQUESTS) {
            out.merge(r, 1, Integer::sum);
        }
        FakeQbittorrent.calls().forEach((k, v) -> out.merge("qbt " + k, v, Integer::sum));
        return out;
    }

    private static Map<String, Integer> delta(Map<String, Integer> before, Map<String, Integer> after) {
        Map<String, Integer> out = new TreeMap<>();
        after.forEach((k, v) -> {
            int d = v - before.getOrDefault(k, 0);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    /** Bytes allocated by every live thread but the fakes' HTTP servers (they run in this JVM). */
    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && !info.getThreadName().startsWith("HTTP-Dispatcher")) {
                long b = threads.getThreadAllocatedBytes(info.getThreadId());
                sum += Math.max(b, 0);
            }
        }
        return sum;
    }

    private void resetStatements() throws SQLException {
        if (statements) {
            try (Statement s = db.createStatement()) {
                s.execute("SELECT pg_stat_statements_reset()");
            }
        }
    }

    private Db statements() throws SQLException {
        if (!statements) {
            return null;
        }
        Map<String, Long> kinds = new TreeMap<>();
        long calls = 0;
        double ms = 0;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT upper(split_part(regexp_replace(ltrim(query), '\\s+', ' ', 'g'), ' ', 1)), sum(calls),"
                        + " sum(total_exec_time) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
                        + " WHERE d.datname = current_database() AND query NOT ILIKE '%pg_stat_statements%'"
                        + " GROUP BY 1")) {
            while (rs.next()) {
                String kind = rs.getString(1);
                kind = switch (kind) {
                    case "SELECT", "INSERT", "UPDATE", "DELETE" -> kind.toLowerCase(Locale.ROOT);
                    case "BEGIN", "COMMIT", "ROLLBACK", "START" -> "tx";
                    case "WITH" -> "select";
                    default -> "other";
                };
                kinds.merge(kind, rs.getLong(2), Long::sum);
                calls += rs.getLong(2);
                ms += rs.getDouble(3);
            }
        }
        return new Db(calls, kinds, ms);
    }

    // --- the data ---------------------------------------------------------------------------------------------

    /** One seeded request and everything the upstreams know about it. */
    record Req(int i, boolean tv, String state, boolean anime, boolean stuck, String hash, long tmdb, long tvdb,
            long arrId, String title, int year) {
        String release() {
            return title.replace(' ', '.') + (tv ? ".S01" : "") + ".1080p.WEB-DL-BENCH";
        }

        boolean inLibrary() {
            return (state.equals("downloaded") || state.equals("importing") || state.equals("anime_matching"))
                    && (i / 5) % 2 == 0;
        }
    }

    static List<Req> requests() {
        List<Req> out = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            boolean tv = i % 2 == 1;
            String state = STATES[i % 5];
            boolean stuck = (i / 5) % 10 == 3;
            String hash = String.format("%08x%032x", 0xbe0c0000 + i, (long) i * 2654435761L).substring(0, 40);
            String title = (tv ? "Bench Series " : "Bench Movie ") + i;
            out.add(new Req(i, tv, state, state.equals("anime_matching"), stuck, hash, 500_000 + i, 700_000 + i,
                    tv ? 20_000 + i : 30_000 + i, title, 1990 + i % 30));
        }
        return out;
    }

    @BeforeEach
    void connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        db = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
        try (Statement s = db.createStatement()) {
            s.execute("SELECT pg_stat_statements_reset()");
            s.executeQuery("SELECT count(*) FROM pg_stat_statements").close();
            statements = true;
        } catch (SQLException e) {
            System.out.println("bench: pg_stat_statements is not available (" + e.getMessage().lines().findFirst()
                    .orElse("") + "): statements are not counted; run bench/checks.sh");
        }
    }

    @AfterEach
    void disconnect() throws SQLException {
        db.close();
    }

    /** Empties the tables and the fakes, then stores and publishes the {@value #REQUESTS} requests. */
    private void seed() throws Exception {
        try (Statement s = db.createStatement()) {
            s.execute("TRUNCATE media_request, episode, timeline_event, inbound_event, stream_event CASCADE");
        }
        FakeMediaServer.reset();
        FakeQbittorrent.reset();
        Instant now = Instant.now();
        List<Req> all = requests();
        db.setAutoCommit(false);
        try (PreparedStatement req = db.prepareStatement("INSERT INTO media_request (title, media_type, state, is_4k,"
                + " jellyseerr_id, tmdb_id, tvdb_id, imdb_id, sonarr_id, radarr_id, is_anime, download_hash,"
                + " download_progress, quality, indexer, release_group, file_size, requested_by, year, season,"
                + " requested_seasons, total_episodes, created_at, updated_at, state_changed_at)"
                + " VALUES (?, ?, ?, false, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'WEBDL-1080p', 'Nyaa', 'BENCH', 8589934592,"
                + " 'bench', ?, ?, ?, ?, ?, ?, ?) RETURNING id");
                PreparedStatement ep = db.prepareStatement("INSERT INTO episode (request_id, season_number,"
                        + " episode_number, episode_title, state, sonarr_episode_id, episode_tvdb_id, download_hash,"
                        + " download_progress, air_date, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?,"
                        + " DATE '2024-01-01' + ?, ?, ?)");
                PreparedStatement event = db.prepareStatement("INSERT INTO inbound_event (source, event_type,"
                        + " received_at, processed_at, dedupe_key, outcome, request_id, content_type, payload,"
                        + " media_type, tmdb_id, tvdb_id, jellyseerr_id) VALUES ('jellyseerr', 'MEDIA_AUTO_APPROVED',"
                        + " ?, ?, ?, 'applied', ?, 'application/json', '{\"notification_type\":\"MEDIA_AUTO_APPROVED\"}',"
                        + " ?, ?, ?, ?)");
                PreparedStatement line = db.prepareStatement("INSERT INTO timeline_event (request_id, service,"
                        + " event_type, state, details, occurred_at) VALUES (?, 'jellyseerr', 'Approved', 'approved',"
                        + " 'Auto-approved', ?)")) {
            for (Req r : all) {
                Instant changed = r.stuck ? now.minus(Duration.ofDays(3)) : now.minusSeconds(60L * (1 + r.i % 20));
                Instant created = changed.minus(Duration.ofMinutes(60));
                Double progress = switch (r.state) {
                    case "grabbing" -> null;
                    case "downloading" -> 0.3;
                    default -> 1.0;
                };
                int p = 1;
                req.setString(p++, r.title);
                req.setString(p++, r.tv ? "tv" : "movie");
                req.setString(p++, r.state);
                req.setLong(p++, 90_000 + r.i);
                req.setLong(p++, r.tmdb);
                req.setObject(p++, r.tv ? r.tvdb : null, java.sql.Types.BIGINT);
                req.setString(p++, "tt" + (9_000_000 + r.i));
                req.setObject(p++, r.tv ? r.arrId : null, java.sql.Types.BIGINT);
                req.setObject(p++, r.tv ? null : r.arrId, java.sql.Types.BIGINT);
                req.setBoolean(p++, r.anime);
                req.setString(p++, r.hash);
                req.setObject(p++, progress, java.sql.Types.DOUBLE);
                req.setInt(p++, r.year);
                req.setObject(p++, r.tv ? 1 : null, java.sql.Types.INTEGER);
                req.setString(p++, r.tv ? "1" : null);
                req.setObject(p++, r.tv ? EPISODES : null, java.sql.Types.INTEGER);
                req.setTimestamp(p++, Timestamp.from(created));
                req.setTimestamp(p++, Timestamp.from(changed));
                req.setTimestamp(p++, Timestamp.from(changed));
                long id;
                try (ResultSet rs = req.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                if (r.tv) {
                    for (int n = 1; n <= EPISODES; n++) {
                        int q = 1;
                        ep.setLong(q++, id);
                        ep.setInt(q++, n);
                        ep.setString(q++, "Episode " + n);
                        ep.setString(q++, r.state);
                        ep.setLong(q++, r.arrId * 100 + n);
                        ep.setLong(q++, r.tvdb * 100 + n);
                        ep.setString(q++, r.hash);
                        ep.setObject(q++, progress, java.sql.Types.DOUBLE);
                        ep.setInt(q++, 7 * n);
                        ep.setTimestamp(q++, Timestamp.from(created));
                        ep.setTimestamp(q++, Timestamp.from(changed));
                        ep.addBatch();
                    }
                }
                int q = 1;
                event.setTimestamp(q++, Timestamp.from(created));
                event.setTimestamp(q++, Timestamp.from(created));
                event.setString(q++, "bench:jellyseerr:" + r.i);
                event.setLong(q++, id);
                event.setString(q++, r.tv ? "tv" : "movie");
                event.setLong(q++, r.tmdb);
                event.setObject(q++, r.tv ? r.tvdb : null, java.sql.Types.BIGINT);
                event.setLong(q++, 90_000 + r.i);
                event.addBatch();
                line.setLong(1, id);
                line.setTimestamp(2, Timestamp.from(created));
                line.addBatch();
            }
            ep.executeBatch();
            event.executeBatch();
            line.executeBatch();
            db.commit();
        } finally {
            db.setAutoCommit(true);
        }
        try (Statement s = db.createStatement()) {
            s.execute("ANALYZE media_request, episode, inbound_event, timeline_event");
        }
        publish(all, now);
    }

    /** What qBittorrent, Sonarr, Radarr and Jellyfin know about the requests. */
    private static void publish(List<Req> all, Instant now) {
        FakeArr.RADARR.tag(3, "anime").tag(4, "4k");
        Instant grabbedAt = now.minusSeconds(120);
        Instant importedAt = now.minusSeconds(60);
        Instant longAgo = now.minus(Duration.ofDays(1));
        for (Req r : all) {
            // qBittorrent: every torrent; those of grabbing and downloading requests still on their way, but one in
            // five of the downloading ones finished (the completion hook was lost)
            boolean running = r.state.equals("grabbing") || (r.state.equals("downloading") && (r.i / 5) % 5 != 0);
            List<String> files = new ArrayList<>();
            if (r.tv) {
                for (int n = 1; n <= EPISODES; n++) {
                    files.add(r.title.replace(' ', '.') + ".S01E0" + n + ".1080p.WEB-DL-BENCH.mkv");
                }
            } else {
                files.add(r.release() + ".mkv");
            }
            FakeQbittorrent.add(new FakeQbittorrent.Torrent(r.hash, r.release(), 4_000_000_000L, r.state.equals(
                    "grabbing") ? 0.0 : 0.3, !running, files));

            // Sonarr / Radarr: the queue holds what is not imported yet, the history every grab and every import
            ObjectNode media = r.tv ? series(r) : movie(r);
            boolean queued = !r.state.equals("anime_matching");
            boolean imported = r.state.equals("importing") || r.state.equals("anime_matching");
            FakeArr.Arr arr = r.tv ? FakeArr.SONARR : FakeArr.RADARR;
            for (int n = 1; n <= (r.tv ? EPISODES : 1); n++) {
                ObjectNode episode = r.tv ? episode(r, n) : null;
                if (queued) {
                    arr.queue.add(queueRecord(r, media, episode));
                }
                ObjectNode h = arr.history("grabbed", grabbedAt, r.hash.toUpperCase(Locale.ROOT),
                        wrap(r.tv ? "series" : "movie", media));
                historyCommon(r, h, episode);
                ((ObjectNode) h.get("data")).put("indexer", "Nyaa").put("releaseGroup", "BENCH")
                        .put("size", "4000000000").put("downloadClientName", "qBittorrent");
                if (imported) {
                    ObjectNode d = arr.history("downloadFolderImported", importedAt, r.hash.toUpperCase(Locale.ROOT),
                            wrap(r.tv ? "series" : "movie", media));
                    historyCommon(r, d, episode);
                    String file = r.tv ? r.title + " - S01E0" + n + ".mkv" : r.title + " (" + r.year + ").mkv";
                    ((ObjectNode) d.get("data")).put("fileId", String.valueOf(r.arrId * 100 + n))
                            .put("droppedPath", "/downloads/" + r.release() + "/" + file)
                            .put("importedPath", (r.anime ? "/data/anime/" : "/data/media/") + r.title + "/" + file)
                            .put("releaseGroup", "BENCH").put("size", "1300000000")
                            .put("downloadClientName", "qBittorrent");
                }
            }
            if (r.tv) {
                Object[][] eps = new Object[EPISODES][];
                for (int n = 1; n <= EPISODES; n++) {
                    eps[n - 1] = new Object[] { 1, n, "2024-01-" + String.format("%02d", 7 * n), true, false };
                }
                FakeMediaServer.sonarrEpisodes(r.arrId, eps);
                FakeMediaServer.jellyseerrSeasons(r.tmdb, 0, EPISODES);
            }

            // Jellyfin: half of what was downloaded or imported is there already
            if (r.inLibrary()) {
                String id = jellyfinId(1, r.i);
                if (r.tv) {
                    FakeMediaServer.series(id, r.title, r.tvdb, r.tmdb);
                    FakeMediaServer.savedAt(id, longAgo);
                    for (int n = 1; n <= EPISODES; n++) {
                        String e = jellyfinId(2, r.i * 100 + n);
                        FakeMediaServer.episode(id, e, 1, n, true);
                        FakeMediaServer.savedAt(e, longAgo);
                    }
                } else {
                    FakeMediaServer.movie(id, r.title, r.year, r.tmdb);
                    FakeMediaServer.savedAt(id, longAgo);
                }
            }
        }
        // Jellyfin: the rest of the library, untouched for a day
        for (int m = 0; m < LIBRARY_MOVIES; m++) {
            String id = jellyfinId(3, m);
            FakeMediaServer.movie(id, "Library Movie " + m, 1950 + m % 70, 900_000 + m);
            FakeMediaServer.savedAt(id, longAgo);
        }
        for (int s = 0; s < LIBRARY_SERIES; s++) {
            String id = jellyfinId(4, s);
            FakeMediaServer.series(id, "Library Series " + s, 800_000 + s, 950_000 + s);
            FakeMediaServer.savedAt(id, longAgo);
            for (int n = 1; n <= 10; n++) {
                String e = jellyfinId(5, s * 100 + n);
                FakeMediaServer.episode(id, e, 1, n, true);
                FakeMediaServer.savedAt(e, longAgo);
            }
        }
    }

    private static String jellyfinId(int kind, int n) {
        return String.format("%08x%024x", 0x1f000000 + kind, n);
    }

    private static ObjectNode movie(Req r) {
        ObjectNode m = JSON.createObjectNode();
        m.put("id", r.arrId).put("title", r.title).put("year", r.year).put("tmdbId", r.tmdb)
                .put("imdbId", "tt" + (9_000_000 + r.i)).put("path", "/data/media/movies/" + r.title);
        var tags = m.putArray("tags");
        if (r.anime) {
            tags.add(3);
        }
        return m;
    }

    private static ObjectNode series(Req r) {
        ObjectNode s = JSON.createObjectNode();
        s.put("id", r.arrId).put("title", r.title).put("year", r.year).put("tvdbId", r.tvdb).put("tmdbId", r.tmdb)
                .put("imdbId", "tt" + (9_000_000 + r.i)).put("seriesType", r.anime ? "anime" : "standard")
                .put("path", (r.anime ? "/data/anime/" : "/data/media/tv/") + r.title);
        s.putArray("tags");
        return s;
    }

    private static ObjectNode episode(Req r, int n) {
        ObjectNode e = JSON.createObjectNode();
        e.put("id", r.arrId * 100 + n).put("seriesId", r.arrId).put("seasonNumber", 1).put("episodeNumber", n)
                .put("title", "Episode " + n).put("airDate", "2024-01-" + String.format("%02d", 7 * n))
                .put("tvdbId", r.tvdb * 100 + n).put("monitored", true);
        return e;
    }

    private static ObjectNode wrap(String field, ObjectNode value) {
        ObjectNode n = JSON.createObjectNode();
        n.set(field, value);
        return n;
    }

    private static void historyCommon(Req r, ObjectNode h, ObjectNode episode) {
        if (r.tv) {
            h.set("episode", episode);
            h.put("seriesId", r.arrId).put("episodeId", episode.get("id").asLong());
        } else {
            h.put("movieId", r.arrId);
        }
        h.put("sourceTitle", r.release());
        h.set("quality", FakeArr.quality("WEBDL-1080p"));
    }

    /** A queue record in the state the request's download is in; one in ten of the downloaded ones is blocked. */
    private static ObjectNode queueRecord(Req r, ObjectNode media, ObjectNode episode) {
        ObjectNode q = JSON.createObjectNode();
        q.put("id", 100_000 + r.i * 10 + (episode == null ? 0 : episode.get("episodeNumber").asInt()));
        if (r.tv) {
            q.put("seriesId", r.arrId).put("episodeId", episode.get("id").asLong()).put("seasonNumber", 1);
            q.set("series", media);
            q.set("episode", episode);
        } else {
            q.put("movieId", r.arrId);
            q.set("movie", media);
        }
        q.set("quality", FakeArr.quality("WEBDL-1080p"));
        String[] status = switch (r.state) {
            case "grabbing" -> new String[] { "queued", "ok", "downloading" };
            case "downloading" -> new String[] { "downloading", "ok", "downloading" };
            case "downloaded" -> (r.i / 5) % 10 == 1 ? new String[] { "completed", "warning", "importBlocked" }
                    : new String[] { "completed", "ok", "importPending" };
            default -> new String[] { "completed", "ok", "importing" };
        };
        q.put("size", 4_000_000_000L).put("sizeleft", r.state.equals("downloading") ? 2_800_000_000L : 0L)
                .put("title", r.release()).put("status", status[0]).put("trackedDownloadStatus", status[1])
                .put("trackedDownloadState", status[2]).put("downloadId", r.hash.toUpperCase(Locale.ROOT))
                .put("protocol", "torrent").put("downloadClient", "qBittorrent").put("indexer", "Nyaa")
                .put("timeleft", "00:12:00");
        var messages = q.putArray("statusMessages");
        if (status[1].equals("warning")) {
            messages.addObject().put("title", r.release()).putArray("messages")
                    .add("No files found are eligible for import in /downloads/" + r.release());
        }
        return q;
    }

    /** A record's components, or its toString, without the list of pipeline results. */
    private static String describe(Object result) {
        if (result == null) {
            return "";
        }
        if (result.getClass().isRecord()) {
            StringBuilder out = new StringBuilder();
            for (var c : result.getClass().getRecordComponents()) {
                try {
                    c.getAccessor().setAccessible(true);
                    Object v = c.getAccessor().invoke(result);
                    out.append(out.length() == 0 ? "" : ", ").append(c.getName()).append(' ')
                            .append(v instanceof List<?> l ? l.size() : v);
                } catch (ReflectiveOperationException e) {
                    return result.toString();
                }
            }
            return out.toString();
        }
        return result.toString();
    }

    // --- the table ----------------------------------------------------------------------------------------------

    private String row(String name, String which, List<Sample> samples) {
        List<Double> walls = samples.stream().map(Sample::wallMs).sorted().toList();
        double median = walls.size() % 2 == 1 ? walls.get(walls.size() / 2)
                : (walls.get(walls.size() / 2 - 1) + walls.get(walls.size() / 2)) / 2;
        Sample last = samples.get(samples.size() - 1);
        String calls = range(samples, s -> (long) s.callCount()) + callDetail(last.calls);
        String stmts = statements ? range(samples, s -> s.db.calls) + " " + kinds(last.db) : "n/a";
        String dbMs = statements ? String.format(Locale.ROOT, "%.0f", median(samples, s -> s.db.execMs)) : "n/a";
        String later = range(samples, s -> (long) s.laterCallCount()) + " / "
                + (statements ? range(samples, s -> s.laterDb.calls) : "n/a");
        return String.format(Locale.ROOT, "| %s | %s | %.0f (%.0f) | %s | %s | %s | %s | %s / %s | %.0f | %s |", name,
                which, median, walls.get(walls.size() - 1), calls, stmts, dbMs, later, range(samples, Sample::events),
                range(samples, Sample::updates), median(samples, Sample::allocatedMb), last.did);
    }

    private static String range(List<Sample> samples, Function<Sample, Long> f) {
        long min = samples.stream().map(f).min(Long::compare).orElse(0L);
        long max = samples.stream().map(f).max(Long::compare).orElse(0L);
        return min == max ? String.valueOf(min) : min + "–" + max;
    }

    private static double median(List<Sample> samples, Function<Sample, Double> f) {
        List<Double> v = samples.stream().map(f).sorted().toList();
        return v.size() % 2 == 1 ? v.get(v.size() / 2) : (v.get(v.size() / 2 - 1) + v.get(v.size() / 2)) / 2;
    }

    private static String callDetail(Map<String, Integer> calls) {
        if (calls.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(" (");
        calls.forEach((k, v) -> out.append(out.length() > 2 ? ", " : "").append(v).append("× ").append(
                k.replace("qbt GET /api/v2/", "qbt ").replace("qbt POST /api/v2/", "qbt POST ").replace("GET ", "")));
        return out.append(')').toString();
    }

    private static String kinds(Db db) {
        StringBuilder out = new StringBuilder("(");
        db.byKind.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(k).append(' ').append(v));
        return out.append(')').toString();
    }

    private void report(List<String> rows) throws Exception {
        String dbInfo = "n/a";
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT current_setting('server_version') || ', fsync=' || current_setting('fsync')"
                        + " || ', synchronous_commit=' || current_setting('synchronous_commit')")) {
            rs.next();
            dbInfo = rs.getString(1);
        }
        StringBuilder out = new StringBuilder();
        out.append("### One cycle of each check, ").append(REQUESTS).append(" active requests\n\n");
        out.append(String.format(Locale.ROOT, "`%s`, %d cores; PostgreSQL %s; %d measured repetitions after 1 warm-up"
                + " (each from freshly seeded data)%n%n", System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), dbInfo, CYCLES));
        out.append("| check | cycle | wall ms, median (max) | upstream calls | DB statements (by kind) | DB exec ms"
                + " | afterwards in the background: calls / statements | events stored / SSE updates | allocated MB"
                + " | what the last cycle did |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> out.append(r).append('\n'));
        System.out.println();
        System.out.println(out);
        Path file = Path.of("target", "checks-benchmark.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out);
        System.out.println("bench: written to " + file.toAbsolutePath());
    }
}
