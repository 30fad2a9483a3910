package app.statustracker.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium driven through Debian's chromedriver (no driver download: Selenium Manager is never
 * asked because both paths are given). Missing binaries fail the tests with the command that installs them.
 *
 * <p>The browser runs in {@link #TIME_ZONE}, not the JVM's, so tests can tell that times are shown in the browser's
 * zone; every host but localhost is unresolvable, so poster URLs of the fixtures fail at once instead of reaching out.
 */
public final class Browser implements AutoCloseable {

    public static final String TIME_ZONE = "Asia/Tokyo";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    public static Browser start() {
        File chromium = find("CHROMIUM_BIN", "chromium", "chromium-browser");
        File chromedriver = find("CHROMEDRIVER", "chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--lang=en-US", "--window-size=1280,900",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver)
                .usingAnyFreePort()
                .withEnvironment(Map.of("TZ", TIME_ZONE, "LANG", "en_US.UTF-8"))
                .build();
        return new Browser(new ChromeDriver(service, options));
    }

    private static File find(String override, String... names) {
        String configured = System.getenv(override);
        if (configured != null && !configured.isBlank()) {
            File f = new File(configured);
            if (f.canExecute()) {
                return f;
            }
        }
        for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin")
                .split(File.pathSeparator)) {
            for (String name : names) {
                File f = new File(dir, name);
                if (f.isFile() && f.canExecute()) {
                    return f;
                }
            }
        }
        throw new AssertionError("The dashboard tests need Debian's chromium and chromium-driver: run "
                + "scripts/install-test-deps.sh (as root) first. " + String.join(" or ", names) + " was not found in "
                + (configured == null || configured.isBlank() ? "" : override + " (" + configured + "), ")
                + "the PATH or /usr/bin.");
    }

    /** Loads the page afresh (a URL that differs only in its #fragment would otherwise keep the open document). */
    public void open(String url) {
        driver.get("about:blank");
        driver.get(url);
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** A Chrome DevTools Protocol command, e.g. to block a URL for a while. */
    public Object cdp(String command, Map<String, Object> parameters) {
        return driver.executeCdpCommand(command, parameters);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Text of the first match, or null when nothing matches (yet). */
    public String text(String css) {
        List<WebElement> found = all(css);
        return found.isEmpty() ? null : found.get(0).getText();
    }

    /** Retries until the assertions hold; the page changes asynchronously (stream, fetches, animation frames). */
    public void await(ThrowingRunnable assertions) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .untilAsserted(assertions);
    }

    /** Waits until the stream is live and the page has loaded its data once (the two race: either may finish first). */
    public void awaitLive() {
        await(() -> assertTrue("live".equals(js("return window.statusTracker && window.statusTracker.state")),
                "the dashboard's stream is not live"));
        await(() -> assertTrue(((Number) js("return window.statusTracker.loads")).longValue() >= 1,
                "the dashboard has not loaded its data"));
    }

    /**
     * Saves the whole page at a desktop (1280 px) and a phone (360 px) width under target/screenshots, and checks at
     * the phone width that nothing is wider than the screen.
     */
    public void screenshots(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            for (int width : new int[] { 1280, 360 }) {
                boolean phone = width < 500;
                metrics(width, 800, phone);
                await(() -> assertTrue((Boolean) js("return document.readyState === 'complete'")));
                // Two frames: layout and paint after the width change.
                ((JavascriptExecutor) driver).executeAsyncScript(
                        "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));");
                long scrollWidth = ((Number) js("return document.documentElement.scrollWidth")).longValue();
                assertTrue(scrollWidth <= width, name + " is " + scrollWidth + " px wide at " + width + " px: it scrolls sideways");
                long height = Math.min(6000, ((Number) js("return document.documentElement.scrollHeight")).longValue());
                metrics(width, (int) Math.max(height, 600), phone);
                Object shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png"));
                String data = (String) ((Map<?, ?>) shot).get("data");
                Files.write(SCREENSHOTS.resolve(name + "-" + width + ".png"), Base64.getDecoder().decode(data));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    private void metrics(int width, int height, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    /**
     * Script errors the page logged since the last call. Failed resource loads are left out: posters point at hosts
     * the test browser cannot resolve, and a dropped stream is logged as one.
     */
    public List<String> scriptErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !e.getMessage().contains("Failed to load resource")) {
                errors.add(e.getMessage());
            }
        }
        return errors;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
