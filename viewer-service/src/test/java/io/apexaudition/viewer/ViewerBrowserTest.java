package io.apexaudition.viewer;

import io.apexaudition.events.Topics;
import io.apexaudition.events.VerdictRecorded;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.apexaudition.testsupport.Chromium;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.sql.DataSource;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/**
 * The pages in a real Chromium (Debian's chromium and chromium-driver), driven by Selenium: the runs page, a run's
 * matrix filtered and sorted through the URL, a cell's output in a panel, a running run refreshing in place, a prompt
 * side by side, blind mode and its reveal, a blind verdict and the run's tally, a run's errors, two runs compared,
 * a judged run's leaderboard, and the static HTML bundle opened from disk. Writes the screenshots the README shows (to target/screenshots, or
 * docs/img/ when asked: see SCREENSHOTS), at a laptop's width and a phone's. Skipped, saying why, where Chromium or
 * its driver is not installed.
 */
@QuarkusTest
@QuarkusTestResource(ViewerDatabaseResource.class)
class ViewerBrowserTest {
    /**
     * Where the screenshots go: target/screenshots, so a test run leaves the git tree as it was (a rendering differs
     * by a few pixels from run to run); -Dscreenshots.dir=../docs/img refreshes the ones the README shows (not under
     * apex.viewer: that prefix is ViewerConfig's, where Quarkus refuses a property it does not know).
     */
    static final Path SCREENSHOTS = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
    private static Chromium chromium;
    private static WebDriver driver;

    @TestHTTPResource("/")
    URL root;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void startBrowser() {
        // skipped without Chromium, failed instead where APEX_BROWSER_TESTS=required (.ci/run on a machine with it)
        chromium = Chromium.startOrSkip(1440, 1000);
        driver = chromium.driver();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
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
        new Select(driver.findElement(By.id("f-status"))).selectByValue("error");
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
    void shouldFilterAndSortThroughTheUrlOpenACellAndRefreshARunningRunInPlace() throws IOException {
        laptop();
        // errors only, from a shared link: the form shows it, the matrix has the one prompt with an error
        show("run.html?run=run-poems&errors=true", "tr[data-prompt='p03'] td.cell[data-lane]");
        assertThat(count("tbody tr[data-prompt]")).isEqualTo(1);
        assertThat(count("td.cell[data-lane]")).isEqualTo(1);
        assertThat(driver.findElement(By.id("f-errors")).isSelected()).isTrue();
        assertThat(text("#summary"))
                .contains("ada", "Production run", "11 completed", "1 error", "started", "ended");
        screenshot("viewer-matrix-errors.png");

        // sort orders and a provider from the URL; the form submits them back into the URL
        show("run.html?run=run-poems&sort=-length&lanesort=-cost&provider=openai",
                "tr[data-prompt='p01'] td.cell[data-lane]");
        assertThat(attributes("tbody tr[data-prompt]", "data-prompt")).containsExactly("p01", "p04", "p02", "p03");
        assertThat(attributes("thead th.lanehead", "data-lane")).containsExactly("4o.t1-0", "gpt5.reason-med");
        assertThat(text("th.lanehead[data-lane='gpt5.reason-med']"))
                .contains("mean 215 ± 50 chars", "4/4 done (100%)");
        new Select(driver.findElement(By.id("f-model"))).selectByValue("gpt-5");
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("model=gpt-5"));
        assertThat(driver.getCurrentUrl()).contains("sort=-length", "lanesort=-cost", "provider=openai")
                .doesNotContain("q=", "errors=");
        waitFor(By.cssSelector("thead th.lanehead"));
        assertThat(attributes("thead th.lanehead", "data-lane")).containsExactly("gpt5.reason-med");
        screenshot("viewer-matrix-sorted.png");

        // a cell opens its full output (here the provider's error) in a panel over the matrix
        show("run.html?run=run-poems", "tr[data-prompt='p03'] td.cell[data-lane='opus.t0-8.std'] a");
        driver.findElement(By.cssSelector("tr[data-prompt='p03'] td.cell[data-lane='opus.t0-8.std'] a")).click();
        waitFor(By.cssSelector("dialog#panel[open] .output .body.error"));
        assertThat(text("#panel .output .body"))
                .isEqualTo("invalid_request: max_tokens: 40000 > 32000");
        screenshot("viewer-cell-panel.png");
        driver.findElement(By.id("panel-close")).click();
        driver.findElement(By.cssSelector("tr[data-prompt='p01'] td.cell[data-lane='gpt5.reason-med'] a")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("panel-body")).getText()
                .contains("It will not count the ships."));
        driver.findElement(By.id("panel-close")).click();

        // a running run refreshes in place: new figures without a reload, the reader's scroll kept
        show("run.html?run=run-live", "td.cell[data-lane]");
        String before = text("#live");
        assertThat(before).contains("in progress", "refreshes every 5 seconds");
        ((JavascriptExecutor) driver).executeScript("window.notReloaded = true;");
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(d -> !d.findElement(By.id("live")).getText().equals(before));
        assertThat(((JavascriptExecutor) driver).executeScript("return window.notReloaded === true")).isEqualTo(true);
        assertThat(text("#summary")).contains("grace", "synchronous look",
                "still running");
    }

    @Test
    void shouldShowARunsErrorsTwoRunsComparedAndTheBundleOpenedFromDisk() throws Exception {
        laptop();
        show("errors.html?run=run-poems-b", "tr[data-generation]");
        assertThat(count("tr[data-generation]")).isEqualTo(2);
        assertThat(text("#command")).isEqualTo("apex retry run-poems-b");
        assertThat(text("#retry")).contains("1 of 2");
        assertThat(text("tr[data-kind='expired']"))
                .contains("gpt5.reason-med", "A recipe for grief", "24h window", "resends");
        assertThat(text("tr[data-kind='invalid_request']"))
                .contains("temperature: 2.5", "not resent");
        screenshot("viewer-errors.png");
        show("errors.html?run=run-poems-b&lane=gpt5.reason-med", "tr[data-generation]");
        assertThat(text("#command"))
                .isEqualTo("apex retry run-poems-b --condition-slug gpt5.reason-med");
        assertThat(count("tr[data-generation]")).isEqualTo(1);

        show("compare.html?a=run-poems&b=run-poems-b&prompt=p02", "section.pair .output");
        assertThat(attributes("#lanes tbody tr", "data-lane"))
                .containsExactly("4o.t1-0", "gpt5.reason-med", "opus.t0-8.std");
        assertThat(text("#lanes tr[data-lane='gpt5.reason-med']"))
                .contains("100%", "50%", "−50 pts", "$0.0440", "$0.0200", "−$0.0240");
        assertThat(text("#only")).isEqualTo("Only in B: sonnet.t0-8.std");
        assertThat(count("section.pair")).isEqualTo(3);
        assertThat(text("section.pair[data-lane='gpt5.reason-med']"))
                .contains("Take one kitchen", "batch_expired");
        screenshot("viewer-compare.png");

        // the run page links the bundle; saved to disk, it opens from file:// with nothing fetched
        show("run.html?run=run-poems", "td.cell[data-lane]");
        String href = driver.findElement(By.id("bundle")).getAttribute("href");
        assertThat(driver.findElement(By.id("jsonl")).getAttribute("href"))
                .endsWith("/api/runs/run-poems/generations.jsonl");
        Path file = download(href, "run-poems.html");
        driver.get(file.toUri().toString());
        waitFor(By.cssSelector("tr[data-prompt] td.cell[data-lane]"));
        assertThat(driver.getCurrentUrl()).startsWith("file:");
        assertThat(count("tbody tr[data-prompt]")).isEqualTo(4);
        assertThat(count("td.cell[data-lane]")).isEqualTo(12);
        assertThat(((JavascriptExecutor) driver).executeScript(
                "return performance.getEntriesByType('resource').length")).as("nothing fetched").isEqualTo(0L);
        screenshot("viewer-bundle.png");
        driver.findElement(By.cssSelector("tr[data-prompt='p01'] a.title")).click();
        waitFor(By.cssSelector(".outputs .output"));
        assertThat(count(".outputs .output")).isEqualTo(3);
        assertThat(text(".outputs"))
                .contains("The lamp turned as it always had", "Salt on the glass again tonight");
        screenshot("viewer-bundle-prompt.png");

        // a phone's width: every new page in one readable column
        driver.manage().window().setSize(new Dimension(390, 844));
        driver.navigate().refresh();
        waitFor(By.cssSelector(".outputs .output"));
        screenshot("viewer-bundle-phone.png");
        show("errors.html?run=run-poems-b", "tr[data-generation]");
        screenshot("viewer-errors-phone.png");
        show("compare.html?a=run-poems&b=run-poems-b&prompt=p02", "section.pair .output");
        screenshot("viewer-compare-phone.png");
        show("run.html?run=run-poems", "tr[data-prompt='p02'] td.cell[data-lane='gpt5.reason-med'] a");
        screenshot("viewer-run-phone.png");
        driver.findElement(By.cssSelector("tr[data-prompt='p02'] td.cell[data-lane='gpt5.reason-med'] a")).click();
        waitFor(By.cssSelector("dialog#panel[open] .output .body"));
        screenshot("viewer-cell-panel-phone.png");
    }

    @Test
    void shouldCastABlindVerdictAndShowItInTheRunsTallyOnceRecorded() throws Exception {
        laptop();
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
            ((JavascriptExecutor) driver).executeScript(
                    "document.getElementById('verdict').scrollIntoView()");
            screenshot("viewer-verdict-phone.png");
        } finally {
            if (verdictId != null) {
                execute("DELETE FROM apex_audition.verdicts WHERE verdict_id = '" + verdictId + "'");
            }
        }
    }

    @Test
    void shouldRankAJudgedRunsLanesWithIntervalsOnOneAxisAndTheWinMatrix() throws IOException {
        laptop();
        // the runs page links the leaderboard of a judged run only; the run page always does
        show("index.html", "[data-run='run-stories'] a.leaderboard-link");
        assertThat(count("[data-run='run-poems'] a.leaderboard-link")).isZero();
        show("run.html?run=run-stories", "td.cell[data-lane]");
        driver.findElement(By.id("leaderboard-link")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("leaderboard.html"));
        waitFor(By.cssSelector("#ranking tbody tr[data-lane]"));

        // the planted order, each lane with its interval drawn on the shared axis, best (rightmost dot) first
        List<String> planted = List.of("opus.t0-8.std", "gpt5.reason-med", "sonnet.t0-8.std", "4o.t1-0");
        assertThat(attributes("#ranking tbody tr", "data-lane")).isEqualTo(planted);
        assertThat(attributes("#ranking tbody td.lane .rk", "textContent")).containsExactly("1", "2", "3", "4");
        assertThat(count("#ranking tbody .ci-range")).isEqualTo(4);
        List<Double> dots = driver.findElements(By.cssSelector("#ranking tbody .ci-dot")).stream()
                .map(e -> Double.parseDouble(e.getCssValue("left").replace("px", ""))).toList();
        assertThat(dots).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(text("#ranking tr[data-lane='opus.t0-8.std']")).contains("39–1–2", "8.5", "645", "$0.3600");
        assertThat(text("#ranking tr[data-lane='4o.t1-0']")).contains("1 of 6");
        assertThat(text("#ranking thead")).contains("voice", "imagery", "structure", "words", "per 100 points");
        // the leader's interval is shaded; a lane whose bar reaches into it is marked
        waitFor(By.cssSelector("#ranking.shaded tbody tr.focus[data-lane='opus.t0-8.std']"));
        assertThat(text("#trust")).contains("How far to trust this", "95% interval", "6 prompts", "1,000 times");
        assertThat(text("#trust-bias")).contains("changed its verdict on 19% of 42 pairs", "first won 56%");
        assertThat(text(".trust-agreement")).contains("judge.4o and judge.sonnet", "5 of 6 pairs");

        // the win-margin matrix: row lane against column lane, over every pass (judge.4o 9-2-1 and judge.sonnet 2-0)
        assertThat(attributes("#matrix tbody tr", "data-lane")).isEqualTo(planted);
        assertThat(text("#matrix tr[data-lane='opus.t0-8.std'] td[data-opponent='gpt5.reason-med']"))
                .isEqualTo("82%\n+0.6");
        assertThat(text("#matrix tr[data-lane='gpt5.reason-med'] td[data-opponent='opus.t0-8.std']"))
                .isEqualTo("18%\n" + "\u2212" + "0.6");
        assertThat(text("#cost-generation")).isEqualTo("$0.7680");
        assertThat(text("#cost-judging")).isEqualTo("$0.0543");
        fullPageScreenshot("viewer-leaderboard.png");

        // one pass, from the form into the URL: judge.4o alone
        new Select(driver.findElement(By.id("f-pass"))).selectByValue("run-stories.judge-1");
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.urlContains("judgingRun=run-stories.judge-1"));
        waitFor(By.cssSelector("#matrix tbody tr[data-lane]"));
        assertThat(driver.getCurrentUrl()).doesNotContain("human=");
        assertThat(text("#matrix tr[data-lane='opus.t0-8.std'] td[data-opponent='gpt5.reason-med']"))
                .isEqualTo("79%\n+0.6");
        assertThat(count(".trust-agreement")).isZero();

        // a run nobody judged: the command that judges it
        show("leaderboard.html?run=run-poems", "#command");
        assertThat(text("#command"))
                .isEqualTo("apex judge run-poems --judge-lane judge.4o --pairwise --batch-mode --wait");

        // a phone's width: each lane a card with its bar across, the matrix scrolled sideways
        driver.manage().window().setSize(new Dimension(390, 844));
        show("leaderboard.html?run=run-stories", "#ranking tbody tr[data-lane]");
        screenshot("viewer-leaderboard-phone.png");
        ((JavascriptExecutor) driver).executeScript("document.getElementById('matrix-box').scrollIntoView()");
        screenshot("viewer-leaderboard-matrix-phone.png");
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

    private static void laptop() {
        driver.manage().window().setSize(new Dimension(1440, 1000));
    }

    /** Opens a page and waits until what it renders from the API is there. */
    private void show(String path, String css) {
        open(path);
        waitFor(By.cssSelector(css));
    }

    private static int count(String css) {
        return driver.findElements(By.cssSelector(css)).size();
    }

    private static String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private List<String> attributes(String css, String attribute) {
        return driver.findElements(By.cssSelector(css)).stream().map(e -> e.getAttribute(attribute)).toList();
    }

    /** Fetches a URL the way a browser's download would, into a fresh directory. */
    private static Path download(String url, String name) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("viewer-bundle");
        Path file = dir.resolve(name);
        HttpResponse<Path> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofFile(file));
        assertThat(r.statusCode()).isEqualTo(200);
        return file;
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

    /** The whole page at the window's width (up to 2,400 pixels high), then the window as it was. */
    private static void fullPageScreenshot(String name) throws IOException {
        Dimension window = driver.manage().window().getSize();
        long height = (Long) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollHeight");
        long chrome = window.getHeight() - (Long) ((JavascriptExecutor) driver).executeScript(
                "return window.innerHeight");
        driver.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(2400, height + chrome)));
        try {
            screenshot(name);
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
