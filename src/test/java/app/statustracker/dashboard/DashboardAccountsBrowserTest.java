package app.statustracker.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.stream.SseHub;
import app.statustracker.support.Browser;
import app.statustracker.support.Database;
import app.statustracker.support.Paprika;
import app.statustracker.support.Payload;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The dashboard's account and admin features as far as they work without an admin session: deletion events on the
 * stream leave the request pages alone, visitors who are not admins get no admin controls, and the login page is a
 * labelled form that posts JSON and shows what went wrong in place. The admin views are in
 * {@link AdminDashboardBrowserTest}; a dashboard that requires a login in {@link LoginRequiredBrowserTest}.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DashboardAccountsBrowserTest extends BrowserTestBase {

    @Inject
    SseHub hub;
    @Inject
    ObjectMapper json;

    long deletionEvents() {
        return ((Number) browser.js("return window.statusTracker.deletionEvents")).longValue();
    }

    /** Lets the page apply what it got (one animation frame) and any debounced refetch fire (they wait 250-500 ms). */
    static void settle() throws InterruptedException {
        Thread.sleep(800);
    }

    // --- deletion events are not request updates ---------------------------------------------------------------

    @Test
    void deletionEventsOnTheStreamLeaveTheRequestPagesAloneAndTheStreamGoesOn() throws Exception {
        DeletionStream deletions = new DeletionStream(db, hub, json);
        int paprika = DashboardBrowserTest.deliver("jellyseerr", Paprika.request());

        // Active: the card stays as it was, nothing is fetched, no toast
        browser.open(page("#/"));
        browser.awaitLive();
        browser.await(() -> assertEquals("Approved", browser.text(DashboardBrowserTest.card(paprika) + " .badge.state")));
        long loads = loads();
        deletions.wholeDeletion(paprika, 9001, "Paprika");
        browser.await(() -> assertEquals(4, deletionEvents()));
        settle();
        assertEquals("Approved", browser.text(DashboardBrowserTest.card(paprika) + " .badge.state"));
        assertEquals("1 request in progress", browser.text("#active-count"));
        assertEquals("", browser.text("#toasts"), "a deletion event is not a state change");
        assertEquals(loads, loads(), "a deletion event does not make the page fetch its list");
        // and the stream goes on: the next real update still patches the card
        DashboardBrowserTest.deliver("radarr", Paprika.grab());
        browser.await(() -> assertEquals("Grabbed", browser.text(DashboardBrowserTest.card(paprika) + " .badge.state")));

        // Request detail: no refetch, the card and timeline unchanged
        browser.open(page("#/request/" + paprika));
        browser.awaitLive();
        browser.await(() -> assertFalse(browser.all("#timeline li.tl").isEmpty()));
        int timeline = browser.all("#timeline li.tl").size();
        loads = loads();
        deletions.wholeDeletion(paprika, 9002, "Paprika");
        browser.await(() -> assertEquals(4, deletionEvents()));
        settle();
        assertEquals(loads, loads());
        assertEquals(timeline, browser.all("#timeline li.tl").size());
        assertEquals("Grabbed", browser.text(".card-detail .badge.state"));

        // History: a deletion event for a request it shows does not make it fetch again
        int declined = DashboardBrowserTest.deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-declined.json"));
        browser.open(page("#/history"));
        browser.awaitLive();
        browser.await(() -> assertEquals(1, browser.all("#history-list .card").size()));
        loads = loads();
        deletions.wholeDeletion(declined, 9003, "Perfect Blue");
        browser.await(() -> assertEquals(4, deletionEvents()));
        settle();
        assertEquals(loads, loads());
        assertEquals("live", browser.js("return window.statusTracker.state"));
    }

    // --- pages left behind do not keep their stream -----------------------------------------------------------

    /**
     * Browsers allow six connections per server. A dashboard page the browser keeps for Back (the back/forward
     * cache) closes its stream, so pages left behind never use up the connections of the page in front, and a page
     * shown again from that cache opens its stream again.
     */
    @Test
    void pagesLeftBehindCloseTheirStreamAndOneShownAgainReopensIt() {
        browser.open("about:blank");
        hub.disconnectAll();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> hub.clientCount() == 0);
        for (String hash : List.of("#/", "#/history", "#/status", "#/", "#/history", "#/status", "#/", "#/history")) {
            browser.open(page(hash));
            browser.awaitLive();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> hub.clientCount() == 1);
        // and the page in front still gets what it asks for
        browser.find(".nav a[href='#/']").click();
        browser.await(() -> assertEquals("0 requests in progress", browser.text("#active-count")));

        // Back to a page the browser kept: live again (whether it came from the cache or was loaded anew)
        browser.open(page("#/status"));
        browser.awaitLive();
        browser.js("location.href = 'about:blank'");
        browser.await(() -> assertEquals("about:blank", browser.js("return location.href")));
        browser.js("history.back()");
        browser.await(() -> assertEquals("live", browser.js("return window.statusTracker && window.statusTracker.state")));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> hub.clientCount() == 1);
    }

    // --- no admin controls for visitors who are not admins -----------------------------------------------------

    @Test
    void visitorsWhoAreNotAdminsGetNoAdminControls() throws Exception {
        int declined = DashboardBrowserTest.deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-declined.json"));
        DashboardBrowserTest.deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json"));
        DashboardBrowserTest.deliver("jellyfin", Payload.of("protocol/jellyfin-item-added-movie.json"));

        browser.open(page("#/history"));
        browser.awaitLive();
        browser.await(() -> assertEquals(2, browser.all("#history-list .card").size()));
        assertTrue(browser.all(".bulk-bar, #bulk-delete, #import-library, .pick, .card-actions").isEmpty(),
                "History has no selection, bulk delete, import or Retry for visitors");
        assertFalse(browser.find("[data-nav='/deletions']").isDisplayed(), "Deletions is for admins");

        browser.open(page("#/request/" + declined));
        browser.awaitLive();
        browser.await(() -> assertEquals("Failed", browser.text(".card-detail .badge.state")));
        assertTrue(browser.all(".actions, #action-retry, #action-verify, #action-delete").isEmpty(),
                "no Retry, Verify or Delete on the detail page");

        // The admin page says who may see it and asks the server for nothing.
        browser.open(page("#/deletions"));
        browser.await(() -> assertTrue(browser.text("#admin-only").contains("administrator"), browser.text("#admin-only")));
        settle();
        assertEquals(0L, ((Number) browser.js("return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.includes('/api/deletion-logs')).length")).longValue());
        browser.open(page("#/deletions/5"));
        browser.await(() -> assertTrue(browser.text("#admin-only").contains("administrator")));
    }

    // --- the login page ----------------------------------------------------------------------------------------

    @Test
    void theLoginPageIsALabelledFormThatPostsJsonAndShowsWhatWentWrongInPlace() {
        browser.open(page("#/login?next=%23%2Fhistory"));
        browser.await(() -> assertEquals("Login", browser.text("main h1")));
        assertEquals("Sign in with your Jellyfin account", browser.text("#login-intro"));
        WebElement user = browser.find("#login-username");
        WebElement pass = browser.find("#login-password");
        assertEquals("username", user.getAttribute("autocomplete"));
        assertEquals("current-password", pass.getAttribute("autocomplete"));
        assertEquals("password", pass.getAttribute("type"));
        assertEquals("post", browser.find("#login-form").getAttribute("method"));
        assertEquals("Username", browser.text("label[for='login-username']"));
        assertEquals("Password", browser.text("label[for='login-password']"));
        browser.await(() -> assertEquals("login-username", browser.js("return document.activeElement.id"),
                "the form takes the focus"));
        assertEquals("Login · status-tracker", browser.js("return document.title"));
        browser.screenshots("login");

        // Every call the page makes is recorded from here on.
        browser.js("window.__calls = []; const f = window.fetch; window.fetch = (u, i) => {"
                + " window.__calls.push({url: String(u), method: i && i.method, body: i && i.body,"
                + " type: i && i.headers && i.headers['Content-Type'], credentials: i && i.credentials});"
                + " return f(u, i); };");
        // An empty user name is caught before anything is sent.
        pass.sendKeys(Keys.ENTER);
        browser.await(() -> assertTrue(browser.find("#login-error").isDisplayed()));
        assertEquals(0L, ((Number) browser.js("return window.__calls.length")).longValue());

        // Typed and sent from the keyboard: the tracker cannot log anyone in here (no Jellyfin, or no login route
        // yet); whatever it answers is said in place, on the same page.
        user.sendKeys("mika");
        pass.sendKeys("s3cret pass", Keys.ENTER);
        browser.await(() -> assertEquals(1L, ((Number) browser.js("return window.__calls.filter(c => c.url.includes('/api/auth/login')).length")).longValue()));
        @SuppressWarnings("unchecked")
        Map<String, Object> call = (Map<String, Object>) browser.js("return window.__calls.find(c => c.url.includes('/api/auth/login'))");
        assertEquals("POST", call.get("method"));
        assertEquals("/api/auth/login", call.get("url"), "nothing in the query string");
        assertEquals("application/json", call.get("type"));
        assertEquals("same-origin", call.get("credentials"));
        assertEquals("{\"username\":\"mika\",\"password\":\"s3cret pass\"}", call.get("body"));
        browser.await(() -> {
            WebElement error = browser.find("#login-error");
            assertTrue(error.isDisplayed());
            assertEquals("alert", error.getAttribute("role"));
            assertFalse(error.getText().isBlank());
        });
        assertEquals("", pass.getAttribute("value"), "the password is not kept after a failure");
        assertEquals("mika", user.getAttribute("value"));
        assertEquals("login-password", browser.js("return document.activeElement.id"));
        String url = (String) browser.js("return location.href");
        assertFalse(url.contains("s3cret") || url.contains("mika"), url);
        assertTrue(url.endsWith("#/login?next=%23%2Fhistory"), url);
        assertNotNull(browser.find("#login-submit"));
        assertEquals(null, browser.find("#login-submit").getAttribute("aria-disabled"), "the button is usable again");
    }
}
