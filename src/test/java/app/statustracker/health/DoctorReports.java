package app.statustracker.health;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;

/** Reading the setup doctor's report in tests: one run through the API, and one field of one check. */
final class DoctorReports {

    private DoctorReports() {
    }

    /** {@code POST /api/doctor/run} as the test's (admin) identity: the report of a new run. */
    static JsonPath run() {
        return given().post("/api/doctor/run").then().statusCode(200).extract().jsonPath();
    }

    /** One field ({@code result}, {@code found}, {@code why}, {@code fix}) of the check with that id; null without it. */
    static String check(JsonPath report, String id, String field) {
        return report.getString("checks.find { it.id == '" + id + "' }." + field);
    }
}
