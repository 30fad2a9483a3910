package app.statustracker.dashboard;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
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
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;

/**
 * The dashboard as an administrator (and as a user who is not one) sees it: the header, Retry / Verify / Delete… on
 * a request, its raw events, the delete dialog from the keyboard, bulk delete and library import on History, and the
 * Deletions pages following deletions live. Deletion sync is off here (the default), so deletions only mark the
 * request removed and every service is skipped; {@link LoginRequiredBrowserTest} runs them against fake upstreams.
 *
 * <p>Needs the server routes of issues 4 and 7: /api/auth/session, the admin actions, delete-preview, delete,
 * bulk-delete, /api/deletion-logs and /api/admin/library-import.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class AdminDashboardBrowserTest extends BrowserTestBase {

    static final List<String> SERVICE_ORDER = List.of("sonarr", "radarr", "qbittorrent", "shoko", "jellyfin", "jellyseerr");

    @Inject
    SseHub hub;
    @Inject
    ObjectMapper json;

    String activeId() {
        return (String) browser.js("return document.activeElement && document.activeElement.id");
    }

    boolean focusInDialog() {
        return (Boolean) browser.js("return !!(document.activeElement && document.activeElement.closest('dialog[open]'))");
    }

    WebElement focused() {
        return (WebElement) browser.js("return document.activeElement");
    }

    /** Focuses an element as Tab would and presses a key on it. */
    void press(String css, CharSequence key) {
        browser.js("document.querySelector(arguments[0]).focus()", css);
        browser.find(css).sendKeys(key);
    }

    static String card(int id) {
        return DashboardBrowserTest.card(id);
    }

    static int deliver(String service, Payload payload) {
        return DashboardBrowserTest.deliver(service, payload);
    }

    /** Paprika requested, known to Radarr and playable in Jellyfin: an available movie with every id. */
    static int availablePaprika() {
        int id = deliver("jellyseerr", Paprika.request());
        deliver("radarr", DashboardBrowserTest.paprikaAdded());
        deliver("jellyfin", Paprika.inJellyfin());
        return id;
    }

    static int declined() {
        return deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-declined.json"));
    }

    // --- header -----------------------------------------------------------------------------------------------

    @Test
    @TestSecurity(user = "admin-user", roles = { "user", "admin" })
    void anAdminSeesTheirNameTheAdminBadgeLogoutAndTheDeletionsPage() {
        openLive("#/");
        browser.await(() -> assertEquals("admin-user", browser.text("#user-name")));
        assertTrue(browser.find("#admin-badge").isDisplayed());
        assertEquals("Admin", browser.text("#admin-badge"));
        assertTrue(browser.find("#logout").isDisplayed());
        assertTrue(browser.all("#login-link").isEmpty());
        assertTrue(browser.find("[data-nav='/deletions']").isDisplayed());
        assertTrue(browser.find("#events-link").isDisplayed(), "the raw event log is linked for admins");
    }

    @Test
    void anAnonymousVisitorGetsALoginLinkThatLeadsBackToTheirPage() {
        openLive("#/history");
        browser.await(() -> assertTrue(browser.find("#login-link").isDisplayed()));
        assertEquals("#/login?next=%23%2Fhistory", browser.find("#login-link").getAttribute("href")
                .replaceFirst("^.*?#", "#"));
        assertTrue(browser.all("#user-name, #logout").isEmpty());
        browser.find("#login-link").click();
        browser.await(() -> {
            assertEquals("page", browser.find("#login-link").getAttribute("aria-current"));
            assertEquals("login-username", activeId());
        });
        assertEquals("#/login?next=%23%2Fhistory", browser.find("#login-link").getAttribute("href")
                .replaceFirst("^.*?#", "#"), "the way back is kept on the login page");
    }

    // --- not an admin -----------------------------------------------------------------------------------------

    @Test
    @TestSecurity(user = "plain-user", roles = { "user" })
    void aUserWhoIsNotAnAdminSeesNoAdminControlsAndNoRawEvents() {
        int failed = declined();
        openLive("#/request/" + failed);
        browser.await(() -> {
            assertEquals("Failed", browser.text(".card-detail .badge.state"));
            assertEquals("plain-user", browser.text("#user-name"));
        });
        assertFalse(browser.find("#admin-badge").isDisplayed());
        assertTrue(browser.all(".actions, #action-retry, #action-verify, #action-delete").isEmpty());
        assertTrue(browser.all("#events, .raw-events").isEmpty(), "raw events are for admins (the API leaves them out)");
        assertNotNull(get("/api/requests/" + failed).then().statusCode(200).extract().path("timeline_events"));
        assertFalse(browser.find("[data-nav='/deletions']").isDisplayed());
        assertFalse(browser.find("#events-link").isDisplayed());

        openLive("#/history");
        browser.await(() -> assertEquals(1, browser.all("#history-list .card").size()));
        assertTrue(browser.all(".bulk-bar, .pick, .card-actions").isEmpty());

        browser.open(page("#/deletions"));
        browser.await(() -> assertTrue(browser.text("#admin-only").contains("plain-user is not one"), browser.text("#admin-only")));
    }

    // --- request detail ---------------------------------------------------------------------------------------

    @Test
    @TestSecurity(user = "admin-user", roles = { "user", "admin" })
    void theDetailPageOffersRetryVerifyAndDeleteAndTheDeleteDialogWorksFromTheKeyboard() {
        int failed = declined();
        openLive("#/request/" + failed);
        browser.await(() -> assertTrue(browser.find("#action-delete").isDisplayed()));
        assertTrue(browser.find("#action-retry").isDisplayed(), "a failed request can be retried");
        assertTrue(browser.find("#action-verify").isDisplayed(), "and verified");
        assertEquals("Admin actions", browser.find(".actions").getAttribute("aria-label"));
        browser.await(() -> assertFalse(browser.all("#events details").isEmpty(), "admins see the raw events"));

        // Delete… opens a dialog: focus moves in, the plan lists each service in the order they are asked
        press("#action-delete", Keys.ENTER);
        browser.await(() -> {
            assertNotNull(browser.find("dialog.delete-dialog[open]"));
            assertTrue(focusInDialog(), "focus moved into the dialog");
            assertFalse(browser.all("#delete-plan li").isEmpty());
        });
        List<String> services = browser.all("#delete-plan li").stream().map(li -> li.getAttribute("data-service")).toList();
        assertEquals(SERVICE_ORDER.stream().filter(services::contains).toList(), services);
        assertTrue(browser.find("#delete-files").isSelected(), "files are deleted unless the admin says otherwise");
        assertEquals("Delete files from disk", browser.text("label[for='delete-files']").trim());
        assertTrue(browser.text("#sync-off").contains("only the tracker's row will be removed"), "deletion sync is off here");
        String labelledBy = browser.find("dialog.delete-dialog").getAttribute("aria-labelledby");
        assertTrue(browser.text("#" + labelledBy).contains("Delete"));
        browser.screenshots("delete-dialog");

        // Escape closes it and gives focus back to the button that opened it; nothing was deleted
        focused().sendKeys(Keys.ESCAPE);
        browser.await(() -> {
            assertTrue(browser.all("dialog[open]").isEmpty());
            assertEquals("action-delete", activeId());
        });
        assertEquals("failed", get("/api/requests/" + failed).then().extract().path("state"));

        // Verify and Retry say what came of them; the buttons are usable again afterwards
        browser.find("#action-verify").click();
        browser.await(() -> {
            assertFalse(browser.text("#action-msg").isBlank());
            assertEquals(null, browser.find("#action-verify").getAttribute("aria-busy"));
        });
        browser.find("#action-retry").click();
        browser.await(() -> assertFalse(browser.text("#action-msg").isBlank()));
        browser.await(() -> assertTrue(browser.all("#action-retry[aria-busy]").isEmpty()));
    }

    @Test
    @TestSecurity(user = "admin-user", roles = { "user", "admin" })
    void aFailedCardOnHistoryHasRetryForAdmins() {
        int failed = declined();
        openLive("#/history");
        browser.await(() -> assertTrue(browser.find(card(failed) + " .card-actions .retry").isDisplayed()));
        browser.find(card(failed) + " .card-actions .retry").click();
        // Whatever the retry did, it is said: on the card, or (once the request left History) in a toast
        browser.await(() -> {
            String onCard = browser.text(card(failed) + " .action-msg");
            assertTrue(!browser.text("#toasts").isBlank() || (onCard != null && !onCard.isBlank()));
        });
        assertTrue(browser.all(card(failed) + " .retry[aria-busy]").isEmpty());
    }

    @Test
    @TestSecurity(user = "admin-user", roles = { "user", "admin" })
    void deletingARequestOpensItsDeletionWhichFollowsItLive() {
        int paprika = availablePaprika();
        openLive("#/request/" + paprika);
        browser.await(() -> assertEquals("Ready", browser.text(".card-detail .badge.state")));
        assertFalse(browser.find("#action-verify").isDisplayed(), "nothing to verify once available");
        assertFalse(browser.find("#action-retry").isDisplayed());

        browser.find("#action-delete").click();
        browser.await(() -> assertFalse(browser.all("#delete-plan li").isEmpty()));
        // keep the files this time, from the keyboard
        browser.find("#delete-files").sendKeys(Keys.SPACE);
        assertFalse(browser.find("#delete-files").isSelected());
        press("dialog.delete-dialog .confirm", Keys.ENTER);

        // then the deletion's own page, following it
        browser.await(() -> assertTrue(((String) browser.js("return location.hash")).matches("#/deletions/\\d+")));
        long logId = Long.parseLong(((String) browser.js("return location.hash")).replaceAll("\\D", ""));
        browser.await(() -> {
            String status = browser.text("#deletion-status");
            assertTrue(status.equals("Complete") || status.equals("Incomplete"), status);
            assertFalse(browser.all("#steps li[data-service]").isEmpty());
            assertFalse(browser.all("#deletion-events li[data-service]").isEmpty());
        });
        // (read in one go: the page redraws the list as the deletion's events come in)
        @SuppressWarnings("unchecked")
        List<String> services = (List<String>) browser.js("return [...document.querySelectorAll('#steps li[data-service]')].map(li => li.dataset.service)");
        assertEquals(SERVICE_ORDER.stream().filter(services::contains).toList(), services, "in the order the server asks them");
        browser.await(() -> {
            assertTrue(browser.text("#deletion-facts").contains("Kept"), "files kept on disk");
            assertTrue(browser.text("#deletion-facts").contains("admin-user"));
        });
        assertEquals(Boolean.TRUE, browser.js("return [...document.querySelectorAll('li[data-service] .step-icon')]"
                + ".every(i => i.textContent.trim().length > 0)"), "each step has an icon");
        assertEquals("removed", get("/api/requests/" + paprika).then().extract().path("state"));
        browser.screenshots("deletion-detail");

        // Live: a progress event for this deletion patches the page without a reload (here one made up for the
        // purpose; the page then fetches the real log again)
        browser.js("window.__seen = []; new MutationObserver(() => window.__seen.push(document.querySelector('#deletion-status').textContent))"
                + ".observe(document.querySelector('#deletion-status'), {childList: true, characterData: true, subtree: true});");
        new DeletionStream(db, hub, json).send("deletion_progress", paprika, logId, DeletionStream.view(logId, paprika,
                "Paprika", "in_progress", List.of(DeletionStream.step("radarr", "running", "Deleting in Radarr", null))));
        browser.await(() -> assertTrue(((List<?>) browser.js("return window.__seen")).contains("In progress"),
                "the stream's update was shown: " + browser.js("return window.__seen")));
        browser.await(() -> assertFalse("In progress".equals(browser.text("#deletion-status"))));
        assertNotReloaded();
    }

    // --- history ----------------------------------------------------------------------------------------------

    @Test
    @TestSecurity(user = "admin-user", roles = { "user", "admin" })
    void historyDeletesTheSelectedRequestsAndImportsTheLibrary() {
        int failed = declined();
        int perfectBlue = deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json"));
        deliver("jellyfin", Payload.of("protocol/jellyfin-item-added-movie.json"));
        openLive("#/history");
        browser.await(() -> assertEquals(2, browser.all("#history-list .card .pick-box").size()));
        assertEquals("Delete selected (0)", browser.text("#bulk-delete"));
        assertEquals("true", browser.find("#bulk-delete").getAttribute("aria-disabled"));
        String label = (String) browser.js("return document.querySelector(arguments[0]).closest('label').textContent",
                card(perfectBlue) + " .pick-box");
        assertTrue(label.startsWith("Select Perfect Blue"), label);

        // Pick one from the keyboard, then all on the page
        press(card(failed) + " .pick-box", Keys.SPACE);
        browser.await(() -> assertEquals("Delete selected (1)", browser.text("#bulk-delete")));
        browser.find("#select-all").click();
        browser.await(() -> assertEquals("Delete selected (2)", browser.text("#bulk-delete")));
        browser.screenshots("history-admin");

        // The dialog lists them; Escape closes it and keeps the selection
        press("#bulk-delete", Keys.ENTER);
        browser.await(() -> {
            assertEquals(2, browser.all("dialog.bulk-dialog[open] #bulk-list li").size());
            assertTrue(focusInDialog());
        });
        browser.await(() -> assertTrue(browser.find("#sync-off").isDisplayed()));
        browser.screenshots("bulk-delete-dialog");
        focused().sendKeys(Keys.ESCAPE);
        browser.await(() -> {
            assertTrue(browser.all("dialog[open]").isEmpty());
            assertEquals("bulk-delete", activeId());
        });
        assertEquals("Delete selected (2)", browser.text("#bulk-delete"));

        // Confirmed: the deletions start and the page says where to follow them
        press("#bulk-delete", Keys.ENTER);
        browser.await(() -> assertNotNull(browser.find("dialog.bulk-dialog[open] .confirm")));
        browser.find("dialog.bulk-dialog .confirm").click();
        browser.await(() -> {
            assertTrue(browser.all("dialog[open]").isEmpty());
            assertTrue(browser.text("#history-msg").startsWith("Deleting 2 requests"), browser.text("#history-msg"));
            assertEquals("Delete selected (0)", browser.text("#bulk-delete"));
        });
        browser.find("#history-msg a[href='#/deletions']").click();
        browser.await(() -> assertEquals(2, browser.all("#deletion-rows tr").size()));

        // Import library: the result, or why there is none (Jellyfin is not configured in this test)
        openLive("#/history");
        browser.await(() -> assertTrue(browser.find("#import-library").isDisplayed()));
        press("#import-library", Keys.ENTER);
        browser.await(() -> assertTrue(focusInDialog()));
        browser.find("dialog.import-dialog .confirm").click();
        browser.await(() -> assertTrue(!browser.all("#import-result").isEmpty()
                || !browser.text("dialog.import-dialog .action-msg").isBlank()));
        browser.screenshots("import-dialog");
        focused().sendKeys(Keys.ESCAPE);
        browser.await(() -> assertTrue(browser.all("dialog[open]").isEmpty()));
    }

    // --- deletions --------------------------------------------------------------------------------------------

    @Test
    @TestSecurity(user = "admin-user", roles = { "user", "admin" })
    void theDeletionsPageListsBySourceWithCountsAndFollowsDeletionsLive() {
        int paprika = availablePaprika();
        int failed = declined();
        long first = deleteByApi(paprika);
        openLive("#/deletions");
        browser.await(() -> assertEquals(1, browser.all("#deletion-rows tr").size()));
        assertEquals(List.of("All1", "Dashboard1", "Sonarr0", "Radarr0"),
                browser.all(".tabs .tab").stream().map(t -> t.getText().replaceAll("\\s+", "")).toList());
        String row = "#deletion-rows tr[data-id='" + first + "']";
        browser.await(() -> assertTrue(List.of("Complete", "Incomplete").contains(browser.text(row + " .dstatus"))));
        assertTrue(browser.text(row).contains("admin-user"));
        assertTrue(browser.text(row).contains("Dashboard"));
        long loads = loads();

        // A known deletion's progress patches its row in place
        new DeletionStream(db, hub, json).send("deletion_progress", paprika, first, DeletionStream.view(first, paprika,
                "Paprika", "in_progress", List.of(DeletionStream.step("radarr", "running", "Deleting", null))));
        browser.await(() -> {
            assertEquals("In progress", browser.text(row + " .dstatus"));
            assertTrue(browser.find(row + " .dstatus").getAttribute("class").contains("dstatus-in_progress"));
        });
        assertEquals(loads, loads(), "patched, not fetched again");
        assertTrue(browser.text(row).contains("admin-user"), "the stream's view has no deleted_by: the row keeps it");

        // A new deletion (from elsewhere) appears with the counts
        long second = deleteByApi(failed);
        browser.await(() -> {
            assertEquals(2, browser.all("#deletion-rows tr").size());
            assertEquals("All2", browser.text(".tabs .tab[data-source='all']").replaceAll("\\s+", ""));
        });
        assertEquals(String.valueOf(second), browser.find("#deletion-rows tr").getAttribute("data-id"), "newest first");
        assertNotReloaded();
        browser.screenshots("deletions");

        // Source tabs
        browser.find(".tabs .tab[data-source='sonarr']").click();
        browser.await(() -> {
            assertEquals("page", browser.find(".tabs .tab[data-source='sonarr']").getAttribute("aria-current"));
            assertTrue(browser.text(".empty").contains("No deletions"));
        });

        // A row opens its detail
        browser.open(page("#/deletions"));
        browser.await(() -> assertEquals(2, browser.all("#deletion-rows tr").size()));
        browser.find("#deletion-rows tr[data-id='" + first + "'] a").click();
        browser.await(() -> {
            assertEquals("#/deletions/" + first, browser.js("return location.hash"));
            assertTrue(browser.text("main h1").startsWith("Paprika"), browser.text("main") + " / calls: "
                    + browser.js("return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/'))"
                    + ".map(e => e.name + ' ' + Math.round(e.startTime) + '-' + Math.round(e.responseEnd)).join(', ')")
                    + " / streams open on the server: " + hub.clientCount());
            assertEquals("page", browser.find("[data-nav='/deletions']").getAttribute("aria-current"));
        });
    }

    /** Deletes a request through the API (as the admin of this test) and returns the deletion's id. */
    /** Deletes through the API and waits until the deletion has finished (the page is opened on a settled log). */
    static long deleteByApi(int requestId) {
        long id = ((Number) given().contentType("application/json").body(Map.of("delete_files", true))
                .post("/api/requests/" + requestId + "/delete").then().statusCode(202).extract().path("id")).longValue();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> !"in_progress".equals(
                given().get("/api/deletion-logs/" + id).then().statusCode(200).extract().path("status")));
        return id;
    }

}
