package io.apexaudition.testsupport;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A headless system Chromium (Debian's chromium and chromium-driver) driven by Selenium, for the browser tests.
 * Where it is not installed the calling test is skipped, saying how to install it, unless
 * {@code APEX_BROWSER_TESTS=required} (set by .ci/run once Chromium is there): then a missing browser fails the test,
 * so CI can never pass by skipping the pages.
 */
public final class Chromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    public static final String REQUIRED_ENV = "APEX_BROWSER_TESTS";

    private final WebDriver driver;
    private final Path profile;

    private Chromium(WebDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts Chromium with a window of this size, or skips (or fails, when required) the test without it. */
    public static Chromium startOrSkip(int width, int height) {
        boolean installed = Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
        String missing = "browser test needs " + BINARY + " and " + DRIVER
                + " (apt-get install -y chromium chromium-driver)";
        if (!installed && "required".equals(System.getenv(REQUIRED_ENV))) {
            fail(missing + "; " + REQUIRED_ENV + "=required says this machine has them");
        }
        assumeTrue(installed, "browser test skipped: " + missing);
        try {
            Path profile = Files.createTempDirectory("apex-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(BINARY.toFile());
            // headless, nothing fetched from the network beyond the page under test, a profile of its own; without
            // the background-networking flags a closed network refuses Chromium's own calls, many at a time
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                    "--hide-scrollbars", "--force-device-scale-factor=1");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
            return new Chromium(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Writes what the window shows to {@code dir/name} (a PNG). */
    public Path screenshot(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Path target = dir.resolve(name);
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a temp profile left behind is harmless
        }
    }
}
