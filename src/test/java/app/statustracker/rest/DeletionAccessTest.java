package app.statustracker.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.Database;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

/** Who may use the deletion routes (admins only), and clear answers to bad input: 400 or 404, never a 500. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class DeletionAccessTest {

    @Inject
    Database db;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
    }

    /** Every route this feature adds, called with a harmless valid-looking input. */
    private static List<Response> everyRoute() {
        return List.of(
                given().get("/api/requests/1/delete-preview"),
                json().body("{\"delete_files\":true}").post("/api/requests/1/delete"),
                json().body("{\"request_ids\":[1],\"delete_files\":true}").post("/api/requests/bulk-delete"),
                given().get("/api/deletion-logs"),
                given().get("/api/deletion-logs/1"),
                given().post("/api/deletion-logs/1/retry"));
    }

    private static RequestSpecification json() {
        return given().contentType("application/json");
    }

    @Test
    void anonymousCallersAreAskedToLogIn() {
        for (Response r : everyRoute()) {
            assertEquals(401, r.statusCode(), r.asString());
        }
        assertEquals(0, db.count("SELECT count(*) FROM deletion_log"));
    }

    @Test
    @TestSecurity(user = "viewer", roles = { "user" })
    void usersWhoAreNotAdminsAreRefused() {
        for (Response r : everyRoute()) {
            assertEquals(403, r.statusCode(), r.asString());
        }
        assertEquals(0, db.count("SELECT count(*) FROM deletion_log"));
    }

    @Test
    @TestSecurity(user = "admin-user", roles = { "user", "admin" },
            attributes = @SecurityAttribute(key = "jellyfin_user_id", value = "0f5e3c2a9b8d47e6a1c0d9e8f7a6b5c4"))
    void badInputIsAClear400() {
        String hundredAndOne = LongStream.rangeClosed(1, 101).mapToObj(String::valueOf)
                .collect(Collectors.joining(","));
        record Case(Response response, String detail) {
        }
        List<Case> cases = List.of(
                new Case(json().body("{not json").post("/api/requests/1/delete"), "not valid JSON"),
                new Case(json().body("[true]").post("/api/requests/1/delete"), "JSON object"),
                new Case(json().body("{\"delete_files\":\"yes\"}").post("/api/requests/1/delete"),
                        "delete_files must be true or false"),
                new Case(json().body("{}").post("/api/requests/bulk-delete"), "request_ids must be a list"),
                new Case(json().body("{\"request_ids\":[]}").post("/api/requests/bulk-delete"), "1 to 100"),
                new Case(json().body("{\"request_ids\":[" + hundredAndOne + "]}").post("/api/requests/bulk-delete"),
                        "1 to 100"),
                new Case(json().body("{\"request_ids\":[\"7\"]}").post("/api/requests/bulk-delete"), "whole numbers"),
                new Case(json().body("{\"request_ids\":[0]}").post("/api/requests/bulk-delete"), "whole numbers"),
                new Case(json().body("{\"request_ids\":[1],\"delete_files\":1}").post("/api/requests/bulk-delete"),
                        "delete_files must be true or false"),
                new Case(given().get("/api/deletion-logs?page=0"), "page"),
                new Case(given().get("/api/deletion-logs?page=abc"), "page"),
                new Case(given().get("/api/deletion-logs?per_page=101"), "per_page"),
                new Case(given().get("/api/deletion-logs?source=jellyfin"), "unknown source 'jellyfin'"),
                new Case(given().get("/api/requests/1/delete-preview?delete_files=maybe"),
                        "delete_files must be true or false"));
        for (Case c : cases) {
            c.response().then().statusCode(400).body("detail", containsString(c.detail()));
        }
        assertEquals(0, db.count("SELECT count(*) FROM deletion_log"));
    }

    @Test
    @TestSecurity(user = "admin-user", roles = { "user", "admin" })
    void unknownRequestsAndLogsAre404() {
        given().get("/api/requests/424242/delete-preview").then().statusCode(404)
                .body("detail", equalTo("Request not found"));
        json().body("{}").post("/api/requests/424242/delete").then().statusCode(404)
                .body("detail", equalTo("Request not found"));
        given().get("/api/deletion-logs/424242").then().statusCode(404)
                .body("detail", equalTo("Deletion log not found"));
        given().post("/api/deletion-logs/424242/retry").then().statusCode(404)
                .body("detail", equalTo("Deletion log not found"));
        // an id that is no number names no request either
        given().get("/api/requests/abc/delete-preview").then().statusCode(404);
        // bulk: unknown ids are named, nothing is started
        json().body("{\"request_ids\":[424242]}").post("/api/requests/bulk-delete").then().statusCode(202)
                .body("deletions.size()", equalTo(0)).body("not_found", equalTo(List.of(424242)))
                .body("in_progress.size()", equalTo(0));
        given().get("/api/deletion-logs").then().statusCode(200).body("total", equalTo(0))
                .body("counts", notNullValue());
    }
}
