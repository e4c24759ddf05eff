package io.apexaudition.e2e;

import io.apexaudition.testsupport.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's check, end to end: the seed's 315-generation audition runs through the whole stack, then the viewer
 * (a process of its own on the same broker and database) shows it in a real Chromium: 315 cells in the matrix,
 * 15 outputs of one prompt side by side, lane names hidden in blind mode, a verdict cast in the page recorded in
 * Postgres and kept through {@code apex rebuild}, and a CSV export of 315 rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViewerIT {
    private static final String RUN = "run-viewer";
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Stack stack;
    private String viewer;
    private Chromium chromium;
    private WebDriver browser;

    @BeforeAll
    void runTheAuditionAndOpenABrowser() {
        chromium = Chromium.startOrSkip(1440, 1000);
        browser = chromium.driver();
        stack = new Stack();
        stack.startSimulator(Map.of()).awaitReady(Duration.ofSeconds(120));
        stack.startAll();
        viewer = stack.start("viewer", "viewer-service", Map.of()).awaitReady(Duration.ofSeconds(120)).url();
        stack.registerCatalog();
        int exit = Stack.cli("run", "--all-lanes", "--batch-mode", "--created-by", "e2e", "--notes", "viewer check",
                "--run-id", RUN, "--wait", "--timeout", "240", "--planner-url", stack.services.get("planner").url(),
                "--bootstrap-servers", stack.kafka);
        assertThat(exit).as("the 315-generation audition ran").isZero();
    }

    @AfterAll
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void shouldShowEveryGenerationOfTheAuditionAsACellOfTheMatrix() {
        // when the run's page opens with every prompt on one page
        open("run.html?run=" + RUN + "&size=50");
        waitUntil(d -> d.findElements(By.cssSelector("td.cell[data-lane]")).size() >= 315);

        // then 21 prompts x 15 lanes, each cell a completed generation
        assertThat(browser.findElements(By.cssSelector("tbody tr[data-prompt]"))).hasSize(21);
        assertThat(browser.findElements(By.cssSelector("td.cell[data-lane]"))).hasSize(315);
        assertThat(browser.findElements(By.cssSelector("td.cell[data-lane]")))
                .allMatch(cell -> cell.getText().contains("completed") || cell.getAttribute("class").contains("completed"));
        chromium.screenshot(SCREENSHOTS, "viewer-it-matrix.png");
    }

    @Test
    @Order(2)
    void shouldShowFifteenOutputsOfOnePromptSideBySideAndHideTheirLanesWhenBlind() {
        String prompt = firstPrompt();

        open("prompt.html?run=" + RUN + "&prompt=" + prompt);
        waitUntil(d -> d.findElements(By.cssSelector(".output .lane")).size() == 15);
        List<String> lanes = browser.findElements(By.cssSelector(".output .lane")).stream()
                .map(WebElement::getText).toList();
        assertThat(lanes).doesNotHaveDuplicates().contains("gpt5.reason-min", "opus.t0-8.std", "4o.t1-0");

        open("prompt.html?run=" + RUN + "&prompt=" + prompt + "&blind=true");
        waitUntil(d -> d.findElements(By.cssSelector(".output .lane.hidden")).size() == 15);
        String page = browser.getPageSource();
        for (String lane : lanes) {
            assertThat(page).as("the blind page names no lane").doesNotContain(lane);
        }
        chromium.screenshot(SCREENSHOTS, "viewer-it-blind.png");
    }

    @Test
    @Order(3)
    void shouldRecordABlindVerdictCastInThePageAndKeepItThroughARebuild() throws Exception {
        // given a blind reader on one prompt
        String prompt = firstPrompt();
        open("prompt.html?run=" + RUN + "&prompt=" + prompt + "&blind=true");
        waitUntil(d -> !d.findElements(By.id("v-b-better")).isEmpty());

        // when the reader finds Lane B the better of the two shown
        browser.findElement(By.id("v-b-better")).click();

        // then the page says it is taken, the recorder writes it, and the page counts it
        waitUntil(d -> d.findElement(By.cssSelector(".verdict-status")).getText().contains("Verdict recorded"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(verdicts()).singleElement().asString().startsWith(RUN + "|" + prompt + "|pairwise|b|"));
        waitUntil(d -> d.findElement(By.id("verdict-count")).getText().contains("1 verdict on this run"));
        chromium.screenshot(SCREENSHOTS, "viewer-it-verdict.png");
        List<String> cast = verdicts();

        // and a rebuild of every table from the topics brings it back as it was
        assertThat(Stack.cli("rebuild", "--recorder-url", stack.services.get("recorder").url())).isZero();
        assertThat(verdicts()).isEqualTo(cast);
        open("run.html?run=" + RUN + "&size=50#verdicts");
        waitUntil(d -> d.getPageSource().contains("Reader verdicts"));
    }

    @Test
    @Order(4)
    void shouldExportEveryGenerationOfTheRunAsOneCsvRecord() throws Exception {
        HttpResponse<String> csv = HTTP.send(HttpRequest.newBuilder(
                URI.create(viewer + "/api/runs/" + RUN + "/generations.csv")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(csv.statusCode()).isEqualTo(200);
        List<List<String>> records = Csv.parse(csv.body());
        assertThat(records.get(0)).contains("lane_id", "prompt_id", "status", "output_text");
        assertThat(records).hasSize(1 + 315);
        int status = records.get(0).indexOf("status");
        assertThat(records.subList(1, records.size())).allMatch(r -> r.get(status).equals("completed"));
    }

    /** Every verdict in Postgres: run, prompt, kind, winner and the two generations. */
    private List<String> verdicts() throws Exception {
        List<String> rows = new java.util.ArrayList<>();
        try (var c = stack.db.connect(); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT run_id, prompt_id, kind, winner, generation_a, generation_b FROM apex_audition.verdicts"
                        + " ORDER BY verdict_id")) {
            while (rs.next()) {
                rows.add(String.join("|", rs.getString(1), rs.getString(2), rs.getString(3).toLowerCase(),
                        rs.getString(4), rs.getString(5), rs.getString(6)));
            }
        }
        return rows;
    }

    private String firstPrompt() {
        open("run.html?run=" + RUN + "&size=50");
        waitUntil(d -> !d.findElements(By.cssSelector("tbody tr[data-prompt]")).isEmpty());
        return browser.findElements(By.cssSelector("tbody tr[data-prompt]")).get(0).getAttribute("data-prompt");
    }

    private void open(String page) {
        browser.get(viewer + "/" + page);
    }

    private void waitUntil(java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(condition::apply);
    }
}
