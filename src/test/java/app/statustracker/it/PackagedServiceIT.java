package app.statustracker.it;

import static app.statustracker.support.Hooks.fixture;
import static app.statustracker.support.Hooks.jellyseerr;
import static io.restassured.RestAssured.get;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged application (target/quarkus-app, prod profile, no embedded database inside) started with nothing but
 * the QUARKUS_DATASOURCE_* settings: Flyway migrates, webhooks are stored, the API answers.
 */
@QuarkusIntegrationTest
@WithTestResource(PostgresTestResource.class)
class PackagedServiceIT {

    @Test
    void thePackagedServiceMigratesTracksAndReports() {
        get("/q/health/ready").then().statusCode(200);
        int id = jellyseerr(fixture("original/jellyseerr-tv-auto-approved.json")).statusCode(200)
                .body("outcome", equalTo("applied")).extract().path("request_id");
        get("/api/requests/" + id).then().statusCode(200)
                .body("title", equalTo("Lycoris Recoil"))
                .body("state", equalTo("approved"));
        get("/api/requests/active").then().body("id", hasItem(id));
        get("/api/health").then().body("database", equalTo("connected"))
                .body("upstreams.sonarr.state", equalTo("not_configured"));
    }
}
