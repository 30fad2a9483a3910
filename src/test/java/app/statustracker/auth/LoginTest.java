package app.statustracker.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.statustracker.support.Database;
import app.statustracker.support.FakeJellyfinUsers;
import app.statustracker.support.FakeJellyfinUsers.Account;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Logins with Jellyfin accounts (issue 7) against a Jellyfin that answers AuthenticateByName, /Users/Me and
 * /Sessions/Logout as Jellyfin does: the cookie's flags, admin by Jellyfin policy or ADMIN_USER_IDS, the token cache,
 * logout, brute-force limits, cross-site POSTs and CORS.
 */
@QuarkusTest
@TestProfile(LoginTest.Profile.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class LoginTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracker.admin-user-ids", FakeJellyfinUsers.LISTED.id(), "tracker.auth.max-failures", "3",
                    "tracker.auth.cache-for", "3s");
        }
    }

    static final String COOKIE = SessionCookie.NAME;

    @Inject
    Database db;
    @Inject
    LoginLimiter limiter;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
        limiter.clear();
    }

    static Response login(Account account) {
        return login(account.name(), account.password());
    }

    static Response login(String name, String password) {
        return given().contentType("application/json")
                .body(Map.of("username", name, "password", password)).post("/api/auth/login");
    }

    @Test
    void anAdministratorLogsInAndGetsAnHttpOnlySameSiteCookieButNeverTheToken() {
        Response answer = login(FakeJellyfinUsers.ADMIN);
        answer.then().statusCode(200).body("authenticated", equalTo(true)).body("is_admin", equalTo(true))
                .body("username", equalTo("jf-admin")).body("user_id", equalTo(FakeJellyfinUsers.ADMIN.id()))
                .body("login_required", equalTo(false));
        String token = FakeJellyfinUsers.ISSUED.get(FakeJellyfinUsers.ISSUED.size() - 1);
        String setCookie = answer.header("Set-Cookie");
        assertTrue(setCookie.startsWith(COOKIE + "=" + token), setCookie);
        assertTrue(setCookie.toLowerCase(java.util.Locale.ROOT).contains("httponly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        assertTrue(setCookie.contains("Path=/"), setCookie);
        assertTrue(setCookie.contains("Max-Age=604800"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain HTTP: a Secure cookie would never come back: " + setCookie);
        assertFalse(answer.body().asString().contains(token), "the token stays in the cookie");
        assertEquals(1, FakeJellyfinUsers.DEVICE_IDS.size(), "Jellyfin needs a device id per login");

        given().cookie(COOKIE, token).get("/api/auth/session").then().statusCode(200)
                .body("authenticated", equalTo(true)).body("is_admin", equalTo(true)).body("username", equalTo("jf-admin"));
    }

    @Test
    void aViewerIsNotAnAdminUnlessAdminUserIdsListsThem() {
        login(FakeJellyfinUsers.VIEWER).then().statusCode(200).body("is_admin", equalTo(false));
        login(FakeJellyfinUsers.LISTED).then().statusCode(200).body("is_admin", equalTo(true));
        // Two logins of one user from two browsers are two devices: the second must not revoke the first.
        String first = login(FakeJellyfinUsers.VIEWER).cookie(COOKIE);
        String second = login(FakeJellyfinUsers.VIEWER).cookie(COOKIE);
        assertNotEquals(first, second);
        assertEquals(FakeJellyfinUsers.DEVICE_IDS.size(), FakeJellyfinUsers.DEVICE_IDS.stream().distinct().count());
    }

    @Test
    void aTokenIsConfirmedWithJellyfinOncePerCacheWindowNotOnEveryRequest() {
        String cookie = login(FakeJellyfinUsers.VIEWER).cookie(COOKIE);
        for (int i = 0; i < 10; i++) {
            given().cookie(COOKIE, cookie).get("/api/auth/session").then().body("authenticated", equalTo(true));
        }
        assertEquals(0, FakeJellyfinUsers.meCalls(), "a fresh login is already confirmed");

        String scriptToken = FakeJellyfinUsers.issueToken(FakeJellyfinUsers.ADMIN);
        for (int i = 0; i < 5; i++) {
            given().header(SessionCookie.TOKEN_HEADER, scriptToken).get("/api/auth/session").then()
                    .body("is_admin", equalTo(true));
        }
        assertEquals(1, FakeJellyfinUsers.meCalls(), "one check for five requests");
    }

    @Test
    void aBadTokenOnlyMakesTheCallerAnonymousAndAnAdminRouteSaysWhy() {
        // A stale header or cookie never breaks public reads or webhooks; what needs a login says what was wrong.
        given().header(SessionCookie.TOKEN_HEADER, "0123456789abcdef0123456789abcdef").get("/api/requests").then()
                .statusCode(200);
        given().header(SessionCookie.TOKEN_HEADER, "0123456789abcdef0123456789abcdef").get("/api/events").then()
                .statusCode(401).body("detail", containsString("expired or was revoked"));
        given().header(SessionCookie.TOKEN_HEADER, "0123456789abcdef0123456789abcdef").contentType("application/json")
                .body(Paprika.request().toString()).post("/hooks/jellyseerr").then().statusCode(200);
        given().cookie(COOKIE, "0123456789abcdef0123456789abcdef").get("/api/requests").then().statusCode(200);
        given().cookie(COOKIE, "0123456789abcdef0123456789abcdef").get("/api/auth/session").then().statusCode(200)
                .body("authenticated", equalTo(false));
    }

    @Test
    void logoutRevokesTheTokenAtJellyfinAndClearsTheCookie() {
        String cookie = login(FakeJellyfinUsers.ADMIN).cookie(COOKIE);
        Response out = given().cookie(COOKIE, cookie).header("Origin", "http://localhost:" + port())
                .post("/api/auth/logout");
        out.then().statusCode(200).body("authenticated", equalTo(false));
        assertTrue(out.header("Set-Cookie").contains("Max-Age=0"), out.header("Set-Cookie"));
        assertFalse(FakeJellyfinUsers.valid(cookie), "Jellyfin no longer accepts the token");
        given().cookie(COOKIE, cookie).get("/api/auth/session").then().body("authenticated", equalTo(false));
    }

    @Test
    void failedLoginsAreLimitedPerAddressAndPerName() {
        for (int i = 0; i < 3; i++) {
            login(FakeJellyfinUsers.ADMIN.name(), "guess-" + i).then().statusCode(401)
                    .body("detail", equalTo("Wrong user name or password"));
        }
        int asked = FakeJellyfinUsers.logins();
        login(FakeJellyfinUsers.ADMIN).then().statusCode(429).header("Retry-After", not(nullValue()))
                .body("detail", containsString("Too many failed logins"));
        login(FakeJellyfinUsers.VIEWER).then().statusCode(429); // same address
        assertEquals(asked, FakeJellyfinUsers.logins(), "a locked-out login never reaches Jellyfin");
    }

    @Test
    void guessesSentInParallelAreLimitedToo() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String guess = "parallel-guess-" + i;
                answers.add(pool.submit(() -> login(FakeJellyfinUsers.ADMIN.name(), guess).statusCode()));
            }
            int refused = 0;
            for (var answer : answers) {
                refused += answer.get() == 429 ? 1 : 0;
            }
            assertTrue(FakeJellyfinUsers.logins() <= 3, "at most LOGIN_MAX_FAILURES reached Jellyfin: "
                    + FakeJellyfinUsers.logins());
            assertEquals(20 - FakeJellyfinUsers.logins(), refused);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void loggingIntoOnesOwnAccountBetweenGuessesDoesNotResetTheCount() {
        login(FakeJellyfinUsers.ADMIN.name(), "guess-1").then().statusCode(401);
        login(FakeJellyfinUsers.LISTED.name(), "guess-2").then().statusCode(401);
        login(FakeJellyfinUsers.VIEWER).then().statusCode(200); // the guesser's own account
        login("someone-else", "guess-3").then().statusCode(401);
        login("yet-another", "guess-4").then().statusCode(429);
    }

    @Test
    void credentialsAreTakenFromTheBodyOnlyNeverFromTheQueryString() {
        given().queryParam("username", FakeJellyfinUsers.ADMIN.name())
                .queryParam("password", FakeJellyfinUsers.ADMIN.password()).post("/api/auth/login").then()
                .statusCode(400).body("detail", containsString("JSON"));
        given().contentType("application/json").body("{\"password\":\"x\"}").post("/api/auth/login").then()
                .statusCode(400).body("detail", containsString("username"));
        assertEquals(0, FakeJellyfinUsers.logins());
    }

    @Test
    void aLoginStaysValidWhileJellyfinRestartsButNewLoginsWaitForIt() throws InterruptedException {
        String cookie = login(FakeJellyfinUsers.VIEWER).cookie(COOKIE);
        Thread.sleep(3_200); // past AUTH_CACHE: the next request asks Jellyfin again
        FakeMediaServer.jellyfinDown();
        try {
            given().cookie(COOKIE, cookie).get("/api/auth/session").then().body("authenticated", equalTo(true));
            login(FakeJellyfinUsers.ADMIN).then().statusCode(503).body("detail", containsString("not reachable"));
        } finally {
            FakeMediaServer.jellyfinUp();
        }
    }

    @Test
    void rawEventsAndTheEventLogAreForAdminsOnly() {
        long id = given().contentType("application/json").body(Paprika.request().toString())
                .post("/hooks/jellyseerr").then().statusCode(200).extract().jsonPath().getLong("request_id");
        given().get("/api/requests/" + id).then().statusCode(200).body("title", not(nullValue()))
                .body("$", not(org.hamcrest.Matchers.hasKey("events")));
        given().get("/api/events").then().statusCode(401).body("detail", containsString("Login required"));
        String viewer = login(FakeJellyfinUsers.VIEWER).cookie(COOKIE);
        given().cookie(COOKIE, viewer).get("/api/events").then().statusCode(403)
                .body("detail", containsString("Admin privileges required"));
        given().cookie(COOKIE, viewer).get("/api/requests/" + id).then()
                .body("$", not(org.hamcrest.Matchers.hasKey("events")));
        String admin = login(FakeJellyfinUsers.ADMIN).cookie(COOKIE);
        given().cookie(COOKIE, admin).get("/api/events").then().statusCode(200).body("total", equalTo(1));
        given().cookie(COOKIE, admin).get("/api/requests/" + id).then().body("events.size()", equalTo(1));
    }

    @Test
    void aCookiePostFromAnotherSiteIsRefusedAndCorsAllowsNoOtherOrigin() {
        String cookie = login(FakeJellyfinUsers.ADMIN).cookie(COOKIE);
        given().cookie(COOKIE, cookie).header("Origin", "http://evil.example").post("/api/auth/logout").then()
                .statusCode(403).body("detail", containsString("Cross-site request refused"));
        given().cookie(COOKIE, cookie).post("/api/auth/logout").then().statusCode(403); // neither Origin nor Referer
        assertTrue(FakeJellyfinUsers.valid(cookie), "the refused logouts did nothing");
        given().cookie(COOKIE, cookie).header("Referer", "http://localhost:" + port() + "/#/history")
                .post("/api/auth/logout").then().statusCode(200);
        assertFalse(FakeJellyfinUsers.valid(cookie));
        // A script's header token needs no Origin (tools send none); one naming another site is refused all the same.
        String token = FakeJellyfinUsers.issueToken(FakeJellyfinUsers.ADMIN);
        given().header(SessionCookie.TOKEN_HEADER, token).header("Origin", "http://evil.example")
                .post("/api/auth/logout").then().statusCode(403);
        given().header(SessionCookie.TOKEN_HEADER, token).post("/api/auth/logout").then().statusCode(200);
        // The path as written does not matter: the matched route does.
        String again = login(FakeJellyfinUsers.ADMIN).cookie(COOKIE);
        given().urlEncodingEnabled(false).cookie(COOKIE, again).header("Origin", "http://evil.example")
                .post("//api/auth/logout").then().statusCode(403);
        assertTrue(FakeJellyfinUsers.valid(again));
        // Login CSRF: a form on another site cannot log the browser into the attacker's account.
        Response forged = given().contentType("text/plain").header("Origin", "http://evil.example")
                .body("{\"username\":\"couch\",\"password\":\"" + FakeJellyfinUsers.VIEWER.password() + "\"}")
                .post("/api/auth/login");
        assertEquals(403, forged.statusCode());
        assertEquals(null, forged.header("Set-Cookie"));
        // Webhooks come from upstreams, never with a cookie: an Origin header does not stop them.
        given().contentType("application/json").header("Origin", "http://evil.example")
                .body(Paprika.request().toString()).post("/hooks/jellyseerr").then().statusCode(200);

        Response preflight = given().header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST").options("/api/requests/1/retry");
        assertEquals(null, preflight.header("Access-Control-Allow-Origin"), "no CORS grant for another origin");
        Response read = given().header("Origin", "http://evil.example").get("/api/requests");
        assertEquals(null, read.header("Access-Control-Allow-Origin"));
        assertNotNull(read.header("Content-Type"));
    }

    private static int port() {
        return io.restassured.RestAssured.port;
    }
}
