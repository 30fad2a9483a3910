package app.statustracker.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import app.statustracker.support.Browser;
import app.statustracker.support.Database;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;

/**
 * What every dashboard test in a real browser shares: one headless Chromium per test class, an empty database before
 * each test, no script error in the page after it, and the page's address. A subclass adds its own set-up with
 * methods of other names (JUnit runs these before its own {@code @BeforeEach} and after its own {@code @AfterEach}).
 */
abstract class BrowserTestBase {

    static Browser browser;

    @TestHTTPResource("/")
    URL base;
    @Inject
    Database db;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @BeforeEach
    void emptyDatabase() {
        db.clean();
    }

    @AfterEach
    void noScriptErrors() {
        if (browser != null) {
            List<String> errors = browser.scriptErrors();
            assertTrue(errors.isEmpty(), "the page logged script errors: " + errors);
        }
    }

    /** The dashboard's address with a route, e.g. {@code #/history}. */
    String page(String hash) {
        return "http://" + base.getHost() + ":" + base.getPort() + "/" + hash;
    }

    /** Opens a page, waits until it is live and has its data, and marks the window: a reload would lose the mark. */
    void openLive(String hash) {
        browser.open(page(hash));
        browser.awaitLive();
        browser.js("window.__notReloaded = 'marked';");
    }

    /** The page opened by {@link #openLive} was patched in place, never reloaded. */
    void assertNotReloaded() {
        assertEquals("marked", browser.js("return window.__notReloaded"),
                "the page was reloaded; it should have been patched");
    }

    /** How many times the page has loaded its data (a reload of the data, not of the page). */
    long loads() {
        return ((Number) browser.js("return window.statusTracker.loads")).longValue();
    }
}
