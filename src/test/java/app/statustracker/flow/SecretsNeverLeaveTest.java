package app.statustracker.flow;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import app.statustracker.auth.SessionCookie;
import app.statustracker.service.DownloadProgress;
import app.statustracker.service.JellyfinVerification;
import app.statustracker.service.Reconciler;
import app.statustracker.service.TimeoutCheck;
import app.statustracker.support.Database;
import app.statustracker.support.FakeArr;
import app.statustracker.support.FakeJellyfinUsers;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import app.statustracker.support.SseTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

/**
 * Secrets never leave (issue 7): with a distinctive value for every key, password, webhook secret and login token,
 * the flows run end to end — webhooks of every source, the scheduled checks, upstreams failing, logins, the admin
 * actions, a deletion — and then no API answer, page, SSE event or log line (any level, exceptions included) may
 * contain any of them.
 */
@QuarkusTest
@TestProfile(SecretsNeverLeaveTest.Distinctive.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class SecretsNeverLeaveTest {

    static final String QBIT_PASSWORD = "qbit-pw-SECRET-5a1c9e";
    static final String SHOKO_KEY = "shoko-key-SECRET-77e0d2";
    static final String HOOK_SECRET = "hook-SECRET-c41f08b2";

    public static class Distinctive implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // qBittorrent and Shoko point at the fake server too, which refuses them: their failures get logged.
            return Map.ofEntries(Map.entry("tracker.qbittorrent.host", "127.0.0.1"),
                    Map.entry("tracker.qbittorrent.port", "${tracker.jellyfin.port}"),
                    Map.entry("tracker.qbittorrent.username", "tracker"),
                    Map.entry("tracker.qbittorrent.password", QBIT_PASSWORD),
                    Map.entry("tracker.shoko.host", "127.0.0.1"), Map.entry("tracker.shoko.port", "${tracker.jellyfin.port}"),
                    Map.entry("tracker.shoko.api-key", SHOKO_KEY), Map.entry("tracker.webhook.secret", HOOK_SECRET),
                    Map.entry("tracker.deletion-sync.enabled", "true"));
        }
    }

    @Inject
    Database db;
    @Inject
    Reconciler reconciler;
    @Inject
    JellyfinVerification verification;
    @Inject
    TimeoutCheck timeouts;
    @Inject
    DownloadProgress downloads;
    @TestHTTPResource("/")
    URL base;

    /** Every log line at every level, with the messages of its exception chain. */
    private static final class AllLogs extends Handler {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord r) {
            StringBuilder line = new StringBuilder(r instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                    : String.valueOf(r.getMessage()));
            for (Throwable t = r.getThrown(); t != null; t = t.getCause() == t ? null : t.getCause()) {
                line.append(" | ").append(t);
                for (StackTraceElement e : t.getStackTrace()) {
                    line.append(' ').append(e);
                }
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static RequestSpecification hook() {
        return given().contentType("application/json").queryParam("token", HOOK_SECRET);
    }

    @Test
    void noKeyPasswordSecretOrTokenAppearsInAnAnswerAPageAnEventOrALogLine() throws Exception {
        db.clean();
        FakeMediaServer.reset();
        AllLogs logs = new AllLogs();
        logs.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(logs);
        // The tracker's debug lines too. Set here and put back after: a log level set through a test profile's
        // config outlives that profile's application and would change the next test class's logs.
        Logger tracker = Logger.getLogger("app.statustracker");
        Level trackerLevel = tracker.getLevel();
        tracker.setLevel(Level.FINE);
        List<String> answers = new ArrayList<>();
        try (SseTestClient sse = SseTestClient.connect(base, null)) {
            // a login (password in the body) and a script's token
            Response login = given().contentType("application/json").body(Map.of("username",
                    FakeJellyfinUsers.ADMIN.name(), "password", FakeJellyfinUsers.ADMIN.password())).post("/api/auth/login");
            answers.add(login.asString());
            String cookie = login.cookie(SessionCookie.NAME);
            String origin = "http://localhost:" + base.getPort();
            answers.add(given().contentType("application/json").body(Map.of("username", "jf-admin", "password",
                    FakeJellyfinUsers.VIEWER.password())).post("/api/auth/login").asString()); // wrong password

            // webhooks of every source, each carrying the secret the way that upstream can
            answers.add(hook().body(Paprika.request().toString()).post("/hooks/jellyseerr").asString());
            answers.add(given().contentType("application/json").auth().preemptive().basic("radarr", HOOK_SECRET)
                    .body(Paprika.grab().toString()).post("/hooks/radarr").asString());
            answers.add(hook().body(Scenario.qbitFinished(Paprika.HASH.toLowerCase(), "Paprika.2006").toString())
                    .post("/hooks/qbittorrent").asString());
            answers.add(given().contentType("application/json").header("Authorization", "Bearer " + HOOK_SECRET)
                    .body(Paprika.imported().toString()).post("/hooks/radarr").asString());
            answers.add(given().contentType("application/json").header("X-Webhook-Secret", HOOK_SECRET + "-wrong")
                    .body(Paprika.inJellyfin().toString()).post("/hooks/jellyfin").asString()); // refused

            // the scheduled checks, with Radarr failing and Jellyfin down part of the time
            FakeArr.RADARR.failWith = 500;
            reconciler.run().await().atMost(Duration.ofSeconds(30));
            FakeArr.RADARR.failWith = null;
            reconciler.run().await().atMost(Duration.ofSeconds(30));
            FakeMediaServer.jellyfinDown();
            verification.run().await().atMost(Duration.ofSeconds(30));
            FakeMediaServer.jellyfinUp();
            verification.run().await().atMost(Duration.ofSeconds(30));
            timeouts.run().await().atMost(Duration.ofSeconds(30));
            downloads.cycle().onFailure().recoverWithNull().await().atMost(Duration.ofSeconds(30));

            // the admin actions and a deletion that fails at Radarr
            long id = db.count("SELECT min(id) FROM media_request");
            RequestSpecification admin = given().cookie(SessionCookie.NAME, cookie).header("Origin", origin)
                    .contentType("application/json");
            answers.add(admin.post("/api/requests/" + id + "/verify").asString());
            answers.add(given().cookie(SessionCookie.NAME, cookie).header("Origin", origin)
                    .post("/api/admin/library-import").asString());
            FakeMediaServer.movie(Paprika.JELLYFIN_ITEM, "Paprika", 2006, 4977);
            FakeArr.RADARR.failWith = 500;
            answers.add(given().cookie(SessionCookie.NAME, cookie).header("Origin", origin).contentType("application/json")
                    .body("{\"delete_files\":true}").post("/api/requests/" + id + "/delete").asString());
            Thread.sleep(2_000);
            FakeArr.RADARR.failWith = null;

            // everything a user or an admin can read
            for (String path : new String[] { "/api/requests", "/api/requests/active", "/api/requests/" + id,
                    "/api/requests/" + id + "/episodes", "/api/history", "/api/stats", "/api/events?per_page=100",
                    "/api/health", "/api/dashboard", "/api/auth/session", "/api/deletion-logs",
                    "/api/deletion-logs/" + db.count("SELECT coalesce(max(id), 0) FROM deletion_log"), "/hooks",
                    "/q/openapi", "/", "/index.html", "/app.js", "/app.css" }) {
                answers.add(given().cookie(SessionCookie.NAME, cookie).get(path).asString());
                answers.add(given().get(path).asString());
            }
            answers.add(given().cookie(SessionCookie.NAME, cookie).header("Origin", origin).post("/api/auth/logout")
                    .asString());
            Thread.sleep(500);
            List<String> streamed = new ArrayList<>();
            sse.drainEvents().forEach(f -> streamed.add(f.event() + " " + f.data()));
            try (SseTestClient replay = SseTestClient.connect(base, 0L)) {
                Thread.sleep(500);
                replay.drainEvents().forEach(f -> streamed.add(f.event() + " " + f.data()));
            }
            assertTrue(streamed.size() > 5, "the stream carried the flows: " + streamed.size());
            answers.addAll(streamed);
        } finally {
            root.removeHandler(logs);
            tracker.setLevel(trackerLevel);
        }
        assertTrue(logs.lines.size() > 20, "the flows were logged: " + logs.lines.size());
        assertTrue(answers.stream().anyMatch(a -> a.contains("jf-admin")), "the answers were collected");

        List<String> secrets = new ArrayList<>(List.of(FakeMediaServer.JELLYFIN_KEY, FakeMediaServer.SONARR_KEY,
                FakeMediaServer.RADARR_KEY, FakeMediaServer.JELLYSEERR_KEY, QBIT_PASSWORD, SHOKO_KEY, HOOK_SECRET,
                FakeJellyfinUsers.ADMIN.password(), FakeJellyfinUsers.VIEWER.password(),
                Base64.getEncoder().encodeToString(("radarr:" + HOOK_SECRET).getBytes(StandardCharsets.UTF_8))));
        secrets.addAll(FakeJellyfinUsers.ISSUED);
        List<String> leaks = new ArrayList<>();
        for (String secret : secrets) {
            answers.stream().filter(a -> a.contains(secret)).findFirst()
                    .ifPresent(a -> leaks.add("answer/page/event contains " + secret + ": " + cut(a, secret)));
            logs.lines.stream().filter(l -> l.contains(secret)).findFirst()
                    .ifPresent(l -> leaks.add("log contains " + secret + ": " + cut(l, secret)));
        }
        assertEquals(List.of(), leaks);
    }

    private static String cut(String text, String secret) {
        int at = text.indexOf(secret);
        return text.substring(Math.max(0, at - 200), Math.min(text.length(), at + secret.length() + 100));
    }
}
