package app.statustracker.dashboard;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.ObjectMapper;

import app.statustracker.StreamEvent;
import app.statustracker.repository.StreamEventRepository;
import app.statustracker.service.EventPipeline;
import app.statustracker.service.RequestViews;
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
 * The dashboard in a real headless Chromium: webhooks posted during a test must show up on the open page without a
 * reload, the page must survive a dropped stream, and each page is saved as a screenshot at 1280 and 360 px
 * (target/screenshots) for review.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DashboardBrowserTest extends BrowserTestBase {

    static final String LYCORIS_PACK = "3F92992E2FBEB6EBB251304236BF5E0B600A91C3";

    @Inject
    SseHub hub;
    @Inject
    EventPipeline pipeline;
    @Inject
    StreamEventRepository streamEvents;
    @Inject
    ObjectMapper json;

    // --- the payloads: real fixtures, varied as another delivery would be -------------------------------------

    static Payload paprikaAdded() {
        return Paprika.radarr(Payload.of("protocol/radarr-grab.json")).set("eventType", "MovieAdded").remove("release")
                .remove("downloadId").set("addMethod", "manual");
    }

    static Payload qbitFinished(String hash, String name) {
        return Payload.parse("{\"hash\":\"" + hash + "\",\"name\":\"" + name + "\",\"path\":\"/data/torrents/" + name
                + "\",\"size\":\"1181116032\"}");
    }

    static int deliver(String service, Payload payload) {
        return given().contentType("application/json").body(payload.toString()).post("/hooks/" + service).then()
                .statusCode(200).extract().path("request_id");
    }

    static String card(int id) {
        return ".card[data-id='" + id + "']";
    }

    // --- Active -----------------------------------------------------------------------------------------------

    @Test
    void aWebhookChangesItsCardInPlaceANewRequestAppearsAndAFinishedOneLeaves() {
        int paprika = deliver("jellyseerr", Paprika.request());
        int perfectBlue = deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json"));
        openLive("#/");
        browser.await(() -> {
            assertEquals("Approved", browser.text(card(paprika) + " .badge.state"));
            assertEquals("2 requests in progress", browser.text("#active-count"));
        });
        // Mark both card nodes: a patched card is the same node, a re-rendered one would be new.
        browser.js("document.querySelector(arguments[0]).__node = 'paprika';"
                + "document.querySelector(arguments[1]).__node = 'perfect blue';", card(paprika), card(perfectBlue));
        long loads = loads();

        // when Radarr grabs Paprika
        deliver("radarr", Paprika.grab());

        // then its card says so, patched in place; nothing was fetched again
        browser.await(() -> {
            assertEquals("Grabbed", browser.text(card(paprika) + " .badge.state"));
            String meta = browser.text(card(paprika) + " .meta");
            assertTrue(meta.contains("Bluray-1080p") && meta.contains("from Nyaa (Prowlarr)"), meta);
            long size = get("/api/requests/" + paprika).then().extract().jsonPath().getLong("file_size");
            assertTrue(meta.contains(RequestViews.formatSize(size)), meta + " lacks the size in Appendix B format");
            assertTrue(browser.text(card(paprika) + " .next").contains("qBittorrent"));
        });
        assertNotReloaded();
        assertEquals("paprika", browser.js("return document.querySelector(arguments[0]).__node", card(paprika)));
        assertEquals("perfect blue", browser.js("return document.querySelector(arguments[0]).__node", card(perfectBlue)));
        assertEquals(loads, loads(), "an update patches the card; it does not fetch the list again");

        // when a new request arrives
        int frieren = deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-pending.json"));
        browser.await(() -> {
            assertEquals("Requested", browser.text(card(frieren) + " .badge.state"));
            assertEquals("TV", browser.text(card(frieren) + " .badge.type"));
            assertTrue(browser.text(card(frieren) + " .meta").contains("requested by mika"));
            assertEquals("3 requests in progress", browser.text("#active-count"));
        });
        assertEquals(String.valueOf(frieren), browser.find("#active-list .card").getAttribute("data-id"),
                "the newest activity comes first");

        // when Jellyfin has Perfect Blue, it is finished: it leaves Active
        deliver("jellyfin", Payload.of("protocol/jellyfin-item-added-movie.json"));
        browser.await(() -> {
            assertTrue(browser.all(card(perfectBlue)).isEmpty());
            assertEquals("2 requests in progress", browser.text("#active-count"));
            assertTrue(browser.text("#toasts").contains("Perfect Blue is Ready"), browser.text("#toasts"));
        });
        assertNotReloaded();
        assertEquals(loads, loads());
    }

    @Test
    void aDownloadShowsProgressSpeedAndEtaInThePrototypesFormats() {
        int paprika = deliver("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.grab());
        // qBittorrent's progress poller is not written yet: its numbers are put where it will put them.
        db.run("UPDATE media_request SET state = 'downloading', download_progress = 0.4237, "
                + "download_speed_bps = 5452595, download_eta_seconds = 200 WHERE id = " + paprika);
        openLive("#/");
        browser.await(() -> assertEquals("42.4% · 5.2 MB/s · ETA 3m 20s", browser.text(card(paprika) + " .progress-text")));
        assertEquals("42.4", browser.find(card(paprika) + " .bar").getAttribute("aria-valuenow"));
        assertEquals("Downloading", browser.text(card(paprika) + " .badge.state"));
        // What does not apply is not shown: no TV block, no 4K or Anime badge; a poster that cannot be loaded
        // (this browser resolves no outside host) gives way to the placeholder.
        assertFalse(browser.find(card(paprika) + " .tv").isDisplayed());
        assertTrue(browser.all(card(paprika) + " .badge.flag").stream().noneMatch(WebElement::isDisplayed));
        browser.await(() -> {
            assertTrue(browser.find(card(paprika) + " .poster-ph").isDisplayed());
            assertFalse(browser.find(card(paprika) + " .poster-img").isDisplayed());
        });
    }

    /**
     * Two hundred active requests, each sent progress in rounds (the qBittorrent poller will send such updates every
     * 3 s; here faster): every card ends on its last progress, patched in place, and nothing is fetched again. The
     * browser's long tasks are printed for the record, not asserted (performance is measured by benchmarks).
     */
    @Test
    void twoHundredActiveRequestsTakeRoundsOfProgressInPlace() throws Exception {
        for (int i = 0; i < 200; i++) {
            deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json")
                    .set("subject", "Film " + i + " (2001)").set("media.tmdbId", String.valueOf(500_000 + i))
                    .set("request.request_id", String.valueOf(5_000 + i)));
        }
        openLive("#/");
        browser.await(() -> assertEquals("200 requests in progress", browser.text("#active-count")));
        browser.js("document.querySelectorAll('#active-list .card').forEach(c => c.__node = c.dataset.id);"
                + "window.__longTasks = [];"
                + "new PerformanceObserver(l => l.getEntries().forEach(e => window.__longTasks.push(Math.round(e.duration))))"
                + ".observe({type: 'longtask'});");
        long loads = loads();
        List<Map<String, Object>> active = get("/api/requests/active").then().extract().jsonPath().getList("$");

        int rounds = 3;
        for (int round = 1; round <= rounds; round++) {
            List<StreamEvent> updates = new java.util.ArrayList<>();
            for (Map<String, Object> r : active) {
                Map<String, Object> request = new java.util.LinkedHashMap<>(r);
                request.put("state", "downloading");
                request.put("state_label", "Downloading");
                request.put("download_progress", round / 4.0);
                request.put("download_speed", round + ".0 MB/s");
                request.put("download_eta", (60 * (rounds - round + 1)) + "s");
                request.put("updated_at", Instant.now().toString());
                updates.add(progress(((Number) r.get("id")).longValue(), request));
            }
            // Persisted like the pipeline's updates, so a client that falls behind resumes from the database.
            for (int from = 0; from < updates.size(); from += 20) {
                hub.publish(updates.subList(from, Math.min(from + 20, updates.size())));
            }
            // The next round only once the page shows this one on every card (a real round comes every 3 s).
            String shown = (round * 25) + ".0%";
            browser.await(() -> assertEquals(200L, ((Number) browser.js("return [...document.querySelectorAll("
                    + "'#active-list .card .progress-text')].filter(p => p.textContent.startsWith(arguments[0])).length",
                    shown)).longValue()));
        }

        String expected = "75.0% · 3.0 MB/s · ETA 60s";
        browser.await(() -> assertEquals(200L, ((Number) browser.js("return [...document.querySelectorAll("
                + "'#active-list .card .progress-text')].filter(p => p.textContent === arguments[0]).length", expected))
                .longValue()));
        assertEquals(200L, ((Number) browser.js("return [...document.querySelectorAll('#active-list .card')]"
                + ".filter(c => c.__node === c.dataset.id).length")).longValue(), "every card kept its node");
        assertEquals(loads, loads());
        assertNotReloaded();
        System.out.println("dashboard: 200 cards x " + rounds + " rounds of progress; browser long tasks (ms): "
                + browser.js("return window.__longTasks"));
    }

    StreamEvent progress(long requestId, Map<String, Object> request) throws Exception {
        StreamEvent e = new StreamEvent();
        e.requestId = requestId;
        e.eventType = "progress";
        e.payload = json.writeValueAsString(Map.of("event_type", "progress", "request_id", requestId, "request", request));
        e.id = Long.parseLong(db.string("INSERT INTO stream_event (request_id, event_type, payload, created_at) VALUES ("
                + requestId + ", 'progress', '" + e.payload.replace("'", "''") + "', now()) RETURNING id"));
        return e;
    }

    @Test
    void aTvRequestShowsItsEpisodesTheirProgressAndUnairedOnesWithTheirAirDate() {
        int id = deliver("jellyseerr", Payload.of("original/jellyseerr-tv-auto-approved.json"));
        deliver("sonarr", Payload.of("original/sonarr-grab.json").replaceAll("/data/anime/shows", "/data/tv")
                .set("series.type", "standard"));
        // Per-episode progress comes from qBittorrent's poller (not written yet): put its numbers where it will.
        db.run("UPDATE episode SET state = 'downloading', download_progress = CASE episode_number WHEN 1 THEN 0.25 "
                + "WHEN 2 THEN 0.5 ELSE 0.755 END WHERE request_id = " + id + " AND episode_number <= 3");
        db.run("UPDATE episode SET state = 'downloaded', download_progress = 1 WHERE request_id = " + id
                + " AND episode_number = 4");
        LocalDate airs = LocalDate.now().plusDays(30);
        db.run("UPDATE episode SET state = 'searching', download_hash = NULL, air_date = '" + airs + "' WHERE request_id = "
                + id + " AND episode_number = 13");
        int movie = deliver("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.grab());
        db.run("UPDATE media_request SET state = 'downloading', download_progress = 0.61, "
                + "download_speed_bps = 2202009, download_eta_seconds = 5400 WHERE id = " + movie);

        openLive("#/");
        String tv = card(id);
        browser.await(() -> assertEquals("Downloading 4/13", browser.text(tv + " .tv-summary")));
        List<String> segments = browser.all(tv + " .segbar .seg").stream().map(s -> s.getAttribute("class")).toList();
        assertEquals(List.of("seg seg-processing", "seg seg-downloading", "seg seg-grabbed", "seg seg-pending"), segments);

        // The list opens from the keyboard.
        WebElement summary = browser.find(tv + " .episodes summary");
        assertEquals("Episodes (13)", summary.getText());
        summary.sendKeys(Keys.ENTER);
        browser.await(() -> assertEquals(13, browser.all(tv + " .ep-list li.ep").size()));
        assertEquals("25.0%", browser.text(tv + " [data-episode='S01E01'] .ep-pct"));
        assertEquals("75.5%", browser.text(tv + " [data-episode='S01E03'] .ep-pct"));
        assertEquals("Downloading", browser.text(tv + " [data-episode='S01E03'] .badge"));
        assertEquals("Downloaded", browser.text(tv + " [data-episode='S01E04'] .badge"));
        assertTrue(browser.all(tv + " [data-episode='S01E04'] .ep-pct").isEmpty(), "no percentage once downloaded");
        assertEquals("Grabbed", browser.text(tv + " [data-episode='S01E05'] .badge"));
        assertEquals("Easy does it", browser.text(tv + " [data-episode='S01E01'] .ep-title"));
        assertEquals("airs " + airs.format(DateTimeFormatter.ofPattern("MMM d, yyyy", Locale.US)),
                browser.text(tv + " [data-episode='S01E13'] .ep-airs"), "the browser's locale is en-US");
        browser.screenshots("active");

        // when qBittorrent finishes the pack, the open list follows without closing
        deliver("qbittorrent", qbitFinished(LYCORIS_PACK.toLowerCase(), "Lycoris Recoil S01"));
        browser.await(() -> {
            assertEquals("Downloaded", browser.text(tv + " [data-episode='S01E01'] .badge"));
            assertEquals("Downloaded 12/13", browser.text(tv + " .tv-summary"));
        });
        assertTrue(browser.find(tv + " details.episodes").getAttribute("open") != null, "the list stayed open");
        assertEquals("airs", browser.text(tv + " [data-episode='S01E13'] .ep-airs").substring(0, 4));
        assertNotReloaded();
    }

    // --- Request detail ---------------------------------------------------------------------------------------

    @Test
    // The raw inbound events are shown to admins only (issue 7).
    @io.quarkus.test.security.TestSecurity(user = "admin-user", roles = { "user", "admin" })
    void theDetailPageShowsTheTimelineOldestFirstInTheBrowsersTimeZoneAndFollowsTheRequest() {
        int id = deliver("jellyseerr", Paprika.request());
        deliver("radarr", paprikaAdded());
        deliver("radarr", Paprika.grab());
        deliver("qbittorrent", qbitFinished(Paprika.HASH.toLowerCase(), "Paprika.2006.1080p.BluRay"));
        deliver("radarr", Paprika.imported());
        openLive("#/request/" + id);
        browser.await(() -> assertEquals(5, browser.all("#timeline li.tl").size()));
        assertTrue(browser.all(".watch").stream().noneMatch(WebElement::isDisplayed), "nothing to watch yet");

        // when Jellyfin adds it, the page follows: state, timeline, Watch link
        deliver("jellyfin", Paprika.inJellyfin());
        browser.await(() -> {
            assertEquals(6, browser.all("#timeline li.tl").size());
            assertEquals("Ready", browser.text(".card-detail .badge.state"));
        });
        assertNotReloaded();

        List<Map<String, Object>> api = get("/api/requests/" + id).then().extract().jsonPath().getList("timeline_events");
        List<WebElement> shown = browser.all("#timeline li.tl");
        assertEquals(List.of("approved", "searching", "grabbing", "downloaded", "importing", "available"),
                shown.stream().map(li -> li.getAttribute("data-state")).toList());
        Instant previous = Instant.MIN;
        for (int i = 0; i < shown.size(); i++) {
            WebElement li = shown.get(i);
            Instant at = Instant.parse(li.findElement(By.tagName("time")).getAttribute("datetime"));
            assertEquals(Instant.parse((String) api.get(i).get("timestamp")), at);
            assertFalse(at.isBefore(previous), "oldest first");
            previous = at;
            // Shown in the browser's zone (not the server's UTC): the hour is Tokyo's.
            ZonedDateTime local = at.atZone(ZoneId.of(Browser.TIME_ZONE));
            int hour12 = local.getHour() % 12 == 0 ? 12 : local.getHour() % 12;
            String clock = String.format("%d:%02d:%02d", hour12, local.getMinute(), local.getSecond());
            String text = li.findElement(By.tagName("time")).getText();
            assertTrue(text.contains(clock), text + " is not " + clock + " in " + Browser.TIME_ZONE);
            assertTrue(li.getText().contains((String) api.get(i).get("event_type")));
        }
        assertTrue(shown.get(0).getText().contains("via Jellyseerr"));
        assertTrue(shown.get(2).getText().contains("via Radarr"));

        WebElement watch = browser.find(".card-detail .watch");
        assertTrue(watch.isDisplayed());
        assertEquals("http://localhost:8096/web/index.html#!/details?id=" + Paprika.JELLYFIN_ITEM, watch.getAttribute("href"));

        // The raw inbound events, masked and formatted when opened.
        List<WebElement> events = browser.all("#events details");
        assertEquals(6, events.size());
        events.get(0).findElement(By.tagName("summary")).click();
        browser.await(() -> assertTrue(browser.text("#events details[open] pre").contains("\"notification_type\"")));
        browser.screenshots("detail");
    }

    @Test
    void anUnknownRequestSaysSo() {
        browser.open(page("#/request/999999"));
        browser.await(() -> assertTrue(browser.text(".error").contains("does not exist")));
    }

    // --- History ----------------------------------------------------------------------------------------------

    @Test
    void historyListsFinishedRequestsWithCountsFiltersAndFollowsNewOnes() {
        int declined = deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-declined.json"));
        int perfectBlue = deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-auto-approved.json"));
        deliver("jellyfin", Payload.of("protocol/jellyfin-item-added-movie.json"));
        int frieren = deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-approved.json"));
        openLive("#/history");
        browser.await(() -> assertEquals(2, browser.all("#history-list .card").size()));
        assertEquals(List.of("All2", "Ready1", "Failed1", "Timeout0", "Removed0"),
                browser.all(".tabs .tab").stream().map(t -> t.getText().replaceAll("\\s+", "")).toList());
        assertTrue(browser.text(card(declined) + " .when").startsWith("Failed "));
        assertFalse(browser.text(card(declined) + " .stuck").isEmpty(), "a declined request says why");
        assertEquals("Ready", browser.text(card(perfectBlue) + " .badge.state"));
        browser.screenshots("history");

        // Filters: by state, then by requester (from the API's list).
        browser.find(".tabs a[href='#/history?state=failed']").click();
        browser.await(() -> {
            assertEquals(List.of(String.valueOf(declined)),
                    browser.all("#history-list .card").stream().map(c -> c.getAttribute("data-id")).toList());
            assertEquals("page", browser.find(".tabs a[href='#/history?state=failed']").getAttribute("aria-current"));
        });
        browser.open(page("#/history"));
        browser.await(() -> browser.find("#history-user option[value='admin']").click());
        browser.await(() -> assertEquals(List.of(String.valueOf(perfectBlue)),
                browser.all("#history-list .card").stream().map(c -> c.getAttribute("data-id")).toList()));

        // A request that finishes while History is open appears there.
        browser.open(page("#/history"));
        browser.awaitLive();
        browser.await(() -> assertEquals(2, browser.all("#history-list .card").size()));
        deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-declined.json").set("subject", "Frieren")
                .set("media.media_type", "tv").set("media.tmdbId", "209867").set("request.request_id", "214"));
        browser.await(() -> {
            assertEquals(3, browser.all("#history-list .card").size());
            assertEquals("Failed2", browser.text(".tabs a[href='#/history?state=failed']").replaceAll("\\s+", ""));
        });
        assertFalse(browser.all(card(frieren)).isEmpty());
    }

    // --- Status -----------------------------------------------------------------------------------------------

    @Test
    void theStatusPageShowsTheDatabaseEachUpstreamAndConnectedDashboards() {
        // Streams of pages the browser left may not be closed yet: drop them, so this page is the only dashboard.
        browser.open("about:blank");
        hub.disconnectAll();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> hub.clientCount() == 0);
        browser.open(page("#/status"));
        browser.awaitLive();
        browser.find(".page-head button").click(); // asked again now that this page's own stream is open
        browser.await(() -> assertEquals("1", browser.text("#sse-clients")));
        assertEquals("All systems operational", browser.text(".overall"));
        assertTrue(browser.text(".facts").contains("Connected"), "the database");
        String jellyfin = browser.text(".svc[data-service='jellyfin']");
        assertTrue(jellyfin.contains("Not configured") && jellyfin.contains("JELLYFIN_API_KEY"), jellyfin);
        assertTrue(browser.text(".facts").contains(get("/api/health").then().extract().<String>path("version")));
        assertTrue(browser.text("#webhook-secret").contains("set WEBHOOK_SECRET"), "the open /hooks is said");
        browser.screenshots("status");
    }

    // --- Losing the stream ------------------------------------------------------------------------------------

    /** The Active page open, showing Paprika approved; returns its request id. */
    private int activePageShowingPaprika() {
        int id = deliver("jellyseerr", Paprika.request());
        openLive("#/");
        browser.await(() -> assertEquals("Approved", browser.text(card(id) + " .badge.state")));
        return id;
    }

    /** The server drops every stream, as a restart does; Radarr's grab is made while the page is away. */
    private void dropStreamsAndGrabMeanwhile() {
        hub.disconnectAll();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> hub.clientCount() == 0);
        deliver("radarr", Paprika.grab());
    }

    @Test
    void whenTheStreamDropsThePageReconnectsByItselfAndCatchesUp() {
        int id = activePageShowingPaprika();
        long loads = loads();

        // when the server drops every stream (as a restart does) and an update is made while the page is away
        dropStreamsAndGrabMeanwhile();
        assertEquals(0, hub.clientCount(), "the page came back before the update was made: the test proves nothing");
        long missed = Long.parseLong(db.string("SELECT max(id) FROM stream_event"));

        // then the page reconnects by itself (the server's retry: 3000), resumes after what it had, and shows it
        browser.await(() -> assertEquals("Grabbed", browser.text(card(id) + " .badge.state")));
        assertNotReloaded();
        assertEquals(2L, ((Number) browser.js("return window.statusTracker.connects")).longValue());
        Number resumedAfter = (Number) browser.js("return window.statusTracker.resumedAfter");
        assertNotNull(resumedAfter, "the browser reconnected without Last-Event-ID");
        assertTrue(resumedAfter.longValue() < missed, "the update came from the resumed stream");
        assertTrue(((List<?>) browser.js("return window.statusTracker.states")).contains("reconnecting"),
                "the indicator showed the lost connection");
        assertEquals("live", browser.js("return window.statusTracker.state"));
        assertEquals(loads, loads(), "caught up from the stream, not by loading the list again");
    }

    @Test
    void whenTheBrowserGivesUpThePageOpensTheStreamAgainWithBackoffAndResumes() {
        int id = activePageShowingPaprika();
        long loads = loads();

        // when the stream drops and cannot be reached again (as behind a proxy while the service restarts)
        browser.cdp("Network.enable", Map.of());
        browser.cdp("Network.setBlockedURLs", Map.of("urls", List.of("*/api/sse*")));
        try {
            dropStreamsAndGrabMeanwhile();

            // then the browser's own reconnection fails and the page says it is offline and when it tries again
            browser.await(() -> assertEquals("offline", browser.js("return window.statusTracker.state")));
            assertTrue(browser.text("#conn").matches("Offline, retrying in \\d+ s"), browser.text("#conn"));
        } finally {
            browser.cdp("Network.setBlockedURLs", Map.of("urls", List.of()));
        }
        long missed = Long.parseLong(db.string("SELECT max(id) FROM stream_event"));

        // and once the stream answers again, the page's own new stream resumes where it was and catches up
        browser.await(() -> assertEquals("Grabbed", browser.text(card(id) + " .badge.state")));
        Number resumedAfter = (Number) browser.js("return window.statusTracker.resumedAfter");
        assertNotNull(resumedAfter, "the new stream did not say where to resume");
        assertTrue(resumedAfter.longValue() < missed);
        assertEquals("live", browser.js("return window.statusTracker.state"));
        assertEquals(loads, loads(), "caught up from the stream, not by loading the list again");
        assertNotReloaded();
    }

    @Test
    void whenWhatItMissedIsNoLongerKeptThePageLoadsItsDataAgain() {
        int id = activePageShowingPaprika();
        long loads = loads();

        dropStreamsAndGrabMeanwhile();
        int frieren = deliver("jellyseerr", Payload.of("protocol/jellyseerr-media-pending.json"));
        // Retention removes what the page missed before it is back.
        pipeline.execute(() -> streamEvents.pruneKeepingNewest(1)).await().atMost(Duration.ofSeconds(10));
        assertEquals(0, hub.clientCount(), "the page came back before retention ran: the test proves nothing");

        browser.await(() -> {
            assertEquals(1L, ((Number) browser.js("return window.statusTracker.resets")).longValue());
            assertEquals("Grabbed", browser.text(card(id) + " .badge.state"));
            assertEquals("Requested", browser.text(card(frieren) + " .badge.state"));
        });
        assertEquals(loads + 1, loads(), "a reset loads the data again");
        assertNotReloaded();
    }
}
