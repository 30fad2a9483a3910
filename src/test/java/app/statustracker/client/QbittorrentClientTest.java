package app.statustracker.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.client.QbittorrentClient.Torrent;
import app.statustracker.config.TrackerConfig;
import app.statustracker.support.QbittorrentNox;
import io.vertx.mutiny.core.Vertx;

/** The qBittorrent client against a real qbittorrent-nox (Debian's 4.5), not a fake. */
class QbittorrentClientTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final QbittorrentNox NOX = new QbittorrentNox();

    @TempDir
    Path dir;
    Vertx vertx;

    @BeforeAll
    static void startQbittorrent() {
        NOX.start();
    }

    @AfterAll
    static void stopQbittorrent() {
        NOX.stop();
    }

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        vertx.closeAndAwait();
    }

    private QbittorrentClient client(int port, String password) {
        TrackerConfig.QbittorrentConfig config = new TrackerConfig.QbittorrentConfig() {
            @Override
            public Optional<String> host() {
                return Optional.of("127.0.0.1");
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String username() {
                return QbittorrentNox.USER;
            }

            @Override
            public Optional<String> password() {
                return Optional.of(password);
            }

            @Override
            public Duration pollActive() {
                return Duration.ofSeconds(3);
            }

            @Override
            public Duration pollIdle() {
                return Duration.ofSeconds(15);
            }

            @Override
            public Duration stalledAfter() {
                return Duration.ofMinutes(30);
            }
        };
        return new QbittorrentClient(config, new ObjectMapper(), vertx);
    }

    private Torrent awaitTorrent(QbittorrentClient client, String hash, java.util.function.Predicate<Torrent> until) {
        return await().atMost(WAIT).until(() -> client.torrents(List.of(hash)).await().atMost(WAIT).stream()
                .findFirst().orElse(null), t -> t != null && until.test(t));
    }

    @Test
    void logsInAndReadsATorrentItReallyHoldsCompleteAtOnce() throws Exception {
        // a torrent whose data is already on disk (Radarr re-grabbing something it has): complete without a peer
        String hash = NOX.addTorrent(dir, "Paprika.2006.1080p.BluRay.mkv", 300_000, dir);
        QbittorrentClient client = client(NOX.port(), QbittorrentNox.PASSWORD);

        // asked with the upper-case hash Radarr sends, and one qBittorrent does not hold
        Torrent t = awaitTorrent(client, hash.toUpperCase(Locale.ROOT), Torrent::finished);
        List<Torrent> both = client.torrents(List.of(hash.toUpperCase(Locale.ROOT),
                "0123456789abcdef0123456789abcdef01234567")).await().atMost(WAIT);

        assertEquals(1, both.size(), "only what it holds");
        assertEquals(hash, t.hash());
        assertEquals("Paprika.2006.1080p.BluRay.mkv", t.name());
        assertEquals(1.0, t.progress());
        assertEquals(300_000, t.size());
        assertEquals(0, t.amountLeft());
        assertTrue(List.of("stalledUP", "uploading", "queuedUP", "checkingUP").contains(t.state()), t.state());
    }

    @Test
    void aTorrentWithoutItsDataAndWithoutPeersStaysAtZero() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("incomplete"));
        String hash = NOX.addTorrent(dir, "Spirited.Away.2001.mkv", 200_000, elsewhere);
        QbittorrentClient client = client(NOX.port(), QbittorrentNox.PASSWORD);

        Torrent t = awaitTorrent(client, hash, x -> x.state().endsWith("DL"));

        assertFalse(t.finished());
        assertEquals(0.0, t.progress());
        assertEquals(0, t.seeds());
        assertEquals(0, t.downloadSpeed());
    }

    @Test
    void logsInAgainWhenQbittorrentRestartedAndItsSessionIsGone() {
        QbittorrentClient client = client(NOX.port(), QbittorrentNox.PASSWORD);
        assertTrue(client.version().await().atMost(WAIT).startsWith("v"));

        NOX.restart(); // sessions live in memory: the client's cookie is now refused with 403

        assertTrue(client.version().await().atMost(WAIT).startsWith("v"), "a new login, then the answer");
    }

    @Test
    void aRefusedPasswordNamesTheSettingsAndNeverTheSecret() {
        String wrong = "Not-The-Password-7f3a";
        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client(NOX.port(), wrong).version().await().atMost(WAIT));

        assertTrue(e.getMessage().contains("QBIT_USERNAME and QBIT_PASSWORD"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong));
    }

    @Test
    void qbittorrent52sLoginAnswers204WithACookieNamedAfterItsPort() {
        // 5.2 changed the login (protocols.md §4.1): 204 instead of "Ok.", QBT_SID_<port> instead of SID, 401 when
        // refused. Not in Debian 12, so faked at the HTTP level with exactly those answers.
        io.vertx.mutiny.core.http.HttpServer fake = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/api/v2/auth/login")) {
                boolean right = "POST".equals(req.method().name());
                req.response().setStatusCode(right ? 204 : 405).putHeader("Set-Cookie",
                        "QBT_SID_8080=52sess10n; HttpOnly; SameSite=Strict; path=/").endAndForget();
            } else if ("QBT_SID_8080=52sess10n".equals(req.getHeader("Cookie"))) {
                req.response().endAndForget("v5.2.3");
            } else {
                req.response().setStatusCode(403).endAndForget("Forbidden");
            }
        }).listenAndAwait(0, "127.0.0.1");
        try {
            assertEquals("v5.2.3", client(fake.actualPort(), QbittorrentNox.PASSWORD).version().await().atMost(WAIT));
        } finally {
            fake.closeAndAwait();
        }
        io.vertx.mutiny.core.http.HttpServer refusing = vertx.createHttpServer()
                .requestHandler(req -> req.response().setStatusCode(401).endAndForget())
                .listenAndAwait(0, "127.0.0.1");
        try {
            UpstreamException e = assertThrows(UpstreamException.class,
                    () -> client(refusing.actualPort(), "wrong").version().await().atMost(WAIT));
            assertTrue(e.getMessage().contains("QBIT_PASSWORD"), e.getMessage());
        } finally {
            refusing.closeAndAwait();
        }
    }

    /** What the setup doctor asks qBittorrent at once. */
    private static List<io.smallrye.mutiny.Uni<Object>> burst(QbittorrentClient client) {
        return List.of(client.version().map(v -> (Object) v), client.preferences().map(p -> (Object) p),
                client.categories().map(c -> (Object) c), client.preferences().map(p -> (Object) p),
                client.categories().map(c -> (Object) c), client.version().map(v -> (Object) v));
    }

    @Test
    void callsMadeAtOnceShareOneLoginSoAWrongPasswordCountsOnce() {
        // qBittorrent bans an address after five failed logins: a burst of calls must not be five failures.
        java.util.concurrent.atomic.AtomicInteger logins = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean accept = new java.util.concurrent.atomic.AtomicBoolean();
        io.vertx.mutiny.core.http.HttpServer fake = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/api/v2/auth/login")) {
                logins.incrementAndGet();
                // answered a little later, so that every call of the burst finds the login on its way
                vertx.setTimer(300, t -> {
                    if (accept.get()) {
                        req.response().putHeader("Set-Cookie", "SID=burst; HttpOnly; path=/").endAndForget("Ok.");
                    } else {
                        req.response().endAndForget("Fails.");
                    }
                });
            } else if ("SID=burst".equals(req.getHeader("Cookie"))) {
                req.response().endAndForget(req.path().endsWith("/version") ? "v4.6.7" : "{}");
            } else {
                req.response().setStatusCode(403).endAndForget("Forbidden");
            }
        }).listenAndAwait(0, "127.0.0.1");
        try {
            QbittorrentClient refused = client(fake.actualPort(), "wrong");
            assertThrows(RuntimeException.class, () -> io.smallrye.mutiny.Uni.join().all(burst(refused))
                    .andCollectFailures().await().atMost(WAIT));
            assertEquals(1, logins.get(), "six calls at once, one failed login");

            accept.set(true);
            logins.set(0);
            QbittorrentClient right = client(fake.actualPort(), QbittorrentNox.PASSWORD);
            List<Object> answers = io.smallrye.mutiny.Uni.join().all(burst(right)).andFailFast().await().atMost(WAIT);
            assertEquals(6, answers.size());
            assertEquals(1, logins.get(), "every call of the burst used the one session");
        } finally {
            fake.closeAndAwait();
        }
    }

    @Test
    void afterTheSessionEndedABurstLogsInOnceEvenWhenARefusalArrivesLate() {
        // qBittorrent restarted: every call of the burst is refused (403) with the old session, one of them (a slow
        // answer) only after the others have logged in again. It must use that new session, not log in once more.
        java.util.concurrent.atomic.AtomicInteger logins = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> valid = new java.util.concurrent.atomic.AtomicReference<>();
        io.vertx.mutiny.core.http.HttpServer fake = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/api/v2/auth/login")) {
                String session = "SID=s" + logins.incrementAndGet();
                vertx.setTimer(100, t -> {
                    valid.set(session);
                    req.response().putHeader("Set-Cookie", session + "; HttpOnly; path=/").endAndForget("Ok.");
                });
                return;
            }
            boolean ok = req.getHeader("Cookie") != null && req.getHeader("Cookie").equals(valid.get());
            long delay = req.path().endsWith("/version") ? 600 : 1;
            vertx.setTimer(delay, t -> {
                if (ok) {
                    req.response().endAndForget(req.path().endsWith("/version") ? "v4.6.7" : "{}");
                } else {
                    req.response().setStatusCode(403).endAndForget("Forbidden");
                }
            });
        }).listenAndAwait(0, "127.0.0.1");
        try {
            QbittorrentClient client = client(fake.actualPort(), QbittorrentNox.PASSWORD);
            assertEquals("v4.6.7", client.version().await().atMost(WAIT));
            assertEquals(1, logins.get());
            valid.set(null); // the restart: the session is gone

            List<Object> answers = io.smallrye.mutiny.Uni.join().all(burst(client)).andFailFast().await().atMost(WAIT);
            assertEquals(6, answers.size());
            assertEquals(2, logins.get(), "one login for the burst after the restart");
        } finally {
            fake.closeAndAwait();
        }
    }

    @Test
    void qbittorrentNotRunningIsAClearFailure() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client(closed, QbittorrentNox.PASSWORD).torrents(List.of("abc")).await().atMost(WAIT));

        assertTrue(e.getMessage().startsWith("qbittorrent login failed"), e.getMessage());
        assertFalse(e.getMessage().contains(QbittorrentNox.PASSWORD));
    }

    @Test
    void deletingATorrentWithItsDataRemovesBoth() throws Exception {
        String hash = NOX.addTorrent(dir, "Tokyo.Godfathers.2003.mkv", 200_000, dir);
        QbittorrentClient client = client(NOX.port(), QbittorrentNox.PASSWORD);
        awaitTorrent(client, hash, Torrent::finished);

        // asked with the upper-case hash Sonarr and Radarr send
        client.deleteTorrents(List.of(hash.toUpperCase(Locale.ROOT)), true).await().atMost(WAIT);

        await().atMost(WAIT).until(() -> client.torrents(List.of(hash)).await().atMost(WAIT).isEmpty());
        await().atMost(WAIT).until(() -> !Files.exists(dir.resolve("Tokyo.Godfathers.2003.mkv")));
    }

    @Test
    void deletingATorrentWithoutItsDataKeepsTheFiles() throws Exception {
        String hash = NOX.addTorrent(dir, "Millennium.Actress.2001.mkv", 200_000, dir);
        QbittorrentClient client = client(NOX.port(), QbittorrentNox.PASSWORD);
        awaitTorrent(client, hash, Torrent::finished);

        client.deleteTorrents(List.of(hash, "0123456789abcdef0123456789abcdef01234567"), false).await().atMost(WAIT);

        await().atMost(WAIT).until(() -> client.torrents(List.of(hash)).await().atMost(WAIT).isEmpty());
        assertTrue(Files.exists(dir.resolve("Millennium.Actress.2001.mkv")), "the data stays");
        // nothing to delete: no call at all
        client.deleteTorrents(List.of(), true).await().atMost(WAIT);
    }

    @Test
    void aDeleteAfterQbittorrentRestartedLogsInAgainFirst() throws Exception {
        String hash = NOX.addTorrent(dir, "Perfect.Blue.1997.mkv", 200_000, dir);
        QbittorrentClient client = client(NOX.port(), QbittorrentNox.PASSWORD);
        awaitTorrent(client, hash, Torrent::finished);
        NOX.restart(); // the session is gone: the delete is refused (403, not done), logged in again and sent again

        client.deleteTorrents(List.of(hash), true).await().atMost(WAIT);

        await().atMost(WAIT).until(() -> client.torrents(List.of(hash)).await().atMost(WAIT).isEmpty());
    }

    @Test
    void readsItsCategoriesWithTheirSavePaths() throws Exception {
        NOX.category("tv-sonarr", "/data/downloads/tv-sonarr");
        NOX.category("radarr", "");
        QbittorrentClient client = client(NOX.port(), QbittorrentNox.PASSWORD);

        com.fasterxml.jackson.databind.JsonNode categories = client.categories().await().atMost(WAIT);

        assertEquals("/data/downloads/tv-sonarr", categories.path("tv-sonarr").path("savePath").asText());
        assertEquals("tv-sonarr", categories.path("tv-sonarr").path("name").asText());
        assertEquals("", categories.path("radarr").path("savePath").asText());
        assertFalse(categories.has("anime"));
    }
}
