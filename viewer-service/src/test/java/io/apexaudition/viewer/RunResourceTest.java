package io.apexaudition.viewer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** The JSON API over a fresh database with the recorder's schema and seed.sql's two runs (JSON numbers read back as floats). */
@QuarkusTest
@QuarkusTestResource(ViewerDatabaseResource.class)
class RunResourceTest {

    @Test
    void shouldListEveryRunNewestFirstWithCountsAndCost() {
        given().get("/api/runs").then().statusCode(200)
                .body("id", contains("run-live", "run-poems"))
                .body("[1].status", is("completed"))
                .body("[1].createdBy", is("ada"))
                .body("[1].notes", is("Production run"))
                .body("[1].counts.completed", is(11))
                .body("[1].counts.error", is(1))
                .body("[1].generations", is(12))
                .body("[1].costUsd", is(0.132f))
                .body("[1].completedAt", is("2026-11-30T09:42:00Z"))
                .body("[0].status", is("accepted"))
                .body("[0].counts.requested", is(2))
                .body("[0].counts.submitted", is(1))
                .body("[0].completedAt", nullValue());
    }

    @Test
    void shouldPageTheMatrixByPromptWithEveryLaneOfAPrompt() {
        given().queryParam("page", 1).queryParam("size", 2).get("/api/runs/run-poems/matrix").then()
                .statusCode(200)
                .body("totalPrompts", is(4))
                .body("totalPages", is(2))
                .body("rows.promptId", contains("p01", "p02"))
                .body("rows[0].title", is("The lighthouse keeper's last log"))
                .body("rows[0].cells.laneId", contains("4o.t1-0", "gpt5.reason-med", "opus.t0-8.std"))
                .body("rows[0].cells[1].status", is("completed"))
                .body("rows[0].cells[1].outputTokens", is(347))
                .body("rows[0].cells[1].reasoningTokens", is(512))
                .body("rows[0].cells[1].cacheHit", is(false))
                .body("rows[1].cells[1].cachedInputTokens", is(2048))
                .body("rows[1].cells[1].cacheHit", is(true))
                .body("rows[0].cells[1].finishReason", is("stop"))
                .body("rows[0].cells[1].outputLength", is(greaterThanLength()))
                .body("lanes.laneId", contains("4o.t1-0", "gpt5.reason-med", "opus.t0-8.std"))
                .body("lanes[2].errors", is(1))
                .body("lanes[2].completed", is(3))
                .body("lanes[2].model", is("claude-opus-4-1"))
                .body("lanes[2].costUsd", is(0.036f));
        given().queryParam("page", 2).queryParam("size", 2).get("/api/runs/run-poems/matrix").then()
                .body("page", is(2)).body("rows.promptId", contains("p03", "p04"));
    }

    private static int greaterThanLength() {
        // the gpt5 lane's p01 output: its voice line, a blank line and the p01 body, as seed.sql builds it
        return ("The lamp turned as it always had, and the sea took no notice.\n\n"
                + "I have oiled the gears, polished the brass, and written the weather: wind south-west, force five,"
                + " visibility good. Tomorrow a man from the board will fit a box that blinks.\n\n"
                + "It will not climb the stairs. It will not count the ships.").length();
    }

    @Test
    void shouldFilterTheMatrixByLaneStatusAndLiteralText() {
        given().queryParam("status", "error").get("/api/runs/run-poems/matrix").then().statusCode(200)
                .body("totalPrompts", is(1))
                .body("rows[0].promptId", is("p03"))
                .body("rows[0].cells", hasSize(1))
                .body("rows[0].cells[0].errorKind", is("invalid_request"));
        given().queryParam("lane", "4o.t1-0,opus.t0-8.std").get("/api/runs/run-poems/matrix").then()
                .body("lanes.laneId", contains("4o.t1-0", "opus.t0-8.std"))
                .body("rows[0].cells.laneId", contains("4o.t1-0", "opus.t0-8.std"));
        // % and _ are the text's own characters, not wildcards
        given().queryParam("q", "100%").get("/api/runs/run-poems/matrix").then()
                .body("rows.promptId", contains("p04")).body("rows[0].cells", hasSize(3));
        given().queryParam("q", "USUAL_").get("/api/runs/run-poems/matrix").then().body("totalPrompts", is(1));
        given().queryParam("q", "usual1").get("/api/runs/run-poems/matrix").then().body("totalPrompts", is(0))
                .body("rows", hasSize(0));
    }

    @Test
    void shouldShowAPromptWithEveryLaneSideBySide() {
        JsonPath shown = given().get("/api/runs/run-poems/prompts/p01").then().statusCode(200)
                .body("text", is("Write the final entry in a lighthouse keeper's log, the night before the light is"
                        + " automated."))
                .body("sharedContext", org.hamcrest.Matchers.startsWith("# House style"))
                .body("blind", is(false))
                .body("outputs.laneId", contains("4o.t1-0", "gpt5.reason-med", "opus.t0-8.std"))
                .body("outputs[1].model", is("gpt-5"))
                .body("outputs[1].parameters", org.hamcrest.Matchers.containsString("reasoning_effort"))
                .extract().jsonPath();
        assertThat(shown.getList("outputs.label", String.class)).containsExactlyInAnyOrder("Lane A", "Lane B",
                "Lane C");
        assertThat(shown.getString("outputs[0].outputText")).contains("the wind still knows my name");
    }

    @Test
    void shouldHideLaneNamesInBlindModeInAStableShuffledOrder() {
        String body = given().queryParam("blind", true).get("/api/runs/run-poems/prompts/p01").then()
                .statusCode(200).body("blind", is(true)).body("outputs", hasSize(3))
                .body("outputs.label", contains("Lane A", "Lane B", "Lane C"))
                .extract().asString();
        for (String name : List.of("gpt5", "gpt-5", "opus", "4o.t1-0", "gpt-4o", "claude", "cond-", "openai",
                "anthropic", "reasoning_effort")) {
            assertThat(body).as("blind response names no lane").doesNotContain(name);
        }
        // the same order on every request
        String again = given().queryParam("blind", true).get("/api/runs/run-poems/prompts/p01").asString();
        assertThat(again).isEqualTo(body);
        // a reveal matches labels to lanes: each label has the same text blind and shown
        JsonPath blind = JsonPath.from(body);
        JsonPath shown = given().get("/api/runs/run-poems/prompts/p01").jsonPath();
        List<Map<String, Object>> shownOutputs = shown.getList("outputs");
        for (Map<String, Object> b : blind.<Map<String, Object>>getList("outputs")) {
            Map<String, Object> s = shownOutputs.stream().filter(o -> o.get("label").equals(b.get("label")))
                    .findFirst().orElseThrow();
            assertThat(s.get("outputText")).isEqualTo(b.get("outputText"));
        }
    }

    @Test
    void shouldExportEveryGenerationAsCsv() {
        String csv = given().get("/api/runs/run-poems/generations.csv").then().statusCode(200)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("text/csv"))
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("run-poems-generations.csv"))
                .extract().asString();
        assertThat(csv).startsWith("id,run_id,lane_id,condition_id,prompt_id,");
        // records end in CRLF; outputs hold bare LFs inside quoted fields, so records are counted by their start
        assertThat(csv.split("\r\n(?=run-poems/)", -1)).hasSize(13);
        assertThat(csv).contains("\"\"Your collateral,\"\" said the bank");
        assertThat(csv).contains("max_tokens: 40000 > 32000");
    }

    @Test
    void shouldAnswer404ForAnUnknownRunOrPrompt() {
        given().get("/api/runs/nope/matrix").then().statusCode(404);
        given().get("/api/runs/nope/generations.csv").then().statusCode(404);
        given().get("/api/runs/run-poems/prompts/p99").then().statusCode(404);
        given().get("/api/runs/run-poems").then().statusCode(200).body("id", equalTo("run-poems"));
    }
}
