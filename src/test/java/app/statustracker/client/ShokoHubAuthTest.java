package app.statustracker.client;

import static io.restassured.RestAssured.get;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import app.statustracker.support.FakeShokoHub;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 6: a hub that refuses the key (Shoko 6, or a proxy in front of Shoko 5) shows as auth_failed with a clear
 * message, is said once in the log, never with the key, and is retried at the slowest interval, not in a loop.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeShokoHub.class, initArgs = @ResourceArg(name = "refuse", value = "true"))
class ShokoHubAuthTest {

    @Test
    void aRefusedKeyIsReportedOnceAndRetriedCalmly() {
        FakeShokoHub hub = FakeShokoHub.hub();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> get("/api/health").then()
                .body("shoko_signalr", equalTo("auth_failed")));

        String body = get("/api/health").then().statusCode(200)
                .body("status", equalTo("degraded"))
                .body("shoko_hub.state", equalTo("auth_failed"))
                .body("shoko_hub.since", notNullValue())
                .body("shoko_hub.last_error", containsString("the API key was refused; check SHOKO_API_KEY"))
                .extract().asString();
        assertFalse(body.contains(FakeShokoHub.KEY), "no key in " + body);
        assertTrue(hub.apikeyHeaders().contains(FakeShokoHub.KEY), "the key was offered");

        // it keeps trying, at the last interval (1 s here), not in a loop; and stays auth_failed meanwhile
        int before = hub.negotiations();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> "auth_failed".equals(get("/api/health").then().extract().path("shoko_signalr")));
        int tries = hub.negotiations() - before;
        assertTrue(tries >= 1 && tries <= 6, "retried a few times, not in a loop: " + tries);
        assertEquals(0, hub.connections());

        List<String> lines = List.copyOf(hub.logLines());
        assertEquals(1, lines.stream()
                .filter(l -> l != null && l.startsWith("Shoko hub") && l.contains("the API key was refused")).count(),
                "said once, not per attempt: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l != null && l.contains(FakeShokoHub.KEY)), "no key in " + lines);
    }
}
