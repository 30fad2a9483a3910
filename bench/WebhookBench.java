import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook ingest + SSE fan-out benchmark for status-tracker. Dependency-free, Java 17:
 *
 * <pre>
 *   java bench/WebhookBench.java [--url http://127.0.0.1:8000] [--n 5000] [--c 32] [--clients 1]
 *                                [--warmup 500] [--straggler-timeout 60] [--id-base B] [--no-reconnect]
 * </pre>
 *
 * <p>Opens K SSE clients on {@code /api/sse}, sends a warm-up of W webhooks (not counted), then N Jellyseerr
 * {@code MEDIA_AUTO_APPROVED} webhooks with C concurrent senders. Every webhook is a new request: its
 * {@code request.request_id} and {@code media.tmdbId} are a unique number, which comes back in the SSE update as
 * {@code request.jellyseerr_id}; that is how each update is matched to the send time of its webhook.
 *
 * <p>A client the server disconnects reconnects like a browser's EventSource (after the server's {@code retry:}
 * delay, with {@code Last-Event-ID}); disconnects are reported. {@code --no-reconnect} turns that off.
 *
 * <p>Exit status: 0 all good; 1 an update was lost or duplicated on some client; 2 no loss, but some webhook was not
 * answered 200/applied; 3 usage or set-up error (SSE clients could not connect).
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
        sendPhase(sender, warmup, warmupBase, false);
        double warmupSec = (System.nanoTime() - w0) / 1e9;
        int warmupErrors = non200.get() + notApplied.get() + transportErrors.get();
        non200.set(0);
        notApplied.set(0);
        transportErrors.set(0);
        sampleErrors.clear();
        // let warm-up updates drain to the clients before measuring
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < drainDeadline
                && clients.stream().anyMatch(c -> c.warmupSeen.get() < warmup)) {
            Thread.sleep(20);
        }

        // --- measured sending phase
        long t0 = System.nanoTime();
        sendPhase(sender, n, measuredBase, true);
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

        StringBuilder out = new StringBuilder();
        out.append("\n### WebhookBench result\n\n");
        out.append(String.format(Locale.ROOT,
                "target `%s` · N=%d · C=%d · SSE clients=%d · warm-up=%d (%.1f s, %d errors) · ids %d..%d%n%n",
                baseUrl, n, concurrency, sseClients, warmup, warmupSec, warmupErrors, measuredBase,
                measuredBase + n - 1));
        out.append("| metric | value |\n|---|---|\n");
        row(out, "sending phase wall time", String.format(Locale.ROOT, "%.3f s", sendSec));
        row(out, "accepted/s (N / wall)", String.format(Locale.ROOT, "%.0f", n / sendSec));
        row(out, "HTTP latency p50 / p99 / max", pct(http));
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
                    long id = base + i;
                    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(httpTimeoutSec))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(payload(id))).build();
                    long s = System.nanoTime();
                    if (measured) {
                        sendStart[i] = s;
                    }
                    try {
                        HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
                        long e = System.nanoTime();
                        if (measured) {
                            httpLatency[i] = e - s;
                        }
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
                    } catch (Exception ex) {
                        transportErrors.incrementAndGet();
                        if (sampleErrors.size() < 5) {
                            sampleErrors.add("id " + id + ": " + ex);
                        }
                    }
                }
            }, "sender-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
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
                case "--warmup" -> warmup = Integer.parseInt(v != null ? v : args[++i]);
                case "--straggler-timeout" -> stragglerTimeoutSec = Integer.parseInt(v != null ? v : args[++i]);
                case "--id-base" -> idBase = Long.parseLong(v != null ? v : args[++i]);
                case "--http-timeout" -> httpTimeoutSec = Integer.parseInt(v != null ? v : args[++i]);
                case "--reconnect-delay-ms" -> reconnectDelayOverrideMs = Long.parseLong(v != null ? v : args[++i]);
                case "--no-reconnect" -> reconnect = false;
                case "-h", "--help" -> {
                    System.out.println("usage: java bench/WebhookBench.java [--url U] [--n N] [--c C] [--clients K]"
                            + " [--warmup W] [--straggler-timeout S] [--id-base B] [--http-timeout S]"
                            + " [--reconnect-delay-ms MS] [--no-reconnect]");
                    System.exit(0);
                }
                default -> die("unknown option " + args[i]);
            }
        }
        if (n < 1 || concurrency < 1 || sseClients < 0 || warmup < 0 || stragglerTimeoutSec < 0) {
            die("bad option values");
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
