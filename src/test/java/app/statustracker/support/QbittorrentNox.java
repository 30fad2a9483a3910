package app.statustracker.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real {@code qbittorrent-nox} (Debian's package, installed by {@code scripts/install-test-deps.sh}) with a
 * throwaway profile, listening on 127.0.0.1 at a free port, with its default Web UI account (admin / adminadmin on
 * 4.x). The app under test is pointed at it. No peer is ever reachable: torrents either find their data on disk
 * (complete at once) or stay stalled.
 */
public class QbittorrentNox implements QuarkusTestResourceLifecycleManager {

    public static final String USER = "admin";
    public static final String PASSWORD = "adminadmin";
    /** The one started for a Quarkus test (as a test resource), so that the test can give it torrents. */
    private static volatile QbittorrentNox current;
    private Path profile;
    private int port;
    private Process process;

    public static QbittorrentNox current() {
        return current;
    }

    @Override
    public Map<String, String> start() {
        try {
            profile = Files.createTempDirectory("qbt-profile");
            port = freePort();
            Path config = Files.createDirectories(profile.resolve("qBittorrent/config"));
            Files.writeString(config.resolve("qBittorrent.conf"), "[LegalNotice]\nAccepted=true\n\n[Preferences]\n"
                    + "WebUI\\Address=127.0.0.1\nWebUI\\Port=" + port + "\nWebUI\\LocalHostAuth=true\n"
                    + "Connection\\PortRangeMin=" + freePort() + "\n");
            launch();
        } catch (IOException e) {
            throw new IllegalStateException("could not prepare qbittorrent-nox", e);
        }
        current = this;
        // Short intervals: the tests wait for the app's own cycles, and a torrent without data is stalled at once.
        return Map.of("tracker.qbittorrent.host", "127.0.0.1", "tracker.qbittorrent.port", String.valueOf(port),
                "tracker.qbittorrent.username", USER, "tracker.qbittorrent.password", PASSWORD,
                "tracker.qbittorrent.poll-active", "1s", "tracker.qbittorrent.poll-idle", "1s",
                "tracker.qbittorrent.stalled-after", "2s");
    }

    @Override
    public void stop() {
        haltProcess();
    }

    /** Stops and starts qBittorrent again, as a user's restart does: every session ends. */
    public void restart() {
        haltProcess();
        launch();
    }

    /** Stops it (as a crash or a VPN container going down would); {@link #restart()} brings it back. */
    public void halt() {
        haltProcess();
    }

    public int port() {
        return port;
    }

    private void launch() {
        try {
            String binary = System.getenv().getOrDefault("QBITTORRENT_NOX", "qbittorrent-nox");
            process = new ProcessBuilder(binary, "--profile=" + profile, "--webui-port=" + port)
                    .redirectErrorStream(true).redirectOutput(profile.resolve("qbittorrent.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("qbittorrent-nox could not be started; run scripts/install-test-deps.sh", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                if (http().send(HttpRequest.newBuilder(URI.create(base() + "/api/v2/app/webapiVersion")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() > 0) {
                    return;
                }
            } catch (IOException e) {
                sleep();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("qbittorrent-nox did not answer within 20 s");
    }

    private void haltProcess() {
        if (process != null) {
            process.destroy(); // SIGTERM: it saves its torrents' resume data and exits
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private static HttpClient http() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes a file of {@code bytes} random bytes named {@code name} under {@code dir}, makes a torrent of it and
     * adds it to qBittorrent with {@code savePath} as its save path. Returns the info-hash (lower case). With
     * {@code savePath} = {@code dir} qBittorrent finds the data and the torrent is complete at once; with another
     * directory it waits for peers that never come (stalled at 0 %).
     */
    public String addTorrent(Path dir, String name, int bytes, Path savePath) throws Exception {
        byte[] data = new byte[bytes];
        new java.util.Random(name.hashCode()).nextBytes(data);
        Files.write(dir.resolve(name), data);
        Map<String, Object> info = new TreeMap<>();
        info.put("length", (long) data.length);
        info.put("name", name);
        info.put("piece length", (long) PIECE);
        info.put("pieces", pieces(data));
        return add(name, info, savePath);
    }

    /**
     * A season pack: a folder with one file of {@code bytesEach} bytes (a multiple of 16 KiB, so that no piece spans
     * two files) per name, saved under {@code dir}; the files named in {@code missing} are deleted once the torrent
     * is made, so qBittorrent finds the others complete and waits for these.
     */
    public String addPack(Path dir, String folder, List<String> names, int bytesEach, java.util.Set<String> missing)
            throws Exception {
        Path root = Files.createDirectories(dir.resolve(folder));
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        List<Object> files = new ArrayList<>();
        for (String name : names) {
            byte[] data = new byte[bytesEach];
            new java.util.Random(name.hashCode()).nextBytes(data);
            Files.write(root.resolve(name), data);
            all.write(data);
            Map<String, Object> file = new TreeMap<>();
            file.put("length", (long) bytesEach);
            file.put("path", List.of(name));
            files.add(file);
        }
        Map<String, Object> info = new TreeMap<>();
        info.put("files", files);
        info.put("name", folder);
        info.put("piece length", (long) PIECE);
        info.put("pieces", pieces(all.toByteArray()));
        for (String name : missing) {
            Files.delete(root.resolve(name));
        }
        return add(folder, info, dir);
    }

    /** {@code POST /api/v2/app/setPreferences} with these settings (JSON), as qBittorrent's options dialog saves them. */
    public void setPreferences(String json) throws Exception {
        java.net.http.HttpResponse<String> answer = http().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base() + "/api/v2/app/setPreferences")).header("Cookie", login())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("json="
                        + java.net.URLEncoder.encode(json, java.nio.charset.StandardCharsets.UTF_8))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("setPreferences answered " + answer.statusCode());
        }
    }

    /**
     * {@code POST /api/v2/torrents/createCategory} (as qBittorrent's "Add category" dialog does), or
     * {@code editCategory} when it exists already (answered 409 by create): the category with this save path ("" for
     * none).
     */
    public void category(String name, String savePath) throws Exception {
        String form = "category=" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8) + "&savePath="
                + java.net.URLEncoder.encode(savePath, StandardCharsets.UTF_8);
        String cookie = login();
        for (String call : List.of("createCategory", "editCategory")) {
            HttpResponse<String> answer = http().send(HttpRequest.newBuilder(URI.create(base() + "/api/v2/torrents/"
                    + call)).header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                return;
            }
            if (answer.statusCode() != 409) {
                throw new IllegalStateException(call + " answered " + answer.statusCode() + " " + answer.body());
            }
        }
        // editCategory answers 409 too when nothing changes: fine if the category is already as asked
        HttpResponse<String> categories = http().send(HttpRequest.newBuilder(URI.create(base()
                + "/api/v2/torrents/categories")).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        String now = new com.fasterxml.jackson.databind.ObjectMapper().readTree(categories.body()).path(name)
                .path("savePath").asText(null);
        if (!savePath.equals(now)) {
            throw new IllegalStateException("category " + name + " could be neither created nor edited: "
                    + categories.body());
        }
    }

    private static final int PIECE = 16 * 1024;

    private static byte[] pieces(byte[] data) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        java.io.ByteArrayOutputStream pieces = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < data.length; i += PIECE) {
            sha1.update(data, i, Math.min(PIECE, data.length - i));
            pieces.write(sha1.digest());
        }
        return pieces.toByteArray();
    }

    private String add(String name, Map<String, Object> info, Path savePath) throws Exception {
        byte[] infoBytes = bencode(info);
        Map<String, Object> torrent = new TreeMap<>();
        torrent.put("announce", "http://127.0.0.1:1/announce");
        torrent.put("info", info);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(infoBytes));

        String cookie = login();
        String boundary = "----tracker" + UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"torrents\"; filename=\"" + name
                + ".torrent\"\r\nContent-Type: application/x-bittorrent\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(bencode(torrent));
        body.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"savepath\"\r\n\r\n" + savePath
                + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> added = http().send(HttpRequest.newBuilder(URI.create(base() + "/api/v2/torrents/add"))
                .header("Cookie", cookie).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (added.statusCode() != 200 || !added.body().startsWith("Ok")) {
            throw new IllegalStateException("qBittorrent refused the torrent: " + added.statusCode() + " " + added.body());
        }
        return hash;
    }

    /** The torrent's state as qBittorrent reports it now (the test's own session). */
    public String state(String hash) throws Exception {
        HttpResponse<String> info = http().send(HttpRequest.newBuilder(URI.create(base()
                + "/api/v2/torrents/info?hashes=" + hash)).header("Cookie", login()).build(),
                HttpResponse.BodyHandlers.ofString());
        int at = info.body().indexOf("\"state\":\"");
        return at < 0 ? null : info.body().substring(at + 9, info.body().indexOf('"', at + 9));
    }

    private String login() throws Exception {
        HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create(base() + "/api/v2/auth/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + USER + "&password=" + PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> cookies = new ArrayList<>();
        for (String c : r.headers().allValues("set-cookie")) {
            cookies.add(c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')));
        }
        return String.join("; ", cookies);
    }

    private static byte[] bencode(Object value) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        write(out, value);
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static void write(java.io.ByteArrayOutputStream out, Object value) throws IOException {
        if (value instanceof Long n) {
            out.write(("i" + n + "e").getBytes(StandardCharsets.US_ASCII));
        } else if (value instanceof String s) {
            write(out, s.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof byte[] b) {
            out.write((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
        } else if (value instanceof List<?> list) {
            out.write('l');
            for (Object item : list) {
                write(out, item);
            }
            out.write('e');
        } else if (value instanceof Map<?, ?> m) {
            out.write('d');
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) { // TreeMap: sorted keys
                write(out, e.getKey());
                write(out, e.getValue());
            }
            out.write('e');
        } else {
            throw new IllegalArgumentException("cannot bencode " + value);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
