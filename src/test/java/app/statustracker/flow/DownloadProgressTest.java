package app.statustracker.flow;

import static app.statustracker.flow.Scenario.deliver;
import static app.statustracker.flow.Scenario.deliverAndGetRequestId;
import static app.statustracker.flow.Scenario.qbitFinished;
import static app.statustracker.flow.Scenario.request;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import app.statustracker.support.Database;
import app.statustracker.support.FakeMediaServer;
import app.statustracker.support.Paprika;
import app.statustracker.support.PostgresTestResource;
import app.statustracker.support.QbittorrentNox;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Download progress from a real qbittorrent-nox, found by the app's own polling (issue 5, item 1): no completion
 * hook is sent unless the test says so.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeMediaServer.class)
@WithTestResource(value = QbittorrentNox.class)
class DownloadProgressTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Database db;
    @TempDir
    Path dir;

    @BeforeEach
    void clean() {
        db.clean();
        FakeMediaServer.reset();
    }

    /**
     * A movie requested in Jellyseerr and grabbed in Radarr, whose torrent qBittorrent holds without its data and
     * without a peer (it stalls at 0 %). Returns the request id.
     */
    private int grabbedWithoutData(String subject, int tmdbId, int radarrId, String jellyseerrRequestId)
            throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("incomplete"));
        String hash = QbittorrentNox.current().addTorrent(dir, subject.replace(" ", ".") + ".1080p.mkv", 200_000,
                elsewhere);
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request().set("request.request_id", jellyseerrRequestId)
                .set("media.tmdbId", String.valueOf(tmdbId)).set("subject", subject));
        deliver("radarr", Paprika.grab().set("downloadId", hash.toUpperCase(Locale.ROOT)).set("movie.tmdbId", tmdbId)
                .set("remoteMovie.tmdbId", tmdbId).set("movie.id", radarrId));
        return id;
    }

    private static void awaitState(int id, String state) {
        await().atMost(WAIT).untilAsserted(() -> request(id).body("state", equalTo(state)));
    }

    @Test
    void aTorrentCompleteAtOnceMovesTheMovieOnWithoutTheCompletionHook() throws Exception {
        // given a grabbed movie whose torrent qBittorrent finds complete on disk (data already there)
        String hash = QbittorrentNox.current().addTorrent(dir, "Paprika.2006.1080p.BluRay.mkv", 300_000, dir);
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.grab().set("downloadId", hash.toUpperCase(Locale.ROOT)));

        // then polling finds it finished: downloaded, at 100 %, with the completion in the timeline
        awaitState(id, "downloaded");
        request(id).body("download_progress", equalTo(1.0f)).body("download_speed", nullValue())
                .body("timeline_events.event_type", hasItem("Complete"))
                .body("timeline_events.service", hasItem("qbittorrent"));

        // and the completion hook, arriving late, is the same event: a duplicate that changes nothing
        deliver("qbittorrent", qbitFinished(hash, "Paprika.2006.1080p.BluRay.mkv")).body("outcome", equalTo("duplicate"));
        assertEquals(1, db.count("SELECT count(*) FROM inbound_event WHERE source = 'qbittorrent'"
                + " AND event_type = 'complete' AND outcome = 'applied'"));
        request(id).body("state", equalTo("downloaded"));
    }

    @Test
    void aSeriesWithTwoTorrentsIsFollowedPerEpisodeUntilEveryOneIsDone() throws Exception {
        // given two episodes grabbed as two torrents: one finds its data on disk, the other waits for peers
        Path elsewhere = Files.createDirectories(dir.resolve("incomplete"));
        String done = QbittorrentNox.current().addTorrent(dir, "Frieren.S01E05.1080p.mkv", 250_000, dir);
        String waiting = QbittorrentNox.current().addTorrent(dir, "Frieren.S01E06.1080p.mkv", 250_000, elsewhere);
        int id = deliverAndGetRequestId("jellyseerr", app.statustracker.support.Payload
                .of("protocol/jellyseerr-media-auto-approved.json")
                .set("subject", "Frieren: Beyond Journey's End (2023)").set("media.media_type", "tv")
                .set("media.tmdbId", "209867").set("media.tvdbId", "424536").set("request.request_id", "400"));
        deliver("sonarr", app.statustracker.support.Payload.of("protocol/sonarr-grab.json")
                .set("downloadId", done.toUpperCase(Locale.ROOT)));
        deliver("sonarr", app.statustracker.support.Payload.of("protocol/sonarr-grab.json")
                .set("downloadId", waiting.toUpperCase(Locale.ROOT)).set("episodes.0.id", 2105)
                .set("episodes.0.episodeNumber", 6).set("episodes.0.tvdbId", 9894542)
                .set("episodes.0.title", "A Real Hero"));

        // then each episode follows its own torrent, and the request its least advanced episode
        await().atMost(WAIT).untilAsserted(() -> request(id)
                .body("episodes.find { it.episode_number == 5 }.state", equalTo("downloaded"))
                .body("episodes.find { it.episode_number == 6 }.state", equalTo("downloading")));
        request(id).body("state", equalTo("downloading"))
                .body("episodes.find { it.episode_number == 5 }.download_progress", equalTo(1.0f))
                .body("episodes.find { it.episode_number == 6 }.download_progress", equalTo(0.0f))
                .body("download_progress", equalTo(0.5f)); // two torrents of the same size, one done
    }

    @Test
    void aSeasonPackShowsEachEpisodesOwnFileProgress() throws Exception {
        // given a two-episode pack whose first file is on disk and whose second is not
        String pack = QbittorrentNox.current().addPack(dir, "Frieren.S01.1080p",
                List.of("Frieren.S01E05.1080p.mkv", "Frieren.S01E06.1080p.mkv"), 163_840,
                Set.of("Frieren.S01E06.1080p.mkv"));
        int id = deliverAndGetRequestId("jellyseerr", app.statustracker.support.Payload
                .of("protocol/jellyseerr-media-auto-approved.json")
                .set("subject", "Frieren: Beyond Journey's End (2023)").set("media.media_type", "tv")
                .set("media.tmdbId", "209867").set("media.tvdbId", "424536").set("request.request_id", "401"));
        app.statustracker.support.Payload grab = app.statustracker.support.Payload.of("protocol/sonarr-grab.json")
                .set("downloadId", pack.toUpperCase(Locale.ROOT));
        deliver("sonarr", grab.set("episodes", List.of(episode(grab, 0, 2104, 5, 9894541), episode(grab, 0, 2105, 6,
                9894542))));

        // then each episode shows its own file's progress; the torrent (half done) is still downloading
        await().atMost(WAIT).untilAsserted(() -> request(id)
                .body("episodes.find { it.episode_number == 5 }.download_progress", equalTo(1.0f))
                .body("episodes.find { it.episode_number == 6 }.download_progress", equalTo(0.0f))
                .body("download_progress", equalTo(0.5f))); // qBittorrent's own figure follows its re-check
        request(id).body("state", equalTo("downloading")).body("episodes.state", everyItem(equalTo("downloading")));
    }

    /** Episode {@code index} of a Sonarr payload, as a JSON object with other ids and numbers. */
    private static Object episode(app.statustracker.support.Payload payload, int index, int id, int number, long tvdbId) {
        com.fasterxml.jackson.databind.node.ObjectNode e = payload.at("episodes." + index).deepCopy();
        return e.put("id", id).put("episodeNumber", number).put("tvdbId", tvdbId);
    }

    @Test
    void whenQbittorrentStopsAnsweringTheCardSaysSoAndRecoversWithoutARestart() throws Exception {
        // given a movie downloading (stalled) while qBittorrent answers
        int id = grabbedWithoutData("Akira (1988)", 149, 20, "303");
        awaitState(id, "downloading");

        // when qBittorrent goes away (a crash, its VPN container down)
        QbittorrentNox.current().halt();
        try {
            // then the card says so instead of showing an old speed
            await().atMost(WAIT).untilAsserted(() -> request(id)
                    .body("stuck_reason", startsWith("qBittorrent: not answering since "))
                    .body("download_speed", nullValue()));
        } finally {
            QbittorrentNox.current().restart();
        }

        // and once it answers again, the next cycle shows the real figures (here: the torrent is stalled)
        await().atMost(WAIT).untilAsserted(() -> request(id)
                .body("stuck_reason", startsWith("qBittorrent: stalled, "))
                .body("download_speed", equalTo("0 B/s")));
    }

    @Test
    void aTorrentQbittorrentNoLongerHasIsNamedOnTheCard() {
        // given a grab whose torrent qBittorrent does not have (removed there)
        int id = deliverAndGetRequestId("jellyseerr", Paprika.request());
        deliver("radarr", Paprika.grab().set("downloadId", "ABCDEF0123456789ABCDEF0123456789ABCDEF01"));

        // then, after QBIT_STALLED_AFTER (2 s here), the card says so; the request stays where it was
        await().atMost(WAIT).untilAsserted(() -> request(id).body("stuck_reason",
                equalTo("qBittorrent: its torrent is no longer in qBittorrent (removed there?)")));
        request(id).body("state", equalTo("grabbing")).body("download_speed", nullValue());
    }

    @Test
    void aTorrentWaitingForPeersShowsTheRequestDownloadingAtZeroAndIsKeptUnderWatch() throws Exception {
        // given a grabbed movie whose torrent has no data and no peer (stalled)
        int id = grabbedWithoutData("Spirited Away (2001)", 129, 19, "302");

        // then polling moves it to downloading once, and keeps measuring it
        awaitState(id, "downloading");
        request(id).body("download_progress", equalTo(0.0f)).body("download_speed", equalTo("0 B/s"))
                .body("timeline_events.event_type", hasItem("Started"));
        // and once nothing has arrived for QBIT_STALLED_AFTER (2 s here), the card says why it does not move
        await().atMost(WAIT).untilAsserted(() -> request(id).body("stuck_reason",
                startsWith("qBittorrent: stalled, 0 seeds, 0 B/s for ")));
        request(id).body("state", equalTo("downloading"));
        // several cycles later the "Started" event was still reported once only
        assertEquals(1, db.count("SELECT count(*) FROM inbound_event WHERE source = 'qbittorrent' AND request_id = " + id));
        assertEquals(0, db.count("SELECT count(*) FROM inbound_event WHERE outcome = 'duplicate'"));
    }
}
