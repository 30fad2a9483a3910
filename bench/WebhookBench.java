import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Webhook ingest + SSE fan-out benchmark for status-tracker. Dependency-free, Java 17:
 *
 * <pre>
 *   java bench/WebhookBench.java [--mode jellyseerr|flows] [--url http://127.0.0.1:8000] [--n 5000] [--c 32]
 *                                [--clients 1] [--warmup 500] [--straggler-timeout 60] [--id-base B] [--no-reconnect]
 *                                [--fixtures src/test/resources/fixtures] [--tv-share 0.5]
 *                                [--rate R [--flow-gap-ms 1000]]
 * </pre>
 *
 * <p><b>--mode jellyseerr</b> (the default, the foundation benchmark): opens K SSE clients on {@code /api/sse}, sends
 * a warm-up of W webhooks (not counted), then N Jellyseerr {@code MEDIA_AUTO_APPROVED} webhooks with C concurrent
 * senders. Every webhook is a new request: its {@code request.request_id} and {@code media.tmdbId} are a unique
 * number, which comes back in the SSE update as {@code request.jellyseerr_id}; that is how each update is matched to
 * the send time of its webhook.
 *
 * <p><b>--mode flows</b>: N (and W) count simulated requests, not webhooks. Each simulated request is a whole movie
 * or series flow, built from the real fixtures (other ids, titles and hashes per simulated request) and sent in
 * order by one sender; C senders run C simulated requests at a time. A movie is Jellyseerr
 * {@code MEDIA_AUTO_APPROVED}, Radarr {@code MovieAdded}, {@code Grab}, qBittorrent completion, Radarr
 * {@code Download}, Jellyfin {@code ItemAdded} (Movie): 6 webhooks. A series is Jellyseerr (tv), Sonarr
 * {@code SeriesAdd}, {@code Grab} of a 13-episode season pack, qBittorrent completion, Sonarr {@code Download}
 * (import complete, 13 files), then 13 Jellyfin {@code ItemAdded} Episode items: 18 webhooks. Every answer's latency
 * is recorded per route and per event; the Jellyseerr webhook's {@code new_request} update is checked on the SSE
 * clients as in the other mode.
 *
 * <p><b>--rate R</b> (open loop, both modes; without it the load is the closed loop of {@code --c} senders above,
 * unchanged): webhooks are released on a fixed schedule, send g at start + g/R, independent of the answers. Sends run
 * on an unbounded thread pool, so a slow answer never holds back a later send, and every latency is measured from the
 * <i>scheduled</i> send time to the full answer, so queueing (in the app or in the client) shows up. {@code --c} is
 * then ignored. In flows mode a simulated request's webhooks stay in order: the global slots are dealt round-robin
 * to L = round(R × flow-gap) lanes, each lane running one simulated request after the other, so consecutive
 * webhooks of one simulated request are about {@code --flow-gap-ms} apart (default 1000 ms) and the simulated
 * requests' webhooks interleave; the next webhook of a simulated request is sent at the later of its own slot and
 * the answer to the previous one (and its latency counts from that moment). Across simulated requests the arrival
 * rate is R. The warm-up is sent the same way. The report adds the offered and achieved rates and the client's
 * lag behind the schedule.
 *
 * <p>A client the server disconnects reconnects like a browser's EventSource (after the server's {@code retry:}
 * delay, with {@code Last-Event-ID}); disconnects are reported. {@code --no-reconnect} turns that off.
 *
 * <p>Exit status: 0 all good; 1 an update was lost or duplicated on some client; 2 no loss, but some webhook was not
 * answered 200/applied (flows mode: not answered 200, or answered with outcome {@code error}); 3 usage or set-up
 * error (SSE clients could not connect, a fixture is missing or changed shape).
 */
public class WebhookBench {

    // ------------------------------------------------------------------ options
    static String baseUrl = "http://127.0.0.1:8000";
    static int n = 5000;
    static int concurrency = 32;
    static int sseClients = 1;
    static int warmup = 500;
    static int stragglerTimeoutSec = 60;
    static long idBase = -1;
    static boolean reconnect = true;
    static long reconnectDelayOverrideMs = -1;
    static int httpTimeoutSec = 30;
    static String mode = "jellyseerr";
    static boolean warmupGiven;
    static boolean printFlows;
    static String fixturesDir = "src/test/resources/fixtures";
    static double tvShare = 0.5;
    /** Open-loop arrival rate in webhooks per second; <= 0: closed loop with --c senders (the default). */
    static double rate = -1;
    static int flowGapMs = 1000;
    /** raw: one keep-alive socket per sender thread (cheap); jdk: java.net.http.HttpClient (as before 2026-11-26). */
    static String httpClient = "raw";

    // ------------------------------------------------------------------ measured state
    /** Ids of the measured phase are measuredBase + i; warm-up ids are warmupBase + i. */
    static long measuredBase;
    static long warmupBase;
    static long[] sendStart;   // nanoTime at send start, per measured webhook
    static long[] httpLatency; // nanos, per measured webhook (-1 = failed)
    static final AtomicInteger non200 = new AtomicInteger();
    static final AtomicInteger notApplied = new AtomicInteger();
    static final AtomicInteger transportErrors = new AtomicInteger();
    static final List<String> sampleErrors = java.util.Collections.synchronizedList(new ArrayList<>());
    static volatile boolean stopping;

    public static void main(String[] args) throws Exception {
        parse(args);
        if (idBase < 0) {
            // Distinct per run even against a reused database: seconds since epoch spread out.
            idBase = 1_000_000_000L + (System.currentTimeMillis() / 1000 % 100_000) * 100_000L;
        }
        warmupBase = idBase;
        measuredBase = idBase + 50_000; // warm-up ids never collide with measured ids (warmup <= 50000)
        if (warmup > 50_000 || n > 50_000) {
            die("--warmup and --n must each be <= 50000");
        }
        sendStart = new long[n];
        httpLatency = new long[n];
        Arrays.fill(httpLatency, -1);
        Sim[] warmupSims = null;
        Sim[] measuredSims = null;
        if (flows()) {
            // Every payload is built before the first send, so the client spends no CPU on JSON while measuring.
            Fixtures fx = Fixtures.load(Path.of(fixturesDir));
            warmupSims = buildSims(fx, warmup, warmupBase);
            measuredSims = buildSims(fx, n, measuredBase);
            if (printFlows) {
                // What would be sent for the first movie and the first series, then stop (needs no server).
                for (Sim sim : Arrays.copyOf(measuredSims, Math.min(2, measuredSims.length))) {
                    for (Step step : sim.steps()) {
                        System.out.println("POST " + step.uri() + "  Content-Type: " + step.contentType() + "  ("
                                + step.kind().label + ")");
                        System.out.println(new String(step.body(), StandardCharsets.UTF_8));
                    }
                }
                System.exit(0);
            }
        }

        // --- SSE clients
        int httpClientsForSse = Math.max(1, (sseClients + 63) / 64);
        ExecutorService sseExec = Executors.newFixedThreadPool(Math.max(2, Math.min(8, httpClientsForSse * 2)),
                daemon("sse"));
        List<HttpClient> sseHttp = new ArrayList<>();
        for (int i = 0; i < httpClientsForSse; i++) {
            sseHttp.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(sseExec)
                    .connectTimeout(Duration.ofSeconds(10)).build());
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("timer"));
        List<SseClient> clients = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(sseClients);
        for (int i = 0; i < sseClients; i++) {
            SseClient c = new SseClient(i, sseHttp.get(i % sseHttp.size()), timer, connected);
            clients.add(c);
            c.open(null);
        }
        if (!connected.await(60, TimeUnit.SECONDS)) {
            long ok = clients.stream().filter(c -> c.connectedOnce).count();
            System.err.printf("only %d of %d SSE clients got 'connected' within 60 s%n", ok, sseClients);
            for (SseClient c : clients) {
                if (!c.connectedOnce && c.lastError != null) {
                    System.err.println("  client " + c.index + ": " + c.lastError);
                    break;
                }
            }
            System.exit(3);
        }

        HttpClient sender = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        // --- warm-up (not counted)
        long w0 = System.nanoTime();
        if (openLoop() && flows()) {
            sendFlowsAtRate(sender, warmupSims, false);
        } else if (openLoop()) {
            sendPhaseAtRate(sender, warmup, warmupBase, false);
        } else if (flows()) {
            sendFlows(sender, warmupSims, false);
        } else {
            sendPhase(sender, warmup, warmupBase, false);
        }
        double warmupSec = (System.nanoTime() - w0) / 1e9;
        int warmupErrors = non200.get() + transportErrors.get() + (flows() ? errorOutcomes.get() : notApplied.get());
        non200.set(0);
        notApplied.set(0);
        transportErrors.set(0);
        errorOutcomes.set(0);
        sampleErrors.clear();
        // let warm-up updates drain to the clients before measuring
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < drainDeadline
                && clients.stream().anyMatch(c -> c.warmupSeen.get() < warmup)) {
            Thread.sleep(20);
        }

        // --- measured sending phase
        long t0 = System.nanoTime();
        if (openLoop() && flows()) {
            sendFlowsAtRate(sender, measuredSims, true);
        } else if (openLoop()) {
            sendPhaseAtRate(sender, n, measuredBase, true);
        } else if (flows()) {
            sendFlows(sender, measuredSims, true);
        } else {
            sendPhase(sender, n, measuredBase, true);
        }
        long t1 = System.nanoTime();
        double sendSec = (t1 - t0) / 1e9;

        // --- wait for SSE stragglers (bounded)
        long deadline = t1 + TimeUnit.SECONDS.toNanos(stragglerTimeoutSec);
        while (System.nanoTime() < deadline && clients.stream().anyMatch(c -> c.received.get() < n)) {
            Thread.sleep(20);
        }
        double waitSec = (System.nanoTime() - t1) / 1e9;
        stopping = true;

        // --- results
        long[] http = Arrays.stream(httpLatency).filter(v -> v >= 0).sorted().toArray();
        long totalArrivals = 0;
        for (SseClient c : clients) {
            totalArrivals += c.received.get();
        }
        long[] sse = new long[(int) Math.min(Integer.MAX_VALUE - 8, totalArrivals)];
        int k = 0;
        long totalLost = 0, totalDup = 0, totalDisconnects = 0, totalResets = 0, totalOther = 0;
        int clientsWithLoss = 0, clientsWithDup = 0, maxLost = 0;
        List<String> offenders = new ArrayList<>();
        for (SseClient c : clients) {
            int got = c.received.get(); // volatile read: arrival entries written before the increment are visible
            int lost = 0;
            for (int i = 0; i < n; i++) {
                long a = c.arrival[i];
                if (a == 0) {
                    lost++;
                } else if (k < sse.length) {
                    sse[k++] = a - sendStart[i];
                }
            }
            int dup = c.duplicates.get();
            totalLost += lost;
            totalDup += dup;
            totalDisconnects += c.disconnects.get();
            totalResets += c.resets.get();
            totalOther += c.otherUpdates.get();
            if (lost > 0) {
                clientsWithLoss++;
            }
            if (dup > 0) {
                clientsWithDup++;
            }
            maxLost = Math.max(maxLost, lost);
            if ((lost > 0 || dup > 0 || c.disconnects.get() > 0) && offenders.size() < 20) {
                offenders.add(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %d |", c.index, got, lost, dup,
                        c.disconnects.get(), c.resets.get()));
            }
        }
        long[] sseSorted = Arrays.copyOf(sse, k);
        Arrays.sort(sseSorted);

        if (flows()) {
            StringBuilder out = new StringBuilder();
            out.append("\n### WebhookBench result (mode flows)\n\n");
            long movies = Arrays.stream(measuredSims).filter(sim -> !sim.tv()).count();
            out.append(String.format(Locale.ROOT,
                    "target `%s` · N=%d simulated requests (%d movies × 6 webhooks, %d series × 18 webhooks) · %s"
                            + " · SSE clients=%d · warm-up=%d simulated requests (%d webhooks, %.1f s, %d errors)"
                            + " · ids %d..%d · fixtures `%s`%n%n",
                    baseUrl, n, movies, n - movies, loadLabel(), sseClients, warmup, webhooks(warmupSims), warmupSec,
                    warmupErrors, measuredBase, measuredBase + n - 1, fixturesDir));
            reportFlows(out, measuredSims, sendSec);
            if (openLoop()) {
                rateRows(out);
            }
            row(out, "Jellyseerr webhook→SSE `new_request` p50 / p99 / max (all clients)", pct(sseSorted));
            row(out, "SSE `new_request` arrivals (expected N×K)", totalArrivals + " / " + ((long) n * sseClients));
            row(out, "lost `new_request` updates (total; clients affected; max per client)",
                    totalLost + "; " + clientsWithLoss + "; " + maxLost);
            row(out, "duplicate `new_request` updates (total; clients affected)", totalDup + "; " + clientsWithDup);
            row(out, "SSE disconnects by server / resets", totalDisconnects + " / " + totalResets);
            row(out, "other SSE updates for bench ids (state changes …)", String.valueOf(totalOther));
            row(out, "wait for stragglers after last answer", String.format(Locale.ROOT, "%.2f s", waitSec));
            if (!offenders.isEmpty()) {
                out.append("\nclients with loss, duplicates or disconnects (first 20):\n\n");
                out.append("| client | received | lost | dup | disconnects | resets |\n|---|---|---|---|---|---|\n");
                offenders.forEach(line -> out.append(line).append('\n'));
            }
            routeTables(out, measuredSims);
            if (!sampleErrors.isEmpty()) {
                out.append("\nsample answers that were not 200/applied:\n");
                synchronized (sampleErrors) {
                    sampleErrors.stream().limit(8).forEach(line -> out.append("- ").append(line).append('\n'));
                }
            }
            System.out.println(out);
            System.out.flush();
            int rc = (totalLost > 0 || totalDup > 0) ? 1
                    : (non200.get() + errorOutcomes.get() + transportErrors.get() > 0) ? 2 : 0;
            System.out.println("exit status " + rc);
            System.exit(rc);
        }

        StringBuilder out = new StringBuilder();
        out.append("\n### WebhookBench result\n\n");
        out.append(String.format(Locale.ROOT,
                "target `%s` · N=%d · %s · SSE clients=%d · warm-up=%d (%.1f s, %d errors) · ids %d..%d%n%n",
                baseUrl, n, loadLabel(), sseClients, warmup, warmupSec, warmupErrors, measuredBase,
                measuredBase + n - 1));
        out.append("| metric | value |\n|---|---|\n");
        row(out, "sending phase wall time", String.format(Locale.ROOT, "%.3f s", sendSec));
        row(out, "accepted/s (N / wall)", String.format(Locale.ROOT, "%.0f", n / sendSec));
        row(out, openLoop() ? "HTTP latency (from scheduled send time) p50 / p99 / max" : "HTTP latency p50 / p99 / max",
                pct(http));
        if (openLoop()) {
            rateRows(out);
        }
        row(out, "non-200 answers", String.valueOf(non200.get()));
        row(out, "200 but outcome != applied", String.valueOf(notApplied.get()));
        row(out, "transport errors / timeouts", String.valueOf(transportErrors.get()));
        row(out, "webhook→SSE latency p50 / p99 / max (all clients)", pct(sseSorted));
        row(out, "SSE arrivals (expected N×K)", totalArrivals + " / " + ((long) n * sseClients));
        row(out, "lost updates (total; clients affected; max per client)",
                totalLost + "; " + clientsWithLoss + "; " + maxLost);
        row(out, "duplicate updates (total; clients affected)", totalDup + "; " + clientsWithDup);
        row(out, "SSE disconnects by server / resets", totalDisconnects + " / " + totalResets);
        row(out, "other updates for bench ids (state_change …)", String.valueOf(totalOther));
        row(out, "wait for stragglers after last answer", String.format(Locale.ROOT, "%.2f s", waitSec));
        if (sseClients == 1) {
            SseClient c = clients.get(0);
            out.append(String.format(Locale.ROOT, "%nclient 0: expected %d, received %d, missing %d, duplicates %d%n",
                    n, c.received.get(), n - countArrived(c), c.duplicates.get()));
        } else if (!offenders.isEmpty()) {
            out.append("\nclients with loss, duplicates or disconnects (first 20):\n\n");
            out.append("| client | received | lost | dup | disconnects | resets |\n|---|---|---|---|---|---|\n");
            offenders.forEach(s -> out.append(s).append('\n'));
        }
        if (!sampleErrors.isEmpty()) {
            out.append("\nsample errors:\n");
            synchronized (sampleErrors) {
                sampleErrors.stream().limit(5).forEach(s -> out.append("- ").append(s).append('\n'));
            }
        }
        System.out.println(out);
        System.out.flush();
        int rc = (totalLost > 0 || totalDup > 0) ? 1
                : (non200.get() + notApplied.get() + transportErrors.get() > 0) ? 2 : 0;
        System.out.println("exit status " + rc);
        System.exit(rc);
    }

    static int countArrived(SseClient c) {
        int a = 0;
        for (int i = 0; i < n; i++) {
            if (c.arrival[i] != 0) {
                a++;
            }
        }
        return a;
    }

    static void row(StringBuilder sb, String k, String v) {
        sb.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    static String pct(long[] sorted) {
        if (sorted.length == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms", at(sorted, 0.50) / 1e6, at(sorted, 0.99) / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    /** Nearest-rank percentile. */
    static long at(long[] sorted, double p) {
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    // ------------------------------------------------------------------ sending

    static void sendPhase(HttpClient client, int count, long base, boolean measured) throws InterruptedException {
        if (count <= 0) {
            return;
        }
        AtomicInteger next = new AtomicInteger();
        URI uri = URI.create(baseUrl + "/hooks/jellyseerr");
        Thread[] threads = new Thread[concurrency];
        for (int t = 0; t < concurrency; t++) {
            threads[t] = new Thread(() -> {
                int i;
                while (!stopping && (i = next.getAndIncrement()) < count) {
                    long s = System.nanoTime();
                    if (measured) {
                        sendStart[i] = s;
                    }
                    long e = postJellyseerr(client, uri, base + i);
                    if (measured && e >= 0) {
                        httpLatency[i] = e - s;
                    }
                }
            }, "sender-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /**
     * Sends one Jellyseerr webhook and counts what came back (non-200, not applied, transport error).
     *
     * @return when the answer was complete ({@code System.nanoTime()}), or -1 when none came
     */
    static long postJellyseerr(HttpClient client, URI uri, long id) {
        try {
            Answer resp = post(client, uri, "application/json", payload(id).getBytes(StandardCharsets.UTF_8));
            long e = System.nanoTime();
            if (resp.statusCode() != 200) {
                non200.incrementAndGet();
                if (sampleErrors.size() < 5) {
                    sampleErrors.add("id " + id + ": HTTP " + resp.statusCode() + " " + abbrev(resp.body()));
                }
            } else if (!resp.body().contains("\"outcome\":\"applied\"")) {
                notApplied.incrementAndGet();
                if (sampleErrors.size() < 5) {
                    sampleErrors.add("id " + id + ": 200 " + abbrev(resp.body()));
                }
            }
            return e;
        } catch (Exception ex) {
            transportErrors.incrementAndGet();
            if (sampleErrors.size() < 5) {
                sampleErrors.add("id " + id + ": " + ex);
            }
            return -1;
        }
    }

    /** What one webhook of a flow got back: its outcome (or "HTTP n", "transport error") and when. */
    record StepAnswer(String outcome, long end, boolean answered) {
    }

    /** Sends one webhook of a simulated request and counts what came back. */
    static StepAnswer postStep(HttpClient client, Sim sim, Step step) {
        try {
            Answer resp = post(client, step.uri(), step.contentType(), step.body());
            long e = System.nanoTime();
            String outcome;
            if (resp.statusCode() != 200) {
                outcome = "HTTP " + resp.statusCode();
                non200.incrementAndGet();
                sample(8, sim, step, outcome + " " + abbrev(resp.body()));
            } else {
                outcome = stringField(resp.body(), "outcome");
                if (outcome == null) {
                    outcome = "(no outcome)";
                }
                if (outcome.equals("error")) {
                    errorOutcomes.incrementAndGet();
                    sample(8, sim, step, "200 " + abbrev(resp.body()));
                } else if (!outcome.equals("applied")) {
                    notApplied.incrementAndGet();
                    sample(4, sim, step, "200 " + abbrev(resp.body()));
                }
            }
            return new StepAnswer(outcome, e, true);
        } catch (Exception ex) {
            transportErrors.incrementAndGet();
            sample(8, sim, step, ex.toString());
            return new StepAnswer("transport error", System.nanoTime(), false);
        }
    }

    /** A webhook's answer: status and body. */
    record Answer(int statusCode, String body) {
    }

    /** POSTs one webhook with the chosen client (--http-client). */
    static Answer post(HttpClient client, URI uri, String contentType, byte[] body) throws Exception {
        if (!httpClient.equals("jdk")) {
            return RAW.get().post(uri, contentType, body);
        }
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(httpTimeoutSec))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
        return new Answer(resp.statusCode(), resp.body());
    }

    static final ThreadLocal<RawHttp> RAW = ThreadLocal.withInitial(RawHttp::new);

    /**
     * A minimal HTTP/1.1 client: one keep-alive connection per sender thread, blocking I/O, no pooling, no TLS, no
     * redirects. java.net.http spent about 1.7 ms of CPU per webhook on this 2-core machine (as much as PostgreSQL),
     * taking that CPU from the app it measures; this costs a small fraction of it. Only for loopback, only for the
     * app's own answers (Content-Length or chunked bodies).
     */
    static final class RawHttp {
        private java.net.Socket socket;
        private java.io.InputStream in;
        private java.io.OutputStream out;

        Answer post(URI uri, String contentType, byte[] body) throws IOException {
            for (int attempt = 0;; attempt++) {
                boolean reused = socket != null;
                try {
                    if (socket == null) {
                        socket = new java.net.Socket();
                        socket.setTcpNoDelay(true);
                        socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
                        socket.setSoTimeout(httpTimeoutSec * 1000);
                        in = new java.io.BufferedInputStream(socket.getInputStream(), 16 * 1024);
                        out = new java.io.BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
                    }
                    String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                            + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n";
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                    return read();
                } catch (IOException e) {
                    close();
                    // A kept-alive connection the server closed meanwhile: send once more on a new one.
                    if (!reused || attempt > 0 || e instanceof java.net.SocketTimeoutException) {
                        throw e;
                    }
                }
            }
        }

        private Answer read() throws IOException {
            String status = line();
            if (status == null || !status.startsWith("HTTP/1.")) {
                throw new IOException("no HTTP answer: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            String h;
            while ((h = line()) != null && !h.isEmpty()) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(256);
            if (chunked) {
                long size;
                while ((size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0) {
                    copy(body, size);
                    line();
                }
                while ((h = line()) != null && !h.isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                copy(body, length);
            } else {
                in.transferTo(body);
                close = true;
            }
            if (close) {
                close();
            }
            return new Answer(code, body.toString(StandardCharsets.UTF_8));
        }

        private void copy(java.io.ByteArrayOutputStream to, long n) throws IOException {
            byte[] buf = new byte[8192];
            while (n > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, n));
                if (r < 0) {
                    throw new java.io.EOFException("answer cut short");
                }
                to.write(buf, 0, r);
                n -= r;
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            if (c < 0 && sb.length() == 0) {
                throw new java.io.EOFException("connection closed");
            }
            return sb.toString();
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    static String abbrev(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    static String payload(long id) {
        return "{\"notification_type\":\"MEDIA_AUTO_APPROVED\",\"event\":\"Movie Request Automatically Approved\","
                + "\"subject\":\"Bench Movie " + id + " (2001)\","
                + "\"message\":\"Synthetic request created by bench/WebhookBench.java.\","
                + "\"image\":\"https://image.tmdb.org/t/p/w600_and_h900_bestv2/bench.jpg\","
                + "\"media\":{\"media_type\":\"movie\",\"tmdbId\":\"" + id + "\",\"tvdbId\":\"\","
                + "\"status\":\"PENDING\",\"status4k\":\"UNKNOWN\"},"
                + "\"request\":{\"request_id\":\"" + id + "\",\"requestedBy_email\":\"bench@example.org\","
                + "\"requestedBy_username\":\"bench\",\"requestedBy_avatar\":\"\","
                + "\"requestedBy_settings_discordId\":\"\",\"requestedBy_settings_telegramChatId\":\"\"},"
                + "\"issue\":null,\"comment\":null,\"extra\":[]}";
    }

    // ------------------------------------------------------------------ flows mode (--mode flows)

    /** Answers with outcome {@code error}: the event was kept, but applying it failed. */
    static final AtomicInteger errorOutcomes = new AtomicInteger();
    /** Measured answers per event kind and outcome ("applied", "stale", "HTTP 500", "transport error" …). */
    static final Map<String, AtomicInteger> kindOutcomes = new ConcurrentHashMap<>();
    /** Measured answer latencies per event kind, sorted; filled after the measured phase. */
    static long[][] kindLatency;

    static boolean flows() {
        return mode.equals("flows");
    }

    static final String[] ROUTES = {"jellyseerr", "radarr", "sonarr", "qbittorrent", "jellyfin"};

    /** The events of the two flows, in the order of the report. */
    enum Kind {
        JS_MOVIE(0, "MEDIA_AUTO_APPROVED (movie)"),
        JS_TV(0, "MEDIA_AUTO_APPROVED (tv, season 1)"),
        RADARR_ADDED(1, "MovieAdded"),
        RADARR_GRAB(1, "Grab"),
        RADARR_DOWNLOAD(1, "Download (one movie file)"),
        SONARR_ADD(2, "SeriesAdd"),
        SONARR_GRAB(2, "Grab (13-episode season pack)"),
        SONARR_DOWNLOAD(2, "Download (import complete, 13 episodeFiles)"),
        QBIT_MOVIE(3, "completion hook (movie torrent)"),
        QBIT_TV(3, "completion hook (season-pack torrent)"),
        JF_MOVIE(4, "ItemAdded Movie (text/plain)"),
        JF_EPISODE(4, "ItemAdded Episode (13 per series, text/plain)");

        final int route;
        final String label;

        Kind(int route, String label) {
            this.route = route;
            this.label = label;
        }

        String route() {
            return ROUTES[route];
        }
    }

    /** One webhook of a simulated request. */
    record Step(Kind kind, URI uri, String contentType, byte[] body) {
    }

    /** One simulated request: its webhooks, sent in this order by one sender. */
    record Sim(long id, boolean tv, Step[] steps) {
    }

    static long webhooks(Sim[] sims) {
        return sims == null ? 0 : Arrays.stream(sims).mapToLong(s -> s.steps().length).sum();
    }

    /** The real payloads the flows are built from (paths relative to --fixtures). */
    record Fixtures(Object jellyseerrMovie, Object jellyseerrTv, Object radarrGrab, Object radarrDownload,
            Object sonarrGrab, Object sonarrImport, Object jellyfinMovie, Object jellyfinEpisode, Object qbittorrent) {

        static Fixtures load(Path dir) {
            Fixtures fx = new Fixtures(read(dir, "protocol/jellyseerr-media-auto-approved.json"),
                    read(dir, "original/jellyseerr-tv-auto-approved.json"),
                    read(dir, "protocol/radarr-grab.json"),
                    read(dir, "protocol/radarr-download.json"),
                    read(dir, "original/sonarr-grab.json"),
                    read(dir, "original/sonarr-import.json"),
                    read(dir, "protocol/jellyfin-item-added-movie.json"),
                    read(dir, "protocol/jellyfin-item-added-episode.json"),
                    read(dir, "original/doc-qbittorrent-complete-illustrative.json"));
            int episodes = J.arr(J.get(fx.sonarrGrab(), "episodes")).size();
            int files = J.arr(J.get(fx.sonarrImport(), "episodeFiles")).size();
            int listed = J.arr(J.get(fx.sonarrImport(), "episodes")).size();
            if (episodes != 13 || files != 13 || listed != 13) {
                die("expected a 13-episode season pack in original/sonarr-grab.json and sonarr-import.json, found "
                        + episodes + " episodes, " + listed + " imported episodes, " + files + " files");
            }
            return fx;
        }

        private static Object read(Path dir, String name) {
            Path file = dir.resolve(name);
            try {
                return J.parse(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                die("cannot read fixture " + file + " (" + e.getMessage() + "); set --fixtures to the directory"
                        + " holding protocol/ and original/ (src/test/resources/fixtures)");
                return null;
            }
        }
    }

    /** Simulated request i is a series when the running share of series crosses an integer (0.5: every other). */
    static boolean isTv(int i) {
        return Math.floor((i + 1) * tvShare) > Math.floor(i * tvShare);
    }

    static Sim[] buildSims(Fixtures fx, int count, long base) {
        Sim[] sims = new Sim[count];
        try {
            for (int i = 0; i < count; i++) {
                long id = base + i;
                sims[i] = isTv(i) ? tvSim(fx, id) : movieSim(fx, id);
            }
        } catch (IllegalStateException | ClassCastException e) {
            die("a fixture no longer has the shape the benchmark edits: " + e.getMessage());
        }
        return sims;
    }

    static final String JSON = "application/json";
    static final String TEXT = "text/plain"; // what the Jellyfin Webhook plugin's Generic destination sends

    static Step step(Kind kind, String contentType, Object payload) {
        return new Step(kind, URI.create(baseUrl + "/hooks/" + kind.route()), contentType,
                J.write(payload).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A movie: Jellyseerr auto-approves it, Radarr adds and grabs it, qBittorrent finishes the torrent, Radarr imports
     * the file, Jellyfin adds the item. Perfect Blue (anime, tagged in Radarr) from protocol/, with the TMDB, IMDb,
     * Radarr, Jellyseerr and file ids, the title and the info-hash of this simulated request.
     */
    static Sim movieSim(Fixtures fx, long id) {
        String title = "Bench Movie " + id;
        String ids = Long.toString(id);
        String imdb = "tt" + id;
        String hash = sha1Hex("status-tracker bench torrent " + id); // 40 hex, lower case as qBittorrent sends it
        String year = J.get(fx.radarrGrab(), "movie.year").toString();
        String folder = "/data/media/anime-movies/" + title + " (" + year + ")";
        String originalTitle = (String) J.get(fx.radarrGrab(), "movie.title");
        String release = ((String) J.get(fx.radarrGrab(), "release.releaseTitle")).replace(originalTitle, title);

        Object jellyseerr = J.copy(fx.jellyseerrMovie());
        J.set(jellyseerr, "subject", title + " (" + year + ")");
        J.set(jellyseerr, "media.tmdbId", ids);
        J.set(jellyseerr, "request.request_id", ids);

        Object grab = J.copy(fx.radarrGrab());
        movieIds(grab, id, title, imdb, folder);
        J.set(grab, "downloadId", hash.toUpperCase(Locale.ROOT)); // Radarr reports the hash upper-case
        J.set(grab, "release.releaseTitle", release);

        // Radarr's MovieAdded carries the library movie and how it was added.
        Map<String, Object> added = new LinkedHashMap<>();
        added.put("movie", J.copy(J.get(grab, "movie")));
        added.put("addMethod", "manual");
        added.put("eventType", "MovieAdded");
        added.put("instanceName", J.get(grab, "instanceName"));
        added.put("applicationUrl", J.get(grab, "applicationUrl"));

        Object qbit = J.copy(fx.qbittorrent());
        J.set(qbit, "hash", hash);
        J.set(qbit, "name", release);
        J.set(qbit, "path", "/data/torrents/radarr/" + release);
        J.set(qbit, "size", J.get(grab, "release.size").toString()); // %Z is substituted into a string

        Object download = J.copy(fx.radarrDownload());
        movieIds(download, id, title, imdb, folder);
        J.set(download, "downloadId", hash.toUpperCase(Locale.ROOT));
        String file = ((String) J.get(download, "movieFile.relativePath")).replace(originalTitle, title)
                .replace("{tmdb-" + J.get(fx.radarrDownload(), "movie.tmdbId") + "}", "{tmdb-" + id + "}");
        J.set(download, "movieFile.id", id);
        J.set(download, "movieFile.relativePath", file);
        J.set(download, "movieFile.path", folder + "/" + file);
        J.set(download, "movieFile.sceneName", release);
        J.set(download, "movieFile.sourcePath", "/data/torrents/radarr/" + release + "/" + release + ".mkv");
        J.set(download, "release.releaseTitle", release);

        Object jellyfin = J.copy(fx.jellyfinMovie());
        J.set(jellyfin, "Name", title);
        J.set(jellyfin, "ItemId", hex32("jellyfin movie", id, 0));
        J.set(jellyfin, "Provider_tmdb", ids);
        J.set(jellyfin, "Provider_imdb", imdb);

        return new Sim(id, false, new Step[] {
                step(Kind.JS_MOVIE, JSON, jellyseerr),
                step(Kind.RADARR_ADDED, JSON, added),
                step(Kind.RADARR_GRAB, JSON, grab),
                step(Kind.QBIT_MOVIE, JSON, qbit),
                step(Kind.RADARR_DOWNLOAD, JSON, download),
                step(Kind.JF_MOVIE, TEXT, jellyfin)});
    }

    static void movieIds(Object payload, long id, String title, String imdb, String folder) {
        J.set(payload, "movie.id", id);
        J.set(payload, "movie.title", title);
        J.set(payload, "movie.tmdbId", id);
        J.set(payload, "movie.imdbId", imdb);
        J.set(payload, "movie.folderPath", folder);
        J.set(payload, "remoteMovie.tmdbId", id);
        J.set(payload, "remoteMovie.imdbId", imdb);
        J.set(payload, "remoteMovie.title", title);
    }

    /**
     * A series: Jellyseerr auto-approves season 1, Sonarr adds the series and grabs a 13-episode season pack,
     * qBittorrent finishes it, Sonarr imports all 13 files in one import-complete webhook, and Jellyfin adds the 13
     * episodes one by one. Lycoris Recoil (anime) from original/, with the series' and episodes' ids, the title and
     * the info-hash of this simulated request.
     */
    static Sim tvSim(Fixtures fx, long id) {
        String title = "Bench Series " + id;
        String dotted = "Bench.Series." + id;
        String ids = Long.toString(id);
        String imdb = "tt" + id;
        String hash = sha1Hex("status-tracker bench torrent " + id);
        String seriesPath = "/data/anime/shows/" + title;
        String originalTitle = (String) J.get(fx.sonarrGrab(), "series.title");
        String originalPath = (String) J.get(fx.sonarrGrab(), "series.path");
        String originalDotted = originalTitle.replace(' ', '.');
        String year = J.get(fx.sonarrGrab(), "series.year").toString();

        Object jellyseerr = J.copy(fx.jellyseerrTv());
        J.set(jellyseerr, "subject", title + " (" + year + ")");
        J.set(jellyseerr, "media.tmdbId", ids);
        J.set(jellyseerr, "media.tvdbId", ids);
        J.set(jellyseerr, "request.request_id", ids);

        Object grab = J.copy(fx.sonarrGrab());
        J.set(grab, "series.id", id);
        J.set(grab, "series.title", title);
        J.set(grab, "series.titleSlug", "bench-series-" + id);
        J.set(grab, "series.path", seriesPath);
        J.set(grab, "series.tvdbId", id);
        J.set(grab, "series.tvMazeId", id);
        J.set(grab, "series.tmdbId", id);
        J.set(grab, "series.imdbId", imdb);
        for (Object episode : J.arr(J.get(grab, "episodes"))) {
            long number = Long.parseLong(J.get(episode, "episodeNumber").toString());
            J.set(episode, "id", sonarrEpisodeId(id, number));
            J.set(episode, "tvdbId", episodeTvdbId(id, number));
        }
        J.set(grab, "downloadId", hash.toUpperCase(Locale.ROOT)); // Sonarr reports the hash upper-case
        J.set(grab, "release.releaseTitle",
                ((String) J.get(grab, "release.releaseTitle")).replace(originalTitle, title));

        // Sonarr's SeriesAdd carries the series only.
        Map<String, Object> added = new LinkedHashMap<>();
        added.put("series", J.copy(J.get(grab, "series")));
        added.put("eventType", "SeriesAdd");
        added.put("instanceName", J.get(grab, "instanceName"));
        added.put("applicationUrl", J.get(grab, "applicationUrl"));

        Object imported = J.copy(fx.sonarrImport());
        J.remove(imported, "_note"); // added by the fixture's author; Sonarr does not send it
        J.set(imported, "series.id", id);
        J.set(imported, "series.title", title);
        J.set(imported, "series.tvdbId", id);
        J.set(imported, "series.path", seriesPath);
        for (Object episode : J.arr(J.get(imported, "episodes"))) {
            J.set(episode, "id", sonarrEpisodeId(id, Long.parseLong(J.get(episode, "episodeNumber").toString())));
        }
        for (Object file : J.arr(J.get(imported, "episodeFiles"))) {
            for (String field : new String[] {"relativePath", "path"}) {
                J.set(file, field, ((String) J.get(file, field)).replace(originalPath, seriesPath)
                        .replace(originalDotted, dotted));
            }
        }
        String source = ((String) J.get(imported, "sourcePath")).replace(originalDotted, dotted);
        J.set(imported, "sourcePath", source);
        J.set(imported, "destinationPath",
                ((String) J.get(imported, "destinationPath")).replace(originalPath, seriesPath));
        J.set(imported, "downloadId", hash.toUpperCase(Locale.ROOT));

        Object qbit = J.copy(fx.qbittorrent());
        J.set(qbit, "hash", hash);
        J.set(qbit, "name", source.substring(source.lastIndexOf('/') + 1));
        J.set(qbit, "path", source);
        J.set(qbit, "size", J.get(grab, "release.size").toString());

        List<Step> steps = new ArrayList<>();
        steps.add(step(Kind.JS_TV, JSON, jellyseerr));
        steps.add(step(Kind.SONARR_ADD, JSON, added));
        steps.add(step(Kind.SONARR_GRAB, JSON, grab));
        steps.add(step(Kind.QBIT_TV, JSON, qbit));
        steps.add(step(Kind.SONARR_DOWNLOAD, JSON, imported));
        // One ItemAdded per episode; an Episode item names its series by Jellyfin id and carries its own TVDB id.
        for (Object episode : J.arr(J.get(grab, "episodes"))) {
            long number = Long.parseLong(J.get(episode, "episodeNumber").toString());
            long season = Long.parseLong(J.get(episode, "seasonNumber").toString());
            Object item = J.copy(fx.jellyfinEpisode());
            J.set(item, "Name", J.get(episode, "title"));
            J.set(item, "ItemId", hex32("jellyfin episode", id, number));
            J.set(item, "Year", Long.parseLong(year));
            J.set(item, "SeriesName", title);
            J.set(item, "SeriesId", hex32("jellyfin series", id, 0));
            J.set(item, "SeasonId", hex32("jellyfin season", id, season));
            J.set(item, "SeasonNumber", season);
            J.set(item, "SeasonNumber00", String.format(Locale.ROOT, "%02d", season));
            J.set(item, "SeasonNumber000", String.format(Locale.ROOT, "%03d", season));
            J.set(item, "EpisodeNumber", number);
            J.set(item, "EpisodeNumber00", String.format(Locale.ROOT, "%02d", number));
            J.set(item, "EpisodeNumber000", String.format(Locale.ROOT, "%03d", number));
            J.set(item, "Provider_tvdb", Long.toString(episodeTvdbId(id, number)));
            J.set(item, "Provider_tmdb", Long.toString(id * 100 + 80 + number));
            J.set(item, "Provider_imdb", "tt" + (id * 100 + number));
            steps.add(step(Kind.JF_EPISODE, TEXT, item));
        }
        return new Sim(id, true, steps.toArray(new Step[0]));
    }

    static long sonarrEpisodeId(long seriesId, long number) {
        return seriesId * 100 + number;
    }

    static long episodeTvdbId(long seriesId, long number) {
        return seriesId * 100 + 50 + number;
    }

    static String sha1Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return String.format(Locale.ROOT, "%040x", new BigInteger(1, digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Jellyfin-style id: 32 hex digits, no dashes. */
    static String hex32(String tag, long id, long k) {
        return sha1Hex(tag + " " + id + " " + k).substring(0, 32);
    }

    /** C senders; each takes the next simulated request and sends its webhooks one after the other. */
    static void sendFlows(HttpClient client, Sim[] sims, boolean measured) throws InterruptedException {
        if (sims.length == 0) {
            return;
        }
        int kinds = Kind.values().length;
        AtomicInteger next = new AtomicInteger();
        List<LongList[]> recorders = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread[] threads = new Thread[concurrency];
        for (int t = 0; t < concurrency; t++) {
            threads[t] = new Thread(() -> {
                LongList[] mine = new LongList[kinds];
                for (int k = 0; k < kinds; k++) {
                    mine[k] = new LongList();
                }
                recorders.add(mine);
                int i;
                while (!stopping && (i = next.getAndIncrement()) < sims.length) {
                    Sim sim = sims[i];
                    for (Step step : sim.steps()) {
                        long s = System.nanoTime();
                        if (measured && (step.kind() == Kind.JS_MOVIE || step.kind() == Kind.JS_TV)) {
                            sendStart[i] = s;
                        }
                        StepAnswer answer = postStep(client, sim, step);
                        String outcome = answer.outcome();
                        if (measured && answer.answered()) {
                            mine[step.kind().ordinal()].add(answer.end() - s);
                        }
                        if (measured) {
                            kindOutcomes.computeIfAbsent(step.kind().name() + "|" + outcome,
                                    key -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                }
            }, "sender-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (measured) {
            kindLatency = new long[kinds][];
            for (int k = 0; k < kinds; k++) {
                LongList all = new LongList();
                for (LongList[] r : recorders) {
                    all.addAll(r[k]);
                }
                kindLatency[k] = all.sorted();
            }
        }
    }

    static void sample(int limit, Sim sim, Step step, String what) {
        if (sampleErrors.size() < limit) {
            sampleErrors.add("id " + sim.id() + " " + step.kind().route() + " " + step.kind().label + ": " + what);
        }
    }

    // ------------------------------------------------------------------ open loop (--rate)

    static boolean openLoop() {
        return rate > 0;
    }

    /** "C=32" (closed loop) or the open-loop schedule, for the report's first line. */
    static String loadLabel() {
        String sender = " · " + httpClient + " HTTP client";
        if (!openLoop()) {
            return "C=" + concurrency + sender;
        }
        return String.format(Locale.ROOT, "open loop at R=%s webhooks/s", fmtRate(rate))
                + (flows() ? String.format(Locale.ROOT, " (%d lanes, flow gap %d ms)", lanes(n), flowGapMs) : "")
                + sender;
    }

    static String fmtRate(double r) {
        return r == Math.rint(r) ? String.valueOf((long) r) : String.format(Locale.ROOT, "%.2f", r);
    }

    /** Lanes of the flows schedule: consecutive webhooks of one simulated request are about flow-gap apart. */
    static int lanes(int sims) {
        return (int) Math.max(1, Math.min(sims, Math.round(rate * flowGapMs / 1000.0)));
    }

    /** Sends webhook g (scheduled at the given nanoTime) and records it; returns the nanoTime of the full answer. */
    interface Exchange {
        long send(int g, long scheduled);
    }

    /** What the measured open-loop phase did (for the report). */
    static int olWebhooks;
    static long olStart;          // nanoTime of slot 0
    static long olLastSendStart;  // nanoTime at which the last webhook actually started
    static long olLastAnswer;     // nanoTime of the last answer
    static long[] olLagSorted;    // actual send start - scheduled send time, per webhook, sorted
    static int olMaxInFlight;
    static int olDelayedByAnswer; // flows: webhooks sent after their slot because the previous answer came later
    static long[] olScheduled;    // per webhook: when its latency counts from (nanoTime)
    static long[] olAnswered;     // per webhook: when its answer was complete (nanoTime)

    /**
     * The open-loop engine. Webhook g has the slot start + g/R. A webhook without a predecessor is released at its
     * slot; one with a predecessor (next[p] == g) when both its slot has come and the predecessor is answered, at
     * the later of the two, which is also the time its latency counts from.
     */
    static void openLoop(int total, int[] next, boolean[] hasPred, Exchange exchange, boolean measured)
            throws InterruptedException {
        if (total <= 0) {
            return;
        }
        ExecutorService pool = Executors.newCachedThreadPool(daemon("rate-sender"));
        AtomicIntegerArray gate = new AtomicIntegerArray(total); // 2 parties for a webhook with a predecessor
        CountDownLatch done = new CountDownLatch(total);
        long[] lag = new long[total];
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicLong lastStart = new AtomicLong(Long.MIN_VALUE);
        AtomicLong lastAnswer = new AtomicLong(Long.MIN_VALUE);
        AtomicInteger delayed = new AtomicInteger();
        double period = 1e9 / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long[] scheduledAt = new long[total];
        long[] answeredAt = new long[total];
        class Release {
            void fire(int g, long scheduled) {
                scheduledAt[g] = scheduled;
                pool.execute(() -> {
                    long s = System.nanoTime();
                    lag[g] = s - scheduled;
                    lastStart.accumulateAndGet(s, Math::max);
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    long answered;
                    try {
                        answered = exchange.send(g, scheduled);
                    } catch (RuntimeException e) {
                        answered = System.nanoTime();
                    }
                    inFlight.decrementAndGet();
                    answeredAt[g] = answered;
                    lastAnswer.accumulateAndGet(answered, Math::max);
                    int nx = next[g];
                    if (nx >= 0 && gate.getAndIncrement(nx) == 1) {
                        delayed.incrementAndGet(); // its slot had passed: it starts at this answer
                        fire(nx, answered);
                    }
                    done.countDown();
                });
            }
        }
        Release release = new Release();
        for (int g = 0; g < total; g++) {
            long slot = start + Math.round(g * period);
            long wait;
            while ((wait = slot - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!hasPred[g] || gate.getAndIncrement(g) == 1) {
                release.fire(g, slot);
            }
        }
        done.await();
        pool.shutdown();
        if (measured) {
            olWebhooks = total;
            olStart = start;
            olLastSendStart = lastStart.get();
            olLastAnswer = lastAnswer.get();
            olLagSorted = lag.clone();
            Arrays.sort(olLagSorted);
            olMaxInFlight = maxInFlight.get();
            olDelayedByAnswer = delayed.get();
            olScheduled = scheduledAt;
            olAnswered = answeredAt;
        }
    }

    /** Jellyseerr mode at --rate: webhook i at start + i/R. */
    static void sendPhaseAtRate(HttpClient client, int count, long base, boolean measured)
            throws InterruptedException {
        URI uri = URI.create(baseUrl + "/hooks/jellyseerr");
        int[] next = new int[count];
        Arrays.fill(next, -1);
        openLoop(count, next, new boolean[count], (i, scheduled) -> {
            if (measured) {
                sendStart[i] = scheduled;
            }
            long e = postJellyseerr(client, uri, base + i);
            if (measured && e >= 0) {
                httpLatency[i] = e - scheduled;
            }
            return e >= 0 ? e : System.nanoTime();
        }, measured);
    }

    /**
     * Flows mode at --rate. The slots are dealt round-robin to L lanes; a lane whose simulated request has no webhook
     * left takes the next simulated request, and once none is left the lane drops out, so the slots stay dense.
     */
    static void sendFlowsAtRate(HttpClient client, Sim[] sims, boolean measured) throws InterruptedException {
        if (sims.length == 0) {
            return;
        }
        int total = (int) webhooks(sims);
        int[] simOf = new int[total];
        int[] stepOf = new int[total];
        int[] next = new int[total];
        Arrays.fill(next, -1);
        boolean[] hasPred = new boolean[total];
        int[] lastG = new int[sims.length];
        int laneCount = lanes(sims.length);
        int[] laneSim = new int[laneCount];
        int[] laneStep = new int[laneCount];
        Arrays.fill(laneSim, -1);
        List<Integer> alive = new ArrayList<>();
        for (int l = 0; l < laneCount; l++) {
            alive.add(l);
        }
        int nextSim = 0;
        int cursor = 0;
        for (int g = 0; g < total; ) {
            int lane = alive.get(cursor);
            if (laneSim[lane] < 0 || laneStep[lane] == sims[laneSim[lane]].steps().length) {
                if (nextSim < sims.length) {
                    laneSim[lane] = nextSim++;
                    laneStep[lane] = 0;
                } else {
                    alive.remove(cursor);
                    if (cursor >= alive.size()) {
                        cursor = 0;
                    }
                    continue;
                }
            }
            int s = laneSim[lane];
            int k = laneStep[lane]++;
            simOf[g] = s;
            stepOf[g] = k;
            if (k > 0) {
                next[lastG[s]] = g;
                hasPred[g] = true;
            }
            lastG[s] = g;
            g++;
            cursor = (cursor + 1) % alive.size();
        }
        long[] latency = new long[total];
        Arrays.fill(latency, -1);
        openLoop(total, next, hasPred, (g, scheduled) -> {
            int i = simOf[g];
            Sim sim = sims[i];
            Step step = sim.steps()[stepOf[g]];
            if (measured && (step.kind() == Kind.JS_MOVIE || step.kind() == Kind.JS_TV)) {
                sendStart[i] = scheduled;
            }
            StepAnswer answer = postStep(client, sim, step);
            String outcome = answer.outcome();
            long e = answer.end();
            if (measured && answer.answered()) {
                latency[g] = e - scheduled;
            }
            if (measured) {
                kindOutcomes.computeIfAbsent(step.kind().name() + "|" + outcome, key -> new AtomicInteger())
                        .incrementAndGet();
            }
            return e;
        }, measured);
        if (measured) {
            int kinds = Kind.values().length;
            LongList[] byKind = new LongList[kinds];
            for (int k = 0; k < kinds; k++) {
                byKind[k] = new LongList();
            }
            for (int g = 0; g < total; g++) {
                if (latency[g] >= 0) {
                    byKind[sims[simOf[g]].steps()[stepOf[g]].kind().ordinal()].add(latency[g]);
                }
            }
            kindLatency = new long[kinds][];
            for (int k = 0; k < kinds; k++) {
                kindLatency[k] = byKind[k].sorted();
            }
        }
    }

    /** The open-loop rows of the report. */
    static void rateRows(StringBuilder out) {
        double sendSpan = (olLastSendStart - olStart) / 1e9;
        row(out, "open loop: offered rate (schedule)", fmtRate(rate) + " webhooks/s over "
                + String.format(Locale.ROOT, "%.1f s (%d webhooks)", (olWebhooks - 1) / rate, olWebhooks));
        row(out, "open loop: **achieved send rate** (webhooks / first slot → last actual send start)",
                String.format(Locale.ROOT, "**%.1f** webhooks/s over %.1f s", sendSpan > 0 ? (olWebhooks - 1) / sendSpan
                        : Double.NaN, sendSpan));
        row(out, "open loop: answer rate (webhooks / first slot → last answer)", String.format(Locale.ROOT,
                "%.1f webhooks/s", olWebhooks / ((olLastAnswer - olStart) / 1e9)));
        row(out, "open loop: client lag (actual send start − scheduled) p50 / p99 / max", pct(olLagSorted));
        row(out, "open loop: most webhooks in flight at once", String.valueOf(olMaxInFlight));
        if (flows()) {
            row(out, "open loop: webhooks sent after their slot because the previous answer came later",
                    String.valueOf(olDelayedByAnswer));
        }
        row(out, "open loop: seconds of the schedule whose slowest answer took over 100 ms (second: slowest ms)",
                slowSeconds());
    }

    /** Stalls show as runs of slow seconds; queueing noise as scattered ones. Buckets by scheduled time. */
    static String slowSeconds() {
        int buckets = (int) ((olLastAnswer - olStart) / 1_000_000_000L) + 1;
        long[] worst = new long[buckets];
        for (int g = 0; g < olWebhooks; g++) {
            if (olAnswered[g] == 0) {
                continue;
            }
            int b = (int) Math.max(0, (olScheduled[g] - olStart) / 1_000_000_000L);
            worst[Math.min(b, buckets - 1)] = Math.max(worst[Math.min(b, buckets - 1)], olAnswered[g] - olScheduled[g]);
        }
        StringBuilder sb = new StringBuilder();
        int slow = 0;
        for (int b = 0; b < buckets; b++) {
            if (worst[b] > 100_000_000L) {
                slow++;
                sb.append(sb.length() == 0 ? "" : ", ").append(b).append(": ").append(worst[b] / 1_000_000L);
            }
        }
        return slow + " of " + buckets + (slow == 0 ? "" : " (" + sb + ")");
    }

    /** Latencies of the kinds that match, merged and sorted. */
    static long[] latencies(java.util.function.Predicate<Kind> which) {
        LongList all = new LongList();
        for (Kind k : Kind.values()) {
            if (which.test(k)) {
                all.addAll(kindLatency[k.ordinal()]);
            }
        }
        return all.sorted();
    }

    /** "applied 2500, stale 3" for the kinds that match. */
    static String outcomes(java.util.function.Predicate<Kind> which) {
        return outcomes(which, o -> true);
    }

    static String outcomes(java.util.function.Predicate<Kind> which, java.util.function.Predicate<String> outcome) {
        Map<String, Integer> counts = new TreeMap<>();
        kindOutcomes.forEach((key, count) -> {
            int bar = key.indexOf('|');
            if (which.test(Kind.valueOf(key.substring(0, bar))) && outcome.test(key.substring(bar + 1))) {
                counts.merge(key.substring(bar + 1), count.get(), Integer::sum);
            }
        });
        StringBuilder sb = new StringBuilder();
        counts.forEach((name, count) -> sb.append(sb.length() == 0 ? "" : ", ").append(name).append(' ')
                .append(count));
        return sb.length() == 0 ? "—" : sb.toString();
    }

    static int outcomeCount(java.util.function.Predicate<Kind> which, java.util.function.Predicate<String> outcome) {
        int sum = 0;
        for (Map.Entry<String, AtomicInteger> e : kindOutcomes.entrySet()) {
            int bar = e.getKey().indexOf('|');
            if (which.test(Kind.valueOf(e.getKey().substring(0, bar))) && outcome.test(e.getKey().substring(bar + 1))) {
                sum += e.getValue().get();
            }
        }
        return sum;
    }

    static void reportFlows(StringBuilder out, Sim[] sims, double sendSec) {
        long[] all = latencies(k -> true);
        out.append("| metric | value |\n|---|---|\n");
        row(out, "sending phase wall time", String.format(Locale.ROOT, "%.3f s", sendSec));
        row(out, "webhooks answered (expected)", all.length + " (" + webhooks(sims) + ")");
        row(out, "**webhooks/s** (answered / wall)", String.format(Locale.ROOT, "**%.0f**", all.length / sendSec));
        row(out, "simulated requests/s", String.format(Locale.ROOT, "%.1f", sims.length / sendSec));
        row(out, "answer latency, all routes: p50 / p95 / p99 / max", pct4(all));
        row(out, "non-200 answers", String.valueOf(non200.get()));
        row(out, "answers with outcome `error`", String.valueOf(errorOutcomes.get()));
        row(out, "transport errors / timeouts", String.valueOf(transportErrors.get()));
        row(out, "200 with an outcome other than `applied`", notApplied.get() + (notApplied.get() == 0 ? ""
                : " (" + outcomes(k -> true, o -> !o.equals("applied") && !o.equals("error") && !o.startsWith("HTTP ")
                        && !o.equals("transport error")) + ")"));
    }

    static void routeTables(StringBuilder out, Sim[] sims) {
        out.append(openLoop()
                ? "\nPer route (answer latency: scheduled send time to the full answer, measured phase only):\n\n"
                : "\nPer route (answer latency: send start to the full answer, measured phase only):\n\n");
        out.append("| route | webhooks | p50 | p95 | p99 | max | non-200 | outcome `error` | outcomes |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (int r = 0; r < ROUTES.length; r++) {
            int route = r;
            long[] l = latencies(k -> k.route == route);
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %d | %d | %s |%n", ROUTES[r],
                    l.length, ms(l, 0.50), ms(l, 0.95), ms(l, 0.99), max(l),
                    outcomeCount(k -> k.route == route, o -> o.startsWith("HTTP ")),
                    outcomeCount(k -> k.route == route, o -> o.equals("error")), outcomes(k -> k.route == route)));
        }
        long[] all = latencies(k -> true);
        out.append(String.format(Locale.ROOT, "| **all** | %d | %s | %s | %s | %s | %d | %d | %s |%n", all.length,
                ms(all, 0.50), ms(all, 0.95), ms(all, 0.99), max(all), non200.get(), errorOutcomes.get(),
                outcomes(k -> true)));
        out.append("\nPer event:\n\n");
        out.append("| route | event | webhooks | p50 | p95 | p99 | max | outcomes |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Kind kind : Kind.values()) {
            long[] l = kindLatency[kind.ordinal()];
            if (l.length == 0) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s |%n", kind.route(),
                    kind.label, l.length, ms(l, 0.50), ms(l, 0.95), ms(l, 0.99), max(l), outcomes(k -> k == kind)));
        }
    }

    static String ms(long[] sorted, double p) {
        return sorted.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f ms", at(sorted, p) / 1e6);
    }

    static String max(long[] sorted) {
        return sorted.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f ms", sorted[sorted.length - 1] / 1e6);
    }

    static String pct4(long[] sorted) {
        if (sorted.length == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f ms", at(sorted, 0.50) / 1e6,
                at(sorted, 0.95) / 1e6, at(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    /** A growable long[]. */
    static final class LongList {
        long[] a = new long[256];
        int size;

        void add(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        void addAll(LongList other) {
            for (int i = 0; i < other.size; i++) {
                add(other.a[i]);
            }
        }

        void addAll(long[] values) {
            for (long v : values) {
                add(v);
            }
        }

        long[] sorted() {
            long[] s = Arrays.copyOf(a, size);
            Arrays.sort(s);
            return s;
        }
    }

    /**
     * Just enough JSON for editing fixtures: objects are LinkedHashMaps (key order kept), arrays ArrayLists, numbers
     * keep their text ({@link Num}), {@link #NULL} is JSON null. Paths are dotted ("movie.tmdbId", "episodes.3.id");
     * {@link #set} and {@link #remove} refuse a path the fixture does not have, so a changed fixture fails loudly.
     */
    static final class J {
        static final Object NULL = new Object() {
            @Override
            public String toString() {
                return "null";
            }
        };

        record Num(String raw) {
            @Override
            public String toString() {
                return raw;
            }
        }

        static Object parse(String text) {
            int[] pos = {0};
            Object v = value(text, pos);
            skipWs(text, pos);
            if (pos[0] != text.length()) {
                throw new IllegalArgumentException("trailing characters at " + pos[0]);
            }
            return v;
        }

        private static void skipWs(String s, int[] pos) {
            while (pos[0] < s.length() && Character.isWhitespace(s.charAt(pos[0]))) {
                pos[0]++;
            }
        }

        private static Object value(String s, int[] pos) {
            skipWs(s, pos);
            if (pos[0] >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            char c = s.charAt(pos[0]);
            switch (c) {
                case '{' -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    pos[0]++;
                    skipWs(s, pos);
                    if (s.charAt(pos[0]) == '}') {
                        pos[0]++;
                        return map;
                    }
                    while (true) {
                        skipWs(s, pos);
                        String key = string(s, pos);
                        skipWs(s, pos);
                        expect(s, pos, ':');
                        map.put(key, value(s, pos));
                        skipWs(s, pos);
                        if (s.charAt(pos[0]) == ',') {
                            pos[0]++;
                        } else {
                            expect(s, pos, '}');
                            return map;
                        }
                    }
                }
                case '[' -> {
                    List<Object> list = new ArrayList<>();
                    pos[0]++;
                    skipWs(s, pos);
                    if (s.charAt(pos[0]) == ']') {
                        pos[0]++;
                        return list;
                    }
                    while (true) {
                        list.add(value(s, pos));
                        skipWs(s, pos);
                        if (s.charAt(pos[0]) == ',') {
                            pos[0]++;
                        } else {
                            expect(s, pos, ']');
                            return list;
                        }
                    }
                }
                case '"' -> {
                    return string(s, pos);
                }
                default -> {
                    for (String word : new String[] {"true", "false", "null"}) {
                        if (s.startsWith(word, pos[0])) {
                            pos[0] += word.length();
                            return word.equals("null") ? NULL : Boolean.valueOf(word);
                        }
                    }
                    int start = pos[0];
                    while (pos[0] < s.length() && "+-.eE0123456789".indexOf(s.charAt(pos[0])) >= 0) {
                        pos[0]++;
                    }
                    if (pos[0] == start) {
                        throw new IllegalArgumentException("unexpected '" + c + "' at " + start);
                    }
                    return new Num(s.substring(start, pos[0]));
                }
            }
        }

        private static void expect(String s, int[] pos, char c) {
            if (pos[0] >= s.length() || s.charAt(pos[0]) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + pos[0]);
            }
            pos[0]++;
        }

        private static String string(String s, int[] pos) {
            expect(s, pos, '"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = s.charAt(pos[0]++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = s.charAt(pos[0]++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(pos[0], pos[0] + 4), 16));
                        pos[0] += 4;
                    }
                    default -> sb.append(e); // " \ /
                }
            }
        }

        static String write(Object v) {
            StringBuilder sb = new StringBuilder();
            write(sb, v);
            return sb.toString();
        }

        @SuppressWarnings("unchecked")
        private static void write(StringBuilder sb, Object v) {
            if (v instanceof Map<?, ?> map) {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    quote(sb, e.getKey());
                    sb.append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            } else if (v instanceof List<?> list) {
                sb.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(sb, list.get(i));
                }
                sb.append(']');
            } else if (v instanceof String str) {
                quote(sb, str);
            } else if (v == null || v == NULL) {
                sb.append("null");
            } else if (v instanceof Num || v instanceof Long || v instanceof Integer || v instanceof Boolean) {
                sb.append(v);
            } else {
                throw new IllegalArgumentException("cannot write " + v.getClass());
            }
        }

        private static void quote(StringBuilder sb, String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }

        @SuppressWarnings("unchecked")
        static Object copy(Object v) {
            if (v instanceof Map<?, ?> map) {
                Map<String, Object> c = new LinkedHashMap<>();
                ((Map<String, Object>) map).forEach((k, x) -> c.put(k, copy(x)));
                return c;
            }
            if (v instanceof List<?> list) {
                List<Object> c = new ArrayList<>(list.size());
                list.forEach(x -> c.add(copy(x)));
                return c;
            }
            return v; // strings, numbers, booleans and NULL are immutable
        }

        @SuppressWarnings("unchecked")
        static List<Object> arr(Object v) {
            if (!(v instanceof List<?>)) {
                throw new IllegalStateException("not an array: " + v);
            }
            return (List<Object>) v;
        }

        static Object get(Object root, String path) {
            Object cur = root;
            for (String seg : path.split("\\.")) {
                cur = child(cur, seg, path);
            }
            return cur;
        }

        static void set(Object root, String path, Object value) {
            edit(root, path, value, false);
        }

        static void remove(Object root, String path) {
            edit(root, path, null, true);
        }

        @SuppressWarnings("unchecked")
        private static void edit(Object root, String path, Object value, boolean remove) {
            int dot = path.lastIndexOf('.');
            Object parent = dot < 0 ? root : get(root, path.substring(0, dot));
            String last = path.substring(dot + 1);
            child(parent, last, path); // must exist
            if (parent instanceof Map<?, ?> map) {
                if (remove) {
                    map.remove(last);
                } else {
                    ((Map<String, Object>) map).put(last, value);
                }
            } else {
                List<Object> list = (List<Object>) parent;
                if (remove) {
                    list.remove(Integer.parseInt(last));
                } else {
                    list.set(Integer.parseInt(last), value);
                }
            }
        }

        private static Object child(Object cur, String seg, String path) {
            if (cur instanceof Map<?, ?> map && map.containsKey(seg)) {
                return map.get(seg);
            }
            if (cur instanceof List<?> list && seg.chars().allMatch(Character::isDigit)
                    && Integer.parseInt(seg) < list.size()) {
                return list.get(Integer.parseInt(seg));
            }
            throw new IllegalStateException("no '" + path + "' (at '" + seg + "')");
        }
    }

    // ------------------------------------------------------------------ SSE client

    static final class SseClient implements Flow.Subscriber<String> {
        final int index;
        final HttpClient http;
        final ScheduledExecutorService timer;
        final CountDownLatch connectedLatch;
        final long[] arrival = new long[n];          // nanoTime of first arrival per measured webhook, 0 = not yet
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger warmupSeen = new AtomicInteger();
        final AtomicInteger otherUpdates = new AtomicInteger();
        final AtomicInteger disconnects = new AtomicInteger();
        final AtomicInteger resets = new AtomicInteger();
        final boolean[] warmupArrived = new boolean[Math.max(0, warmup)];
        volatile boolean connectedOnce;
        volatile String lastError;
        final AtomicLong lastEventId = new AtomicLong(-1);
        long retryMs = 3000;
        Flow.Subscription subscription;
        // frame being parsed (touched only by the subscriber's serialised callbacks)
        String frameId;
        String frameEvent;
        StringBuilder frameData = new StringBuilder();
        long frameArrival;

        SseClient(int index, HttpClient http, ScheduledExecutorService timer, CountDownLatch connectedLatch) {
            this.index = index;
            this.http = http;
            this.timer = timer;
            this.connectedLatch = connectedLatch;
        }

        void open(Long lastId) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/api/sse"))
                    .header("Accept", "text/event-stream").GET();
            if (lastId != null && lastId >= 0) {
                b.header("Last-Event-ID", String.valueOf(lastId));
            }
            http.sendAsync(b.build(), info -> {
                if (info.statusCode() != 200) {
                    lastError = "HTTP " + info.statusCode();
                    return HttpResponse.BodySubscribers.replacing(null);
                }
                return HttpResponse.BodySubscribers.fromLineSubscriber(this);
            }).whenComplete((r, ex) -> {
                if (ex != null) {
                    lastError = ex.toString();
                }
                ended();
            });
        }

        private void ended() {
            if (stopping) {
                return;
            }
            disconnects.incrementAndGet();
            if (reconnect) {
                long delay = reconnectDelayOverrideMs >= 0 ? reconnectDelayOverrideMs : retryMs;
                long last = lastEventId.get();
                timer.schedule(() -> open(last >= 0 ? last : null), delay, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                dispatch();
                return;
            }
            if (line.charAt(0) == ':') {
                return; // comment / heartbeat
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> frameId = value;
                case "event" -> frameEvent = value;
                case "data" -> {
                    if (frameData.length() == 0) {
                        frameArrival = System.nanoTime();
                    } else {
                        frameData.append('\n');
                    }
                    frameData.append(value);
                }
                case "retry" -> {
                    try {
                        retryMs = Long.parseLong(value.trim());
                    } catch (NumberFormatException ignored) {
                        // ignored, as EventSource does
                    }
                }
                default -> {
                }
            }
        }

        private void dispatch() {
            String event = frameEvent == null ? "message" : frameEvent;
            if (frameId != null) {
                try {
                    lastEventId.set(Long.parseLong(frameId.trim()));
                } catch (NumberFormatException ignored) {
                    // keep the previous one
                }
            }
            String data = frameData.toString();
            long arrivedAt = frameArrival;
            frameId = null;
            frameEvent = null;
            frameData.setLength(0);
            if (data.isEmpty() && !"connected".equals(event)) {
                return;
            }
            switch (event) {
                case "connected" -> {
                    if (!connectedOnce) {
                        connectedOnce = true;
                        connectedLatch.countDown();
                    }
                }
                case "reset" -> resets.incrementAndGet();
                case "update" -> onUpdate(data, arrivedAt);
                default -> {
                }
            }
        }

        private void onUpdate(String data, long arrivedAt) {
            long marker = longField(data, "jellyseerr_id");
            String type = stringField(data, "event_type");
            if (marker < 0) {
                return; // not one of ours
            }
            if (marker >= measuredBase && marker < measuredBase + n) {
                if (!"new_request".equals(type)) {
                    otherUpdates.incrementAndGet();
                    return;
                }
                int i = (int) (marker - measuredBase);
                if (arrival[i] != 0) {
                    duplicates.incrementAndGet();
                } else {
                    arrival[i] = arrivedAt == 0 ? System.nanoTime() : arrivedAt;
                    received.incrementAndGet(); // publishes arrival[i] to the main thread
                }
            } else if (marker >= warmupBase && marker < warmupBase + warmup) {
                int i = (int) (marker - warmupBase);
                if ("new_request".equals(type) && !warmupArrived[i]) {
                    warmupArrived[i] = true;
                    warmupSeen.incrementAndGet();
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            lastError = t.toString();
        }

        @Override
        public void onComplete() {
        }
    }

    // ------------------------------------------------------------------ tiny JSON field readers

    /** Value of the first numeric field {@code "name": 123} (top-level or nested); -1 if absent or null. */
    static long longField(String json, String name) {
        String key = "\"" + name + "\"";
        int p = json.indexOf(key);
        if (p < 0) {
            return -1;
        }
        p += key.length();
        while (p < json.length() && (json.charAt(p) == ' ' || json.charAt(p) == ':')) {
            p++;
        }
        long v = 0;
        int start = p;
        while (p < json.length() && Character.isDigit(json.charAt(p))) {
            v = v * 10 + (json.charAt(p) - '0');
            p++;
        }
        return p == start ? -1 : v;
    }

    static String stringField(String json, String name) {
        String key = "\"" + name + "\"";
        int p = json.indexOf(key);
        if (p < 0) {
            return null;
        }
        p += key.length();
        while (p < json.length() && (json.charAt(p) == ' ' || json.charAt(p) == ':')) {
            p++;
        }
        if (p >= json.length() || json.charAt(p) != '"') {
            return null;
        }
        int end = json.indexOf('"', p + 1);
        return end < 0 ? null : json.substring(p + 1, end);
    }

    // ------------------------------------------------------------------ plumbing

    static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger c = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + c.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--url" -> baseUrl = stripSlash(v != null ? v : args[++i]);
                case "--n" -> n = Integer.parseInt(v != null ? v : args[++i]);
                case "--c" -> concurrency = Integer.parseInt(v != null ? v : args[++i]);
                case "--clients" -> sseClients = Integer.parseInt(v != null ? v : args[++i]);
                case "--warmup" -> {
                    warmup = Integer.parseInt(v != null ? v : args[++i]);
                    warmupGiven = true;
                }
                case "--mode" -> mode = v != null ? v : args[++i];
                case "--fixtures" -> fixturesDir = v != null ? v : args[++i];
                case "--tv-share" -> tvShare = Double.parseDouble(v != null ? v : args[++i]);
                case "--print-flows" -> printFlows = true;
                case "--rate" -> rate = Double.parseDouble(v != null ? v : args[++i]);
                case "--flow-gap-ms" -> flowGapMs = Integer.parseInt(v != null ? v : args[++i]);
                case "--straggler-timeout" -> stragglerTimeoutSec = Integer.parseInt(v != null ? v : args[++i]);
                case "--id-base" -> idBase = Long.parseLong(v != null ? v : args[++i]);
                case "--http-timeout" -> httpTimeoutSec = Integer.parseInt(v != null ? v : args[++i]);
                case "--http-client" -> httpClient = v != null ? v : args[++i];
                case "--reconnect-delay-ms" -> reconnectDelayOverrideMs = Long.parseLong(v != null ? v : args[++i]);
                case "--no-reconnect" -> reconnect = false;
                case "-h", "--help" -> {
                    System.out.println("usage: java bench/WebhookBench.java [--mode jellyseerr|flows] [--url U] [--n N]"
                            + " [--c C] [--clients K] [--warmup W] [--straggler-timeout S] [--id-base B]"
                            + " [--http-timeout S] [--reconnect-delay-ms MS] [--no-reconnect]"
                            + " [--fixtures DIR] [--tv-share F] [--print-flows] [--rate R] [--flow-gap-ms MS]"
                            + "   (flows mode: N and W count simulated requests)");
                    System.exit(0);
                }
                default -> die("unknown option " + args[i]);
            }
        }
        if (!mode.equals("jellyseerr") && !mode.equals("flows")) {
            die("--mode must be jellyseerr or flows, not " + mode);
        }
        if (flows() && !warmupGiven) {
            warmup = 40; // simulated requests: about 480 webhooks, like the 500 of the other mode
        }
        if (n < 1 || concurrency < 1 || sseClients < 0 || warmup < 0 || stragglerTimeoutSec < 0 || tvShare < 0
                || tvShare > 1) {
            die("bad option values");
        }
        if (Arrays.asList(args).stream().anyMatch(x -> x.equals("--rate") || x.startsWith("--rate="))
                && !(rate > 0 && rate <= 100_000 && flowGapMs > 0)) {
            die("--rate must be > 0 (webhooks per second) and --flow-gap-ms > 0");
        }
        URI u = URI.create(baseUrl);
        String host = u.getHost();
        if (!"127.0.0.1".equals(host) && !"localhost".equals(host) && !"::1".equals(host) && !"[::1]".equals(host)) {
            die("refusing to load a non-loopback host: " + host);
        }
    }

    static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    static void die(String msg) {
        System.err.println("WebhookBench: " + msg);
        System.exit(3);
    }
}
