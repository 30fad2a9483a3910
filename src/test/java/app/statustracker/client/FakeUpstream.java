package app.statustracker.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;

/** An upstream faked with a Vert.x HTTP server on a free port; records every request it gets. */
final class FakeUpstream implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** One request as the fake saw it; query parameters decoded, header names lower-cased. */
    record Call(String path, Map<String, String> params, Map<String, String> headers) {
        String param(String name) {
            return params.get(name);
        }
    }

    record Reply(int status, String body) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile Function<Call, Reply> handler = call -> new Reply(404, "{\"message\":\"Not Found\"}");

    FakeUpstream(Vertx vertx) {
        server = vertx.createHttpServer().requestHandler(request -> {
            Map<String, String> params = new LinkedHashMap<>();
            request.params().names().forEach(n -> params.put(n, request.params().get(n)));
            Map<String, String> headers = new LinkedHashMap<>();
            request.headers().names().forEach(n -> headers.put(n.toLowerCase(java.util.Locale.ROOT),
                    request.headers().get(n)));
            Call call = new Call(request.path(), params, headers);
            calls.add(call);
            Reply reply;
            try {
                reply = handler.apply(call);
            } catch (RuntimeException e) {
                reply = new Reply(599, "{\"fake\":\"" + e + "\"}");
            }
            request.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json; charset=utf-8")
                    .endAndForget(reply.body());
        }).listenAndAwait(0, "127.0.0.1");
    }

    FakeUpstream answer(Function<Call, Reply> handler) {
        this.handler = handler;
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    List<Call> callsTo(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.closeAndAwait();
    }

    static Reply ok(String body) {
        return new Reply(200, body);
    }

    static Reply ok(JsonNode body) {
        return new Reply(200, body.toString());
    }

    static Reply status(int status) {
        return new Reply(status, "{\"message\":\"HTTP " + status + "\"}");
    }

    /** A test resource under {@code client/}. */
    static String resource(String name) {
        return app.statustracker.support.Fixtures.resource("client/" + name);
    }

    static JsonNode json(String resourceName) {
        try {
            return MAPPER.readTree(resource(resourceName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A base URL where nothing listens. */
    static String closedPortUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
