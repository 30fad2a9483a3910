package app.statustracker.dashboard;

import static io.restassured.RestAssured.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import app.statustracker.support.Browser;
import app.statustracker.support.Database;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;

/**
 * The "Setup doctor" section of the Status page. The page's calls to /api/doctor* are answered inside the browser by
 * a fetch stub installed before app.js runs (so these tests do not depend on the server route, issue 8); every other
 * call reaches the real service. One test also checks the page against whatever the real route answers.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DoctorBrowserTest extends BrowserTestBase {

    /**
     * Replaces fetch for /api/doctor* with answers from window.__doctorStub ("METHOD /path" → {status, body, hold});
     * a held answer waits for window.__doctorRelease(). Unstubbed doctor calls answer 404, like a tracker without one.
     */
    static final String STUB = """
            window.__doctorStub = %s;
            window.__doctorCalls = [];
            (() => {
              const realFetch = window.fetch.bind(window);
              window.fetch = (input, init) => {
                const url = new URL(typeof input === 'string' ? input : input.url, location.href);
                if (!url.pathname.startsWith('/api/doctor')) return realFetch(input, init);
                const method = (init && init.method) || 'GET';
                const headers = (init && init.headers) || {};
                window.__doctorCalls.push({ method, path: url.pathname, credentials: init && init.credentials,
                  contentType: headers['Content-Type'] || null, body: (init && init.body) || null });
                const answer = window.__doctorStub[method + ' ' + url.pathname] || { status: 404, body: { detail: 'no doctor' } };
                const respond = () => new Response(JSON.stringify(answer.body == null ? {} : answer.body),
                  { status: answer.status || 200, headers: { 'Content-Type': 'application/json' } });
                if (!answer.hold) return Promise.resolve(respond());
                return new Promise(resolve => { window.__doctorRelease = () => resolve(respond()); });
              };
            })();
            """;

    static String stubId;

    /** Before the base class looks for script errors: the stubs go with the test that set them. */
    @AfterEach
    void removeStubs() {
        if (stubId != null) {
            browser.cdp("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", stubId));
            stubId = null;
        }
    }

    /** Every page loaded from now on (until the test ends) answers /api/doctor* from the given stubs (a JS object). */
    static void stubDoctor(String stubs) {
        Object r = browser.cdp("Page.addScriptToEvaluateOnNewDocument", Map.of("source", STUB.formatted(stubs)));
        stubId = (String) ((Map<?, ?>) r).get("identifier");
    }

    void openStatus() {
        browser.open(page("#/status"));
        browser.awaitLive();
        browser.await(() -> assertTrue(((Number) browser.js("return window.statusTracker.doctorLoads")).longValue() >= 1,
                "the doctor was not asked"));
    }

    /** A realistic answer, in no particular order: the page sorts it. */
    static String doctorJson(Instant ranAt) {
        return """
                {"ran_at": "%1$s", "running": false, "checks": [
                  {"id": "jellyfin.reachable", "upstream": "jellyfin", "title": "Jellyfin answers with the API key",
                   "result": "ok", "found": "Jellyfin 10.9.11 answered", "why": "Playable items are found through it",
                   "fix": "nothing to do", "checked_at": "%1$s"},
                  {"id": "shoko.hub", "upstream": "shoko", "title": "Shoko sends file events",
                   "result": "unknown", "found": "Shoko is not configured", "why": "Anime matching waits for Shoko",
                   "fix": "Set SHOKO_API_KEY", "checked_at": "%1$s"},
                  {"id": "sonarr.webhook", "upstream": "sonarr", "title": "Sonarr sends its webhooks here",
                   "result": "problem", "found": "No Webhook connection points at this tracker",
                   "why": "Without it, grabs and imports of series are never seen",
                   "fix": "Sonarr → Settings → Connect → + → Webhook\\nURL: http://tracker:8080/hooks/sonarr?x=1&y=2\\nName: <b>status-tracker</b>",
                   "checked_at": "%1$s"},
                  {"id": "radarr.events", "upstream": "radarr", "title": "Radarr sends every event the tracker needs",
                   "result": "warning", "found": "On Grab is off", "why": "Grabbed movies jump straight to Importing",
                   "fix": "Radarr → Settings → Connect → status-tracker: tick On Grab", "checked_at": "%1$s"}
                ]}""".formatted(ranAt);
    }

    static String allOkJson(Instant ranAt) {
        return """
                {"ran_at": "%1$s", "running": false, "checks": [
                  {"id": "sonarr.webhook", "upstream": "sonarr", "title": "Sonarr sends its webhooks here", "result": "ok",
                   "found": "", "why": "", "fix": "", "checked_at": "%1$s"},
                  {"id": "radarr.events", "upstream": "radarr", "title": "Radarr sends every event the tracker needs",
                   "result": "ok", "found": "", "why": "", "fix": "", "checked_at": "%1$s"}
                ]}""".formatted(ranAt);
    }

    @SuppressWarnings("unchecked")
    List<String> results() {
        return (List<String>) browser.js(
                "return [...document.querySelectorAll('#doctor-checks .doctor-check')].map(li => li.dataset.result)");
    }

    // --- no doctor ------------------------------------------------------------------------------------------------

    @Test
    void withoutADoctorRouteTheStatusPageShowsNoDoctorAndNoError() {
        stubDoctor("{}"); // every /api/doctor call answers 404
        openStatus();
        browser.await(() -> assertEquals("All systems operational", browser.text(".overall")));
        assertEquals("absent", browser.js("return window.statusTracker.doctor"));
        assertFalse(browser.find("#doctor").isDisplayed(), "a 404 hides the section");
        assertTrue(browser.all("#main .error, #doctor-msg.bad").isEmpty(), "a missing doctor is not an error");
        assertEquals(List.of("GET /api/doctor"), browser.js(
                "return window.__doctorCalls.map(c => c.method + ' ' + c.path)"));
    }

    @Test
    void theSectionFollowsWhatTheRealRouteAnswers() {
        int status = get("/api/doctor").then().extract().statusCode();
        openStatus();
        browser.await(() -> assertEquals("All systems operational", browser.text(".overall")));
        assertEquals(status == 200, browser.find("#doctor").isDisplayed(), "GET /api/doctor answered " + status);
        assertTrue(browser.all("#main .error").isEmpty());
    }

    // --- results ----------------------------------------------------------------------------------------------

    @Test
    @TestSecurity(user = "admin-user", roles = { "user", "admin" })
    void theResultsAreSortedWorstFirstWithWordsOnTheBadgesAndTheFixAsText() {
        Instant ranAt = Instant.now().minusSeconds(190);
        stubDoctor("{}");
        openStatus();
        // Drawn from the data, as the page draws GET /api/doctor; later refreshes get the same answer.
        browser.js("window.__doctorStub['GET /api/doctor'] = { body: JSON.parse(arguments[0]) }", doctorJson(ranAt));
        assertEquals(Boolean.TRUE, browser.js("return window.statusTracker.renderDoctor(JSON.parse(arguments[0]))",
                doctorJson(ranAt)));

        assertTrue(browser.find("#doctor").isDisplayed());
        assertEquals("Setup doctor", browser.text("#doctor h2"));
        assertEquals("1 problem, 1 warning, 1 unknown, 1 ok · checked 3 min ago", browser.text("#doctor-summary"));
        assertEquals(List.of("problem", "warning", "unknown", "ok"), results());

        WebElement problem = browser.find(".doctor-check[data-check='sonarr.webhook']");
        assertEquals("✗ Problem", problem.findElement(org.openqa.selenium.By.cssSelector(".doctor-badge")).getText());
        assertEquals("Sonarr sends its webhooks here", browser.text("[data-check='sonarr.webhook'] .doctor-title"));
        assertEquals("Found: No Webhook connection points at this tracker", browser.text("[data-check='sonarr.webhook'] .doctor-found"));
        assertEquals("Why it matters: Without it, grabs and imports of series are never seen",
                browser.text("[data-check='sonarr.webhook'] .doctor-why"));
        assertEquals("Sonarr → Settings → Connect → + → Webhook\nURL: http://tracker:8080/hooks/sonarr?x=1&y=2\nName: <b>status-tracker</b>",
                browser.js("return document.querySelector(\"[data-check='sonarr.webhook'] .doctor-fix-text\").textContent"));
        assertTrue(browser.all("#doctor b").isEmpty(), "the fix's <b> is text, not markup");
        assertTrue(browser.text("[data-check='sonarr.webhook'] .doctor-fix-text").contains("<b>status-tracker</b>"));
        assertEquals("pre-wrap", browser.js(
                "return getComputedStyle(document.querySelector('.doctor-fix-text')).whiteSpace"), "line breaks are kept");

        assertEquals("! Warning", browser.text("[data-check='radarr.events'] .doctor-badge"));
        assertEquals("? Unknown", browser.text("[data-check='shoko.hub'] .doctor-badge"));
        assertEquals("✓ OK", browser.text("[data-check='jellyfin.reachable'] .doctor-badge"));
        assertTrue(browser.all("[data-check='jellyfin.reachable'] .doctor-found, [data-check='jellyfin.reachable'] .doctor-why, "
                + "[data-check='jellyfin.reachable'] .doctor-fix").isEmpty(), "an ok check is its title only");
        assertEquals(3, browser.all(".doctor-fix").size());

        assertTrue(browser.find("#doctor-run").isDisplayed(), "admins can run the checks");
        browser.screenshots("doctor");
        assertEquals(List.of("problem", "warning", "unknown", "ok"), results(), "still drawn after the screenshots");
    }

    @Test
    @TestSecurity(user = "plain-user", roles = { "user" })
    void aUserWhoIsNotAnAdminSeesTheResultsButNoRunButton() {
        stubDoctor("{'GET /api/doctor': { body: " + doctorJson(Instant.now().minusSeconds(30)) + " }}");
        openStatus();
        browser.await(() -> assertEquals("shown", browser.js("return window.statusTracker.doctor")));
        assertEquals("plain-user", browser.text("#user-name"));
        assertEquals("1 problem, 1 warning, 1 unknown, 1 ok · checked just now", browser.text("#doctor-summary"));
        assertEquals(List.of("problem", "warning", "unknown", "ok"), results());
        assertFalse(browser.find("#doctor-run").isDisplayed(), "Run checks now is for admins");
        assertTrue(browser.all("#doctor button").stream().noneMatch(WebElement::isDisplayed));
    }

    // --- running the checks ---------------------------------------------------------------------------------------

    @Test
    @TestSecurity(user = "admin-user", roles = { "user", "admin" })
    void anAdminRunsTheChecksFromTheKeyboardAndSeesProgressThenTheNewResults() {
        stubDoctor("{'GET /api/doctor': { body: " + doctorJson(Instant.now().minusSeconds(7200)) + " },"
                + " 'POST /api/doctor/run': { hold: true, body: " + allOkJson(Instant.now()) + " }}");
        openStatus();
        browser.await(() -> assertEquals("1 problem, 1 warning, 1 unknown, 1 ok · checked 2 h ago", browser.text("#doctor-summary")));

        browser.js("document.getElementById('doctor-run').focus()");
        browser.find("#doctor-run").sendKeys(Keys.ENTER);
        browser.await(() -> {
            assertEquals("Running checks…", browser.text("#doctor-run"));
            assertEquals("true", browser.find("#doctor-run").getAttribute("aria-busy"));
        });
        assertEquals("doctor-run", browser.js("return document.activeElement.id"), "focus stays on the button");
        assertEquals(Map.of("method", "POST", "credentials", "same-origin", "contentType", "application/json"), browser.js(
                "const c = window.__doctorCalls.find(c => c.method === 'POST');"
                        + " return c && { method: c.method + '', credentials: c.credentials, contentType: c.contentType }"));
        assertEquals("/api/doctor/run", browser.js("return window.__doctorCalls.find(c => c.method === 'POST').path"));

        browser.js("window.__doctorStub['GET /api/doctor'] = window.__doctorStub['POST /api/doctor/run']; window.__doctorRelease()");
        browser.await(() -> assertEquals("2 ok · checked just now", browser.text("#doctor-summary")));
        assertEquals(List.of("ok", "ok"), results());
        assertEquals("Run checks now", browser.text("#doctor-run"));
        assertEquals(null, browser.find("#doctor-run").getAttribute("aria-busy"));
        assertEquals("Checks finished.", browser.text("#doctor-msg"));
    }

    @Test
    @TestSecurity(user = "admin-user", roles = { "user", "admin" })
    void aFailedRunIsSaidAndTheLastResultsStay() {
        stubDoctor("{'GET /api/doctor': { body: " + doctorJson(Instant.now().minusSeconds(60)) + " },"
                + " 'POST /api/doctor/run': { status: 500, body: { detail: 'Sonarr did not answer in time' } }}");
        openStatus();
        browser.await(() -> assertEquals(4, results().size()));
        browser.find("#doctor-run").click();
        browser.await(() -> assertEquals("Sonarr did not answer in time", browser.text("#doctor-msg")));
        assertTrue(browser.find("#doctor-msg").getAttribute("class").contains("bad"));
        assertEquals(List.of("problem", "warning", "unknown", "ok"), results());
        assertEquals("Run checks now", browser.text("#doctor-run"));

        browser.js("window.__doctorStub['POST /api/doctor/run'] = { status: 403, body: {} }");
        browser.find("#doctor-run").click();
        browser.await(() -> assertEquals("Only administrators can do this.", browser.text("#doctor-msg")));
    }
}
