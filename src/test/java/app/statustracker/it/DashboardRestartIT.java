package app.statustracker.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import app.statustracker.support.Browser;
import app.statustracker.support.Payload;
import app.statustracker.support.PostgresTestResource;

/**
 * The service really restarts under an open dashboard: the packaged application (target/quarkus-app, as deployed)
 * runs as its own {@code java -jar} process on a free port against a real PostgreSQL, is stopped with SIGTERM and
 * started again as a new process on the same port and database. The page in headless Chromium must notice the
 * outage (Reconnecting/Offline), reconnect by itself to the new process without being reloaded, resume with
 * {@code Last-Event-ID} from the database (the new process has no memory of the old one's stream), and so show an
 * update made on the new process before the page was back, then live updates again.
 *
 * <p>Unlike {@code DashboardBrowserTest}, which drops the streams inside one running service, nothing here is
 * simulated except one thing: from just before the new process starts until that first update is made, Chromium is
 * held offline (DevTools network emulation), so the update is certainly made while the page is away; otherwise it
 * would race the browser's 3 s retry. Before that the browser meets the real closed port for longer than one retry.
 */
class DashboardRestartIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path LOGS = Path.of("target", "dashboard-restart-it");
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration STOP = Duration.ofSeconds(30);
    private static final Duration PAGE = Duration.ofSeconds(30);
    private static final String MARK = "marked before the restart";

    static Browser browser;
    static PostgresTestResource postgres;
    static Map<String, String> datasource;
    static int port;
    static Process app;
    static Path log;
    static int runs;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void setUp() throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is missing: this test runs the packaged "
                + "application, so run it through `./mvnw verify` (package comes first)");
        browser = Browser.start(); // fails with the install command when chromium or chromedriver is missing
        postgres = new PostgresTestResource();
        datasource = postgres.start();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(LOGS);
        // Never leave a service running if the test JVM is stopped half way.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (app != null) {
                app.destroyForcibly();
            }
        }));
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (app != null && app.isAlive()) {
                app.destroy();
                if (!app.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                    app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            try {
                if (browser != null) {
                    browser.close();
                }
            } finally {
                if (postgres != null) {
                    postgres.stop();
                }
            }
        }
    }

    @Test
    void afterARealRestartThePageReconnectsByItselfAndCatchesUp() throws Exception {
        startService();
        browser.open(base() + "/#/");
        browser.awaitLive(); // also waits for the first load of the list, which may finish after the stream is live
        browser.js("window.__notReloaded = arguments[0];", MARK);
        long loads = number("return window.statusTracker.loads");

        // A request arrives while the page is open: its card appears live.
        int frieren = deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-pending.json"));
        int perfectBlue = deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json"));
        awaitPage(() -> {
            assertEquals("Requested", browser.text(card(frieren) + " .badge.state"));
            assertEquals("Approved", browser.text(card(perfectBlue) + " .badge.state"));
        });
        String seenBeforeRestart = (String) browser.js("return window.statusTracker.lastEventId");
        assertNotNull(seenBeforeRestart, "the page has no stream position to resume from");

        // The service stops (SIGTERM, as docker stop does) and stays down for longer than the browser's 3 s retry:
        // the page says it lost the connection, all the time, and keeps its cards.
        stopService();
        awaitPage(() -> assertTrue(List.of("reconnecting", "offline").contains(state()),
                "the page did not notice that the service stopped: " + state()));
        Awaitility.await("the indicator while the service is down").atMost(Duration.ofSeconds(20))
                .during(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100))
                .until(() -> List.of("reconnecting", "offline").contains(state())
                        && browser.text("#conn").matches("Reconnecting…|Offline, retrying in \\d+ s"));
        assertEquals("Requested", browser.text(card(frieren) + " .badge.state"));

        // A new process on the same port and database; the first update is made the moment it is ready, before
        // the page can be back (the browser is held offline until then, see the class comment).
        browser.cdp("Network.enable", Map.of());
        offline(true);
        int approved;
        try {
            startService();
            approved = deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-approved.json"));
            assertEquals(frieren, approved, "the approval joins the same request");
            assertEquals(0, sseClients(), "a dashboard was connected when the update was made: this proves nothing");
            assertFalse("live".equals(state()), "the page was live again before the update was made");
        } finally {
            offline(false);
        }

        // Then the page reconnects by itself, resumes where it was and shows what it missed: no reload, no reset,
        // the list is not fetched again.
        awaitPage(() -> {
            assertEquals("live", state(), "the page did not reconnect to the new process by itself");
            assertEquals("Approved", browser.text(card(frieren) + " .badge.state"),
                    "the update made on the new process while the page was away did not reach it");
        });
        assertEquals(MARK, browser.js("return window.__notReloaded"), "the page was reloaded");
        assertEquals(Long.parseLong(seenBeforeRestart), number("return window.statusTracker.resumedAfter"),
                "the page did not resume from where it was before the restart");
        assertEquals(0L, number("return window.statusTracker.resets"), "the new process could not resume the stream");
        assertEquals(loads, number("return window.statusTracker.loads"),
                "caught up from the resumed stream, not by loading the list again");
        List<?> states = (List<?>) browser.js("return window.statusTracker.states");
        assertTrue(states.contains("reconnecting") || states.contains("offline"), String.valueOf(states));
        assertEquals("Live", browser.text("#conn"));
        assertEquals(1L, sseClients(), "the page's stream on the new process");

        // And it is live on the new process: an update made now patches the card as it happens.
        deliver("radarr", Payload.of("protocol/radarr-grab.json"));
        awaitPage(() -> assertEquals("Grabbed", browser.text(card(perfectBlue) + " .badge.state"),
                "a live update on the new process did not reach the page"));
        assertEquals("Approved", browser.text(card(frieren) + " .badge.state"));
        assertEquals(MARK, browser.js("return window.__notReloaded"), "the page was reloaded");
        assertEquals(loads, number("return window.statusTracker.loads"));
        List<String> errors = scriptErrors();
        assertTrue(errors.isEmpty(), "the page logged script errors: " + errors);
        System.out.println("dashboard restart: connection states " + states + ", connects "
                + browser.js("return window.statusTracker.connects") + "; service logs in " + LOGS);
    }

    // --- the service process --------------------------------------------------------------------------------------

    /** Starts target/quarkus-app as its own JVM with nothing but the port and the QUARKUS_DATASOURCE_* variables. */
    static void startService() {
        assertTrue(app == null || !app.isAlive(), "the service is still running");
        assertFalse(listening(), "port " + port + " is taken by something else");
        runs++;
        log = LOGS.resolve("run-" + runs + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", JAR.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", datasource.get("quarkus.datasource.reactive.url"));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", datasource.get("quarkus.datasource.jdbc.url"));
        env.put("QUARKUS_DATASOURCE_USERNAME", datasource.get("quarkus.datasource.username"));
        env.put("QUARKUS_DATASOURCE_PASSWORD", datasource.get("quarkus.datasource.password"));
        try {
            app = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + java + " -jar " + JAR, e);
        }
        Awaitility.await("the service (run " + runs + ") to be ready on port " + port).atMost(START)
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (!app.isAlive()) {
                        fail("the service exited with " + app.exitValue() + " while starting:\n" + tail());
                    }
                    return status("/q/health/ready") == 200;
                });
    }

    /** SIGTERM, then waits until the process has exited and the port is closed. */
    static void stopService() throws InterruptedException {
        app.destroy(); // SIGTERM: Quarkus shuts down gracefully and closes the dashboards' streams
        if (!app.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
            app.destroyForcibly();
            fail("the service did not stop within " + STOP.toSeconds() + " s of SIGTERM:\n" + tail());
        }
        assertFalse(listening(), "port " + port + " still answers after the service exited");
        assertTrue(tail().contains("status-tracker stopped in"), "the service did not shut down gracefully "
                + "(exit " + app.exitValue() + "):\n" + tail());
    }

    static boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (ConnectException e) {
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static String base() {
        return "http://localhost:" + port;
    }

    static int deliver(String service, Payload payload) {
        return given().baseUri(base()).contentType("application/json").body(payload.toString())
                .post("/hooks/" + service).then().statusCode(200).extract().path("request_id");
    }

    static long sseClients() {
        return given().baseUri(base()).get("/api/health").then().statusCode(200).extract().<Integer>path("sse_clients");
    }

    // --- the page ---------------------------------------------------------------------------------------------------

    static String card(int id) {
        return ".card[data-id='" + id + "']";
    }

    static String state() {
        return (String) browser.js("return window.statusTracker && window.statusTracker.state");
    }

    static long number(String script) {
        return ((Number) browser.js(script)).longValue();
    }

    static void awaitPage(ThrowingRunnable assertions) {
        Awaitility.await().atMost(PAGE).pollInterval(Duration.ofMillis(50)).ignoreExceptions().untilAsserted(assertions);
    }

    static void offline(boolean offline) {
        browser.cdp("Network.emulateNetworkConditions", Map.of("offline", offline, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", -1));
    }

    /** Script errors; the refused and cut stream connections of the outage are network errors, not script errors. */
    static List<String> scriptErrors() {
        List<String> errors = new ArrayList<>();
        for (String e : browser.scriptErrors()) {
            if (!(e.contains("/api/sse") && e.contains("net::ERR_"))) {
                errors.add(e);
            }
        }
        return errors;
    }
}
