package app.statustracker.flow;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import app.statustracker.support.Payload;
import io.restassured.response.ValidatableResponse;

/** Steps of a scenario: deliver a payload through the real webhook route, look at a request as the API shows it. */
final class Scenario {

    private Scenario() {
    }

    /** Delivers a webhook as its upstream does (Jellyfin's plugin sends JSON as text/plain). */
    static ValidatableResponse deliver(String service, Payload payload) {
        String contentType = service.equals("jellyfin") ? "text/plain; charset=utf-8" : "application/json";
        return given().contentType(contentType).body(payload.toString()).post("/hooks/" + service).then()
                .statusCode(200);
    }

    static int deliverAndGetRequestId(String service, Payload payload) {
        return deliver(service, payload).extract().path("request_id");
    }

    static ValidatableResponse request(int id) {
        return get("/api/requests/" + id).then().statusCode(200);
    }

    static void awaitState(int id, String state) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> request(id).body("state", equalTo(state)));
    }

    /** qBittorrent's "run on torrent finished" curl recipe (original-system.md §4.6). */
    static Payload qbitFinished(String hash, String name) {
        return Payload.parse("{\"hash\":\"" + hash + "\",\"name\":\"" + name + "\",\"path\":\"/data/torrents/" + name
                + "\",\"size\":\"1181116032\"}");
    }
}
