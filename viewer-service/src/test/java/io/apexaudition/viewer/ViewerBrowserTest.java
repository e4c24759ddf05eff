package io.apexaudition.viewer;

import io.apexaudition.events.Topics;
import io.apexaudition.events.VerdictRecorded;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.sql.DataSource;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pages in a real Chromium (Debian's chromium and chromium-driver), driven by Selenium: the runs page, a run's
 * matrix filtered through the URL, a prompt side by side, blind mode and its reveal, a blind verdict and the run's
 * tally. Writes the screenshots the README shows (to target/screenshots, or docs/img/ when asked: see SCREENSHOTS).
 * Skipped, saying why, where Chromium or its driver is not installed.
 */
@QuarkusTest
@QuarkusTestResource(ViewerDatabaseResource.class)
class ViewerBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /**
     * Where the screenshots go: target/screenshots, so a test run leaves the git tree as it was (a rendering differs
     * by a few pixels from run to run); -Dscreenshots.dir=../docs/img refreshes the ones the README shows (not under
     * apex.viewer: that prefix is ViewerConfig's, where Quarkus refuses a property it does not know).
     */
    static final Path SCREENSHOTS = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
    private static WebDriver driver;
    private static Path profile;

    @TestHTTPResource("/")
    URL root;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void startBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser test skipped: needs /usr/bin/chromium and /usr/bin/chromedriver"
                        + " (apt-get install -y chromium chromium-driver)");
        profile = Files.createTempDirectory("viewer-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // headless, nothing fetched from the network beyond the viewer itself, a profile of its own
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1440,1000",
                "--hide-scrollbars", "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void shouldReadARunAsAMatrixThenAPromptSideBySideBlindThenRevealed() throws IOException {
        driver.manage().window().setSize(new Dimension(1440, 1000));
        open("index.html");
        waitFor(By.cssSelector("[data-run='run-poems']"));
        assertThat(driver.findElement(By.cssSelector("[data-run='run-poems']")).getText())
                .contains("Production run", "ada", "11 completed", "1 error");
        screenshot("viewer-runs.png");

        // the matrix, and a filter that lives in the URL
        driver.findElement(By.linkText("run-poems")).click();
        waitFor(By.cssSelector("tr[data-prompt='p01'] td.cell"));
        assertThat(driver.findElements(By.cssSelector("tbody tr[data-prompt]"))).hasSize(4);
        assertThat(driver.findElements(By.cssSelector("td.cell[data-lane]"))).hasSize(12);
        screenshot("viewer-matrix.png");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("f-status"))).selectByValue("error");
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("status=error"));
        waitFor(By.cssSelector("tr[data-prompt='p03'] td.cell[data-lane]"));
        assertThat(driver.getCurrentUrl()).contains("run=run-poems").doesNotContain("q=");
        assertThat(driver.findElements(By.cssSelector("tbody tr[data-prompt]"))).hasSize(1);

        // a prompt side by side, lanes named
        open("prompt.html?run=run-poems&prompt=p01");
        waitFor(By.cssSelector(".output .lane"));
        List<String> lanes = driver.findElements(By.cssSelector(".output .lane")).stream().map(WebElement::getText)
                .toList();
        assertThat(lanes).containsExactly("4o.t1-0", "gpt5.reason-med", "opus.t0-8.std");
        screenshot("viewer-prompt.png");

        // blind: no lane name anywhere in the page until revealed
        driver.findElement(By.id("blind")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("blind=true"));
        waitFor(By.cssSelector(".output .lane.hidden"));
        assertThat(driver.findElements(By.cssSelector(".output .lane.hidden"))).hasSize(3);
        String page = driver.getPageSource();
        for (String name : List.of("gpt5.reason-med", "opus.t0-8.std", "4o.t1-0", "claude-opus", "gpt-5")) {
            assertThat(page).as("blind page names no lane").doesNotContain(name);
        }
        List<String> labels = labels();
        assertThat(labels).containsExactly("Lane A", "Lane B", "Lane C");
        screenshot("viewer-prompt-blind.png");
        driver.findElement(By.id("reveal")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> d.findElements(By.cssSelector(".output .lane.hidden")).isEmpty());
        assertThat(labels()).as("revealing keeps the blind order").isEqualTo(labels);
        assertThat(driver.getPageSource()).contains("gpt5.reason-med", "opus.t0-8.std", "4o.t1-0");

        // a phone's width: one readable column
        driver.manage().window().setSize(new Dimension(400, 860));
        open("prompt.html?run=run-poems&prompt=p02&blind=true");
        waitFor(By.cssSelector(".output .lane.hidden"));
        screenshot("viewer-prompt-phone.png");
        open("run.html?run=run-poems");
        waitFor(By.cssSelector("td.cell[data-lane]"));
        screenshot("viewer-matrix-phone.png");
    }

    @Test
    void shouldCastABlindVerdictAndShowItInTheRunsTallyOnceRecorded() throws Exception {
        driver.manage().window().setSize(new Dimension(1440, 1000));
        String verdictId = null;
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            // given a blind reader on p04, its outputs as Lane A, B and C, and a verdict panel naming no lane
            open("prompt.html?run=run-poems&prompt=p04&blind=true");
            waitFor(By.id("v-b-better"));
            assertThat(new Select(driver.findElement(By.id("v-a"))).getFirstSelectedOption().getText())
                    .isEqualTo("Lane A");
            String page = driver.getPageSource();
            for (String name : List.of("gpt5.reason-med", "opus.t0-8.std", "4o.t1-0")) {
                assertThat(page).as("blind page names no lane").doesNotContain(name);
            }

            // when they find Lane C better than Lane A
            new Select(driver.findElement(By.id("v-b"))).selectByVisibleText("Lane C");
            driver.findElement(By.id("v-b-better")).click();

            // then the page says it is taken, and one VerdictRecorded is on apex.verdicts
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.textToBe(
                    By.cssSelector(".verdict-status.ok"), "Verdict recorded — it counts once the recorder has it"));
            List<VerdictRecorded> sent = kafka.readEvents(Topics.VERDICTS.name(), VerdictRecorded.class,
                    v -> v.runId().equals("run-poems") && v.promptId().equals("p04"), 1, Duration.ofSeconds(30));
            assertThat(sent).hasSize(1);
            VerdictRecorded verdict = sent.get(0);
            verdictId = verdict.verdictId();
            assertThat(verdict.winner()).isEqualTo(VerdictRecorded.Winner.B);
            assertThat(verdict.blind()).isTrue();

            // and once it is recorded (written here as the recorder writes it), the page counts it and the run's
            // tally gives its lane the win
            record(verdict);
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.id("verdict-count"), "1 verdict on this run, 1 on this prompt"));
            screenshot("viewer-verdict.png");
            String winner = verdict.generationB().split("/")[1];
            String loser = verdict.generationA().split("/")[1];
            open("run.html?run=run-poems#verdicts");
            waitFor(By.cssSelector(".tally-table tr[data-lane]"));
            assertThat(cells(winner)).startsWith(winner, "1", "0", "0", "100%");
            assertThat(cells(loser)).startsWith(loser, "0", "0", "1", "0%");
            screenshot("viewer-tally.png");

            // a phone's width: the panel under the outputs, its buttons a finger wide
            driver.manage().window().setSize(new Dimension(400, 860));
            open("prompt.html?run=run-poems&prompt=p04&blind=true");
            waitFor(By.id("v-b-better"));
            ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                    "document.getElementById('verdict').scrollIntoView()");
            screenshot("viewer-verdict-phone.png");
        } finally {
            if (verdictId != null) {
                execute("DELETE FROM apex_audition.verdicts WHERE verdict_id = '" + verdictId + "'");
            }
        }
    }

    /** The text of a lane's row of the tally. */
    private List<String> cells(String lane) {
        return driver.findElements(By.cssSelector(".tally-table tr[data-lane='" + lane + "'] > *")).stream()
                .map(WebElement::getText).map(String::strip).toList();
    }

    private void record(VerdictRecorded v) throws Exception {
        execute("INSERT INTO apex_audition.verdicts (verdict_id, run_id, prompt_id, kind, generation_a, generation_b,"
                + " winner, blind, occurred_at, event_id) VALUES ('" + v.verdictId() + "', '" + v.runId() + "', '"
                + v.promptId() + "', 'pairwise', '" + v.generationA() + "', '" + v.generationB() + "', '"
                + v.winner().name().toLowerCase() + "', true, now(), '" + v.eventId() + "')");
    }

    private void execute(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private List<String> labels() {
        return driver.findElements(By.cssSelector(".output .label")).stream().map(WebElement::getText).toList();
    }

    private void open(String path) {
        driver.get(root.toString().replaceAll("/$", "") + "/" + path);
    }

    private static void waitFor(By by) {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
