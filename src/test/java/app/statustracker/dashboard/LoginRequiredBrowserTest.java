package app.statustracker.dashboard;

import static io.restassured.RestAssured.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

import app.statustracker.auth.LoginLimiter;
import app.statustracker.support.Browser;
import app.statustracker.support.Database;
import app.statustracker.support.FakeJellyfinUsers;
import app.statustracker.support.FakeJellyfinUsers.Account;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * A dashboard that needs a login (DASHBOARD_ACCESS=login), with real logins through the form against a Jellyfin that
 * answers as Jellyfin does, and deletion sync switched on against fake upstreams: only the login page until someone
 * logs in, then back to the page asked for; wrong passwords and the brute-force wait said in place; logout; an admin's
 * deletion that partly fails, followed live, and its failed step retried; the library import's counts.
 *
 * <p>Needs the server routes of issues 4 and 7 (auth, deletion, library import) and FakeJellyfinUsers' accounts.
 */
@QuarkusTest
@TestProfile(LoginRequiredBrowserTest.LoginRequired.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
class LoginRequiredBrowserTest extends BrowserTestBase {

    public static class LoginRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracker.auth.dashboard-access", "login", "tracker.deletion-sync.enabled", "true",
                    "tracker.auth.max-failures", "2");
        }
    }

    @Inject
    LoginLimiter limiter;

    @BeforeEach
    void resetUpstreamsAndCookies() {
        FakeMediaServer.reset();
        limiter.clear();
        browser.open("about:blank");
        browser.cdp("Network.clearBrowserCookies", Map.of());
    }

    @AfterEach
    void jellyfinBackUp() {
        FakeMediaServer.jellyfinUp();
    }

    /** Types the account into the login form and sends it with Enter. */
    void logIn(Account account) {
        browser.await(() -> assertTrue(browser.find("#login-form").isDisplayed()));
        WebElement user = browser.find("#login-username");
        user.clear();
        user.sendKeys(account.name());
        browser.find("#login-password").sendKeys(account.password(), Keys.ENTER);
    }

    @Test
    void onlyTheLoginPageUntilSomeoneLogsInThenThePageAskedForAndLogoutLocksItAgain() {
        int paprika = DashboardBrowserTest.deliver("jellyseerr", Paprika.request());
        get("/api/requests/active").then().statusCode(401);

        browser.open(page("#/history"));
        browser.await(() -> assertTrue(browser.find("#login-form").isDisplayed()));
        assertFalse(browser.find(".nav").isDisplayed(), "nothing but the login page");
        assertFalse(browser.find("#conn").isDisplayed());
        assertEquals("#/history", browser.js("return location.hash"), "the address stays the page asked for");
        assertEquals("login-username", browser.js("return document.activeElement.id"));
        assertTrue(browser.text("main").contains("Sign in with your Jellyfin account"));
        browser.screenshots("login-required");

        // Logging in (a viewer) leads to History, with the stream open and the user's name in the header
        logIn(FakeJellyfinUsers.VIEWER);
        browser.await(() -> {
            assertEquals("History", browser.text("main h1"));
            assertEquals(FakeJellyfinUsers.VIEWER.name(), browser.text("#user-name"));
        });
        browser.awaitLive();
        assertTrue(browser.find(".nav").isDisplayed());
        assertFalse(browser.find("#admin-badge").isDisplayed());
        assertFalse(browser.find("[data-nav='/deletions']").isDisplayed());
        // and the pages work as before, live
        browser.find(".nav a[href='#/']").click();
        browser.await(() -> assertEquals("Approved", browser.text(DashboardBrowserTest.card(paprika) + " .badge.state")));
        DashboardBrowserTest.deliver("radarr", Paprika.grab());
        browser.await(() -> assertEquals("Grabbed", browser.text(DashboardBrowserTest.card(paprika) + " .badge.state")));

        // Logout: the login page again, and the session is gone
        browser.find("#logout").click();
        browser.await(() -> {
            assertTrue(browser.find("#login-form").isDisplayed());
            assertFalse(browser.find(".nav").isDisplayed());
        });
        assertEquals("#/", browser.js("return location.hash"));
        browser.open(page("#/request/" + paprika));
        browser.await(() -> assertTrue(browser.find("#login-form").isDisplayed()));
        assertTrue(browser.all(".card-detail").isEmpty());
    }

    @Test
    void wrongPasswordsAreSaidInPlaceAndTooManyMakeTheFormWait() {
        browser.open(page("#/"));
        Account wrong = new Account(FakeJellyfinUsers.VIEWER.id(), FakeJellyfinUsers.VIEWER.name(), "not-the-password", false);
        logIn(wrong);
        browser.await(() -> assertEquals("Wrong user name or password", browser.text("#login-error")));
        assertEquals("#/", browser.js("return location.hash"));

        // more failures than allowed: the server's wait is shown, and the button waits with it
        String said = null;
        for (int i = 0; i < 4 && (said == null || !said.startsWith("Too many")); i++) {
            browser.await(() -> assertTrue(browser.all("#login-submit[aria-disabled]").isEmpty()));
            logIn(wrong);
            browser.await(() -> assertEquals("", browser.find("#login-password").getAttribute("value")));
            browser.await(() -> assertTrue(browser.all("#login-submit[aria-busy]").isEmpty()
                    || browser.text("#login-submit").startsWith("Wait")));
            said = browser.text("#login-error");
        }
        String error = browser.text("#login-error");
        assertTrue(error.matches("Too many failed logins; try again in \\d+ seconds"), error);
        assertTrue(browser.text("#login-submit").matches("Wait \\d+ s"), browser.text("#login-submit"));
        assertEquals("true", browser.find("#login-submit").getAttribute("aria-disabled"));
        browser.screenshots("login-wait");
    }

    @Test
    void anAdminDeletesARequestFollowsTheDeletionLiveAndRetriesTheStepThatFailed() {
        int paprika = DashboardBrowserTest.deliver("jellyseerr", Paprika.request());
        DashboardBrowserTest.deliver("radarr", DashboardBrowserTest.paprikaAdded());

        browser.open(page("#/request/" + paprika));
        logIn(FakeJellyfinUsers.ADMIN);
        browser.await(() -> assertTrue(browser.find("#action-delete").isDisplayed()));
        assertTrue(browser.find("#admin-badge").isDisplayed());
        browser.awaitLive();

        // Jellyfin is down while the deletion runs
        FakeMediaServer.jellyfinDown();
        browser.find("#action-delete").click();
        browser.await(() -> assertFalse(browser.all("#delete-plan li[data-service='radarr']").isEmpty()));
        assertTrue(browser.all("#sync-off").isEmpty(), "deletion sync is on");
        assertTrue(browser.text("#delete-plan li[data-service='radarr']").contains("Will be deleted"));
        browser.find("dialog.delete-dialog .confirm").click();

        browser.await(() -> assertTrue(((String) browser.js("return location.hash")).matches("#/deletions/\\d+")));
        browser.js("window.__notReloaded = 'marked';");
        browser.await(() -> {
            assertEquals("Incomplete", browser.text("#deletion-status"));
            assertEquals("failed", browser.find("#steps li[data-service='jellyfin']").getAttribute("data-status"));
            assertEquals("done", browser.find("#steps li[data-service='radarr']").getAttribute("data-status"));
            assertTrue(browser.find("#retry-steps").isDisplayed());
        });
        assertFalse(browser.text("#steps li[data-service='jellyfin'] .step-error").isBlank(), "the error is shown");
        assertEquals("✗", browser.text("#steps li[data-service='jellyfin'] .step-icon"));
        assertTrue(browser.text("#steps li[data-service='jellyfin']").contains("Failed"));
        browser.screenshots("deletion-incomplete");

        // Jellyfin is back: retrying the failed step completes the deletion, shown live
        FakeMediaServer.jellyfinUp();
        browser.find("#retry-steps").click();
        browser.await(() -> {
            assertEquals("Complete", browser.text("#deletion-status"));
            assertEquals("done", browser.find("#steps li[data-service='jellyfin']").getAttribute("data-status"));
            assertFalse(browser.find("#retry-steps").isDisplayed());
        });
        assertTrue(browser.all("#deletion-events li[data-service='jellyfin']").size() >= 2, "every step row is listed");
        assertEquals("marked", browser.js("return window.__notReloaded"));

        // The Deletions list has it, and the request is removed
        browser.find("[data-nav='/deletions']").click();
        browser.await(() -> assertEquals("Complete", browser.text("#deletion-rows tr .dstatus")));
        assertTrue(browser.text("#deletion-rows tr").contains(FakeJellyfinUsers.ADMIN.name()));
    }

    @Test
    void theLibraryImportShowsWhatItAdded() {
        FakeMediaServer.movie("0123456789abcdef0123456789abcdef", "Tokyo Godfathers", 2003, 13398);
        browser.open(page("#/history"));
        logIn(FakeJellyfinUsers.ADMIN);
        browser.await(() -> assertTrue(browser.find("#import-library").isDisplayed()));
        browser.find("#import-library").click();
        browser.find("dialog.import-dialog .confirm").click();
        browser.await(() -> {
            assertEquals("1", browser.text("#import-result dd[data-count='added']"));
            assertEquals("1", browser.text("#import-result dd[data-count='scanned']"));
        });
        browser.screenshots("import-result");
        assertEquals("close", browser.text("dialog.import-dialog .cancel").toLowerCase());
        browser.find("dialog.import-dialog .cancel").click();
        browser.await(() -> {
            assertTrue(browser.all("dialog[open]").isEmpty());
            assertTrue(browser.text("#history-list").contains("Tokyo Godfathers"));
            assertTrue(browser.text("#history-msg").contains("1 added"), browser.text("#history-msg"));
        });
    }
}
