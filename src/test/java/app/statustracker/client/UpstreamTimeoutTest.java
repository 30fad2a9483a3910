package app.statustracker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;

/** An upstream that never answers is reported as such, once: a timeout is not retried (it would double the wait). */
@QuarkusTest
class UpstreamTimeoutTest {

    @Test
    void aSilentUpstreamTimesOutWithoutARetry() {
        Vertx vertx = Vertx.vertx();
        AtomicInteger hits = new AtomicInteger();
        var server = vertx.createHttpServer().requestHandler(request -> hits.incrementAndGet())
                .listenAndAwait(0, "127.0.0.1");
        try {
            UpstreamHttp<SonarrApi> http = new UpstreamHttp<>("sonarr", "SONARR_API_KEY",
                    "http://127.0.0.1:" + server.actualPort(), "k3y-secret", "k3y-secret", Duration.ofSeconds(1),
                    SonarrApi.class, vertx, FakeUpstream.MAPPER);
            UpstreamException e = assertThrows(UpstreamException.class,
                    () -> http.getJson("/api/v3/episode", (api, key) -> api.episodes(1, key))
                            .await().atMost(Duration.ofSeconds(20)));
            assertTrue(e.getMessage().contains("no answer within 1 s"), e.getMessage());
            assertTrue(!e.getMessage().contains("k3y-secret") && !e.getMessage().contains("seriesId"), e.getMessage());
            assertEquals(1, hits.get(), "asked once");
        } finally {
            server.closeAndAwait();
            vertx.closeAndAwait();
        }
    }
}
