package app.statustracker.support;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;

/** Posts webhook bodies through the real HTTP route. */
public final class Hooks {

    private Hooks() {
    }

    public static ValidatableResponse post(String service, String body) {
        return given().contentType("application/json").body(body).when().post("/hooks/" + service).then();
    }

    public static ValidatableResponse jellyseerr(String body) {
        return post("jellyseerr", body);
    }

    /** The fixture with some of its values replaced, e.g. to give it another request id. */
    public static String fixture(String name, String... replacements) {
        String body = Fixtures.load(name);
        for (int i = 0; i + 1 < replacements.length; i += 2) {
            body = body.replace(replacements[i], replacements[i + 1]);
        }
        return body;
    }
}
