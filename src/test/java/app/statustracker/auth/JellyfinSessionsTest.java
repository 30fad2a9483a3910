package app.statustracker.auth;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.client.JellyfinClient;
import app.statustracker.config.TrackerConfig;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;

/**
 * The session cache against a Jellyfin that is slow to confirm a token: a logout meanwhile wins. A Quarkus test only
 * because the REST client needs the running application.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class JellyfinSessionsTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    private Vertx vertx;
    private HttpServer jellyfin;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        // /Users/Me answers after 500 ms, as a busy Jellyfin might
        jellyfin = vertx.createHttpServer().requestHandler(req -> vertx.setTimer(500, t -> req.response()
                .putHeader("Content-Type", "application/json")
                .endAndForget("{\"Id\":\"4f1c0c4e9d2b4c1e8f0a1b2c3d4e5f60\",\"Name\":\"couch\","
                        + "\"Policy\":{\"IsAdministrator\":false}}")))
                .listenAndAwait(0, "127.0.0.1");
    }

    @AfterEach
    void stop() {
        jellyfin.closeAndAwait();
        vertx.closeAndAwait();
    }

    private static TrackerConfig.Auth auth() {
        return new TrackerConfig.Auth() {
            @Override
            public Access dashboardAccess() {
                return Access.LOGIN;
            }

            @Override
            public Duration cacheFor() {
                return Duration.ofSeconds(60);
            }

            @Override
            public Duration grace() {
                return Duration.ofMinutes(15);
            }

            @Override
            public int maxFailures() {
                return 3;
            }

            @Override
            public Duration lockout() {
                return Duration.ofMinutes(15);
            }

            @Override
            public Duration sessionMaxAge() {
                return Duration.ofDays(30);
            }
        };
    }

    @Test
    void aLogoutWhileJellyfinConfirmsTheTokenIsNotUndoneByTheConfirmation() {
        JellyfinClient client = new JellyfinClient("http://127.0.0.1:" + jellyfin.actualPort(), "jf-test-key-7777",
                vertx, new ObjectMapper());
        List<SessionEnded> ended = new CopyOnWriteArrayList<>();
        JellyfinSessions sessions = new JellyfinSessions(client, auth(), List.of(), Clock.systemUTC(), ended::add);

        Uni<JellyfinSessions.Result> checking = sessions.resolve(TOKEN).memoize().indefinitely();
        checking.subscribe().with(r -> { }, f -> { });
        sessions.forget(TOKEN); // the logout, while Jellyfin has not answered yet

        assertInstanceOf(JellyfinSessions.Invalid.class, checking.await().atMost(Duration.ofSeconds(5)),
                "Jellyfin's late 'yes' must not bring the logged-out token back");
        assertInstanceOf(JellyfinSessions.Invalid.class, sessions.resolve(TOKEN).await().atMost(Duration.ofSeconds(5)),
                "and it stays out");
        org.junit.jupiter.api.Assertions.assertEquals(1, ended.size());
    }
}
