package app.statustracker.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.support.Database;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;

/**
 * Every route that changes something needs an admin (issue 7). The routes are read from the service's own OpenAPI
 * document, so a route added later is covered without touching this test: without a login each answers 401, as a
 * logged-in non-admin 403, and the database is unchanged either way.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class AdminRoutesTest {

    /** Open to everyone on purpose: logging in and out. Webhooks (/hooks) have their own secret. */
    private static final Set<String> OPEN = Set.of("POST /api/auth/login", "POST /api/auth/logout");
    /** Admin-only reads: raw events and the deletion log. */
    private static final List<String> ADMIN_READS = List.of("GET /api/events", "GET /api/deletion-logs",
            "GET /api/deletion-logs/1", "GET /api/requests/1/delete-preview");

    @Inject
    Database db;

    @BeforeEach
    void clean() {
        db.clean();
    }

    private static List<String> mutatingRoutes() throws Exception {
        JsonNode paths = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi").asString())
                .path("paths");
        List<String> routes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (String method : List.of("post", "put", "patch", "delete")) {
                String route = method.toUpperCase() + " " + path.getKey();
                if (path.getValue().has(method) && path.getKey().startsWith("/api/") && !OPEN.contains(route)) {
                    routes.add(route);
                }
            }
        }
        return routes;
    }

    private static int call(String route) {
        String[] parts = route.split(" ", 2);
        String path = parts[1].replaceAll("\\{[^}]+}", "1");
        return given().contentType("application/json").body("{\"request_ids\":[1],\"delete_files\":true}")
                .request(parts[0], path).statusCode();
    }

    private long rows() {
        return db.count("SELECT count(*) FROM media_request") + db.count("SELECT count(*) FROM inbound_event")
                + db.count("SELECT count(*) FROM deletion_log");
    }

    @Test
    void withoutALoginEveryMutatingRouteAndAdminReadIs401() throws Exception {
        List<String> routes = mutatingRoutes();
        assertTrue(routes.containsAll(List.of("POST /api/requests/{id}/retry", "POST /api/requests/{id}/verify",
                "POST /api/requests/{id}/delete", "POST /api/requests/bulk-delete", "POST /api/deletion-logs/{id}/retry",
                "POST /api/admin/library-import")), routes.toString());
        List<String> wrong = new ArrayList<>();
        for (String route : concat(routes, ADMIN_READS)) {
            int status = call(route);
            if (status != 401) {
                wrong.add(route + " -> " + status);
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(0, rows());
    }

    @Test
    @TestSecurity(user = "couch", roles = { "user" })
    void asANonAdminEveryMutatingRouteAndAdminReadIs403() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String route : concat(mutatingRoutes(), ADMIN_READS)) {
            int status = call(route);
            if (status != 403) {
                wrong.add(route + " -> " + status);
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(0, rows());
    }

    @Test
    @TestSecurity(user = "jf-admin", roles = { "user", "admin" })
    void asAnAdminTheyAreReachedAndAnswerForThemselves() throws Exception {
        // No such request: each route itself answers (404 or 400; the import 503: no Jellyfin configured here), none
        // is refused for want of rights, none fails.
        List<String> wrong = new ArrayList<>();
        for (String route : concat(mutatingRoutes(), ADMIN_READS)) {
            int status = call(route);
            if (status == 401 || status == 403 || status == 500) {
                wrong.add(route + " -> " + status);
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
