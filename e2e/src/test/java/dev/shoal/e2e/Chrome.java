package dev.shoal.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import dev.shoal.launcher.Chromium;

/**
 * A headless Debian chromium driven through its own chromedriver (both from the system packages, installed by
 * {@link Chromium} when missing): the driver's path is given, so Selenium never looks for or downloads one. Each
 * instance is a fresh profile: its own cookies, its own human. Screenshots go to {@code target/screenshots}, kept as
 * the build's artifacts.
 */
final class Chrome implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    final ChromeDriver driver;
    private final Path profile;

    Chrome() throws IOException {
        Chromium.ensureInstalled();
        profile = Files.createTempDirectory("shoal-chrome-");
        ChromeOptions options = new ChromeOptions().setBinary(Chromium.BROWSER.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile,
                        "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Chromium.DRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    void open(String url) {
        driver.get(url);
    }

    /** Saves what the window shows as {@code target/screenshots/<name>.png}. */
    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    /** The same page as a phone shows it (390 px wide), then back to a laptop's window. */
    void screenshotAsPhone(String name) throws IOException {
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            screenshot(name);
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
