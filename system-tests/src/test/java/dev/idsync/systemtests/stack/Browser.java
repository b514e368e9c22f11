package dev.idsync.systemtests.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromedriver}, which .ci/run installs) driven
 * by Selenium. The driver and the browser binary are given explicitly, so Selenium Manager never looks for,
 * let alone downloads, a browser; every instance has a fresh profile (no cookies from another session).
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getProperty("idsync.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("idsync.chromedriver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static Browser start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver (.ci/run does)");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        try {
            Path profile = Files.createTempDirectory("idsync-chromium-");
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                    .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--disable-background-networking", "--disable-component-update", "--no-first-run",
                            "--disable-sync", "--window-size=1280,1000", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(new Dimension(1280, 1000));
            return new Browser(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public boolean present(By by) {
        return !driver.findElements(by).isEmpty();
    }

    /** Waits (the page updates itself: htmx polling) until {@code by}'s text contains {@code text}. */
    public WebElement awaitText(By by, String text, Duration atMost) {
        new WebDriverWait(driver, atMost, Duration.ofMillis(200)).withMessage(() -> "waiting for '" + text + "' in "
                + by + "; page:\n" + bodyText()).until(d -> d.findElements(by).stream().anyMatch(e -> e.getText().contains(text)));
        return driver.findElement(by);
    }

    public WebElement await(By by, Duration atMost) {
        new WebDriverWait(driver, atMost, Duration.ofMillis(200)).withMessage(() -> "waiting for " + by + "; page:\n"
                + bodyText()).until(d -> !d.findElements(by).isEmpty());
        return driver.findElement(by);
    }

    public Object script(String javascript) {
        return driver.executeScript(javascript);
    }

    public String bodyText() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (RuntimeException e) {
            return "(no page: " + e + ")";
        }
    }

    /** {@code fetch} from the page, with its cookies (the signed-in session): the answer's HTTP status. */
    public long fetchStatus(String method, String path, String formBody) {
        Object status = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[1], {method: arguments[0], headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                    body: arguments[2], redirect: 'manual'}).then(r => done(r.status)).catch(e => done(-1));""",
                method, path, formBody);
        return ((Number) status).longValue();
    }

    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.move(shot, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temp directory left behind is no failure of the test
            }
        }
    }
}
