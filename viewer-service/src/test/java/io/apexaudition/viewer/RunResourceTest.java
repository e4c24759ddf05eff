package io.apexaudition.viewer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * The JSON API over a fresh database with the recorder's schema, seed.sql's three runs and seed-judgments.sql's judged
 * one (JSON numbers read back as floats): the runs, a run's matrix with its filters and sort orders, a prompt side by
 * side, one cell's output.
 */
@QuarkusTest
@QuarkusTestResource(ViewerDatabaseResource.class)
class RunResourceTest {

    @Test
    void shouldListEveryRunNewestFirstWithCountsAndCost() {
        given().get("/api/runs").then().statusCode(200)
                .body("id", contains("run-live", "run-poems", "run-poems-b", "run-stories"))
                .body("[1].status", is("completed"))
                .body("[1].createdBy", is("ada"))
                .body("[1].notes", is("Production run"))
                .body("[1].counts.completed", is(11))
                .body("[1].counts.error", is(1))
                .body("[1].generations", is(12))
                .body("[1].costUsd", is(0.132f))
                .body("[1].completedAt", is("2026-11-30T09:42:00Z"))
                .body("[1].judged", is(false))
                .body("[3].judged", is(true))
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
        // a shared link past the end (the run or the filter changed since) shows the last page there is
        given().queryParam("page", 9).queryParam("size", 2).get("/api/runs/run-poems/matrix").then()
                .body("page", is(2)).body("totalPrompts", is(4)).body("rows.promptId", contains("p03", "p04"));
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
                .body("sharedContext", startsWith("# House style"))
                .body("blind", is(false))
                .body("outputs.laneId", contains("4o.t1-0", "gpt5.reason-med", "opus.t0-8.std"))
                .body("outputs[1].model", is("gpt-5"))
                .body("outputs[1].parameters", containsString("reasoning_effort"))
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
    void shouldFilterTheMatrixByModelProviderAndErrorsOnlyChoosingColumnsAndCells() {
        given().queryParam("model", "gpt-4o").get("/api/runs/run-poems/matrix").then().statusCode(200)
                .body("totalPrompts", is(4))
                .body("lanes.laneId", contains("4o.t1-0"))
                .body("rows[0].cells.laneId", contains("4o.t1-0"))
                .body("filter.models", contains("gpt-4o"))
                // the choices stay the run's: a filtered view can be widened again
                .body("options.models", contains("claude-opus-4-1", "gpt-4o", "gpt-5"))
                .body("options.providers", contains("anthropic", "openai"))
                .body("options.lanes", contains("4o.t1-0", "gpt5.reason-med", "opus.t0-8.std"));
        given().queryParam("provider", "anthropic").get("/api/runs/run-poems/matrix").then()
                .body("lanes.laneId", contains("opus.t0-8.std"))
                .body("totalPrompts", is(4))
                .body("rows[2].cells[0].status", is("error"));
        given().queryParam("provider", "openai").queryParam("model", "gpt-5").get("/api/runs/run-poems/matrix").then()
                .body("lanes.laneId", contains("gpt5.reason-med"));
        given().queryParam("errors", "true").get("/api/runs/run-poems/matrix").then().statusCode(200)
                .body("filter.errorsOnly", is(true))
                .body("totalPrompts", is(1))
                .body("rows.promptId", contains("p03"))
                .body("rows[0].cells.laneId", contains("opus.t0-8.std"))
                .body("rows[0].cells[0].errorKind", is("invalid_request"))
                // errors only narrows the cells, not the columns: every lane's header stays
                .body("lanes", hasSize(3));
        given().queryParam("errors", "true").queryParam("provider", "openai").get("/api/runs/run-poems/matrix").then()
                .body("totalPrompts", is(0)).body("rows", hasSize(0)).body("totalPages", is(1));
        given().queryParam("errors", "false").get("/api/runs/run-poems/matrix").then().body("totalPrompts", is(4));
    }

    @Test
    void shouldSortPromptsByLengthCostAndErrorsAndLanesByTheirFigures() {
        // mean lengths over the lanes: p01 302, p04 225, p02 188, p03 177 (its opus cell is an error)
        given().queryParam("sort", "-length").get("/api/runs/run-poems/matrix").then().statusCode(200)
                .body("sort", is("-length")).body("rows.promptId", contains("p01", "p04", "p02", "p03"));
        given().queryParam("sort", "length").get("/api/runs/run-poems/matrix").then()
                .body("rows.promptId", contains("p03", "p02", "p04", "p01"));
        // cost: p03 lacks its opus generation's cost; ties fall back to the id
        given().queryParam("sort", "-cost").get("/api/runs/run-poems/matrix").then()
                .body("rows.promptId", contains("p01", "p02", "p04", "p03"));
        given().queryParam("sort", "-errors").get("/api/runs/run-poems/matrix").then()
                .body("rows.promptId", contains("p03", "p01", "p02", "p04"));
        // a sort reaches across pages: the longest prompt heads page 1, the shortest ends page 2
        given().queryParam("sort", "-length").queryParam("size", 3).queryParam("page", 2)
                .get("/api/runs/run-poems/matrix").then().body("rows.promptId", contains("p03"));
        given().queryParam("sort", "-id").get("/api/runs/run-poems/matrix").then()
                .body("rows.promptId", contains("p04", "p03", "p02", "p01"));
        // lanes: cost 4o 0.052, gpt5 0.044, opus 0.036; opus has the one error
        given().queryParam("lanesort", "-cost").get("/api/runs/run-poems/matrix").then()
                .body("laneSort", is("-cost"))
                .body("lanes.laneId", contains("4o.t1-0", "gpt5.reason-med", "opus.t0-8.std"))
                .body("rows[0].cells.laneId", contains("4o.t1-0", "gpt5.reason-med", "opus.t0-8.std"));
        given().queryParam("lanesort", "cost").get("/api/runs/run-poems/matrix").then()
                .body("lanes.laneId", contains("opus.t0-8.std", "gpt5.reason-med", "4o.t1-0"));
        given().queryParam("lanesort", "-errors").get("/api/runs/run-poems/matrix").then()
                .body("lanes.laneId", contains("opus.t0-8.std", "4o.t1-0", "gpt5.reason-med"));
        given().queryParam("lanesort", "coverage").get("/api/runs/run-poems/matrix").then()
                .body("lanes[0].laneId", is("opus.t0-8.std")).body("lanes[0].coverage", is(0.75f));
    }

    @Test
    void shouldGiveEachLaneItsMeanAndSpreadOfLength() {
        // gpt5's four outputs are 295, 181, 167 and 218 characters: mean 215.25, population deviation 49.67
        JsonPath page = given().get("/api/runs/run-poems/matrix").then().statusCode(200).extract().jsonPath();
        assertThat(page.getDouble("lanes[1].meanLength")).isEqualTo(215.25);
        assertThat(page.getDouble("lanes[1].lengthStdDev")).isCloseTo(49.6708, offset(1e-3));
        assertThat(page.getDouble("lanes[1].coverage")).isEqualTo(1.0);
        // opus in run-poems-b: 120 and 360 characters
        given().queryParam("lane", "opus.t0-8.std").get("/api/runs/run-poems-b/matrix").then()
                .body("lanes[0].meanLength", is(240.0f)).body("lanes[0].lengthStdDev", is(120.0f))
                .body("rows[1].cells[0].outputLength", is(360));
    }

    @Test
    void shouldOpenOneCellsFullOutput() {
        given().get("/api/runs/run-poems/prompts/p01/lanes/gpt5.reason-med").then().statusCode(200)
                .body("laneId", is("gpt5.reason-med"))
                .body("model", is("gpt-5"))
                .body("outputText", startsWith("The lamp turned as it always had"))
                .body("outputText", endsWith("It will not count the ships."))
                .body("parameters", containsString("reasoning_effort"))
                // the exact body sent, joined back from its claim check
                .body("requestBody", is("{\"model\":\"gpt-5\",\"messages\":[{\"role\":\"user\",\"content\":"
                        + "\"Write the last night of a lighthouse keeper.\"}],\"max_completion_tokens\":36000,"
                        + "\"reasoning_effort\":\"medium\"}"));
        // a body stored with its long text cut out, put back; a body that does not hash to its claim check, not shown
        given().get("/api/runs/run-poems/prompts/p01/lanes/4o.t1-0").then().statusCode(200)
                .body("requestBody", is("{\"model\":\"gpt-4o\",\"metadata\":{\"note\":\"café\"},\"messages\":"
                        + "[{\"role\":\"system\",\"content\":\"# House style\\n\\nPrefer the concrete \\\"to\\\" the "
                        + "abstract.\"},{\"role\":\"user\",\"content\":\"Write the last night of a lighthouse keeper.\"}]}"));
        given().get("/api/runs/run-poems/prompts/p01/lanes/opus.t0-8.std").then().statusCode(200)
                .body("outputText", startsWith("Salt on the glass")).body("requestBody", nullValue());
        given().get("/api/runs/run-poems/prompts/p03/lanes/opus.t0-8.std").then().statusCode(200)
                .body("requestBody", nullValue())
                .body("status", is("error")).body("errorKind", is("invalid_request"))
                .body("errorMessage", is("max_tokens: 40000 > 32000")).body("outputText", nullValue());
        given().queryParam("replicate", 1).get("/api/runs/run-poems/prompts/p02/lanes/4o.t1-0").then()
                .statusCode(200).body("outputText", containsString("Take one kitchen"));
        given().get("/api/runs/run-poems/prompts/p01/lanes/sonnet.t0-8.std").then().statusCode(404)
                .body("error", allOf(containsString("sonnet.t0-8.std"),
                        containsString("GET /api/runs/run-poems/prompts/p01")));
    }

    @Test
    void shouldAnswer400NamingTheBadParameterAndItsAllowedValues() {
        given().queryParam("provider", "mistral").get("/api/runs/run-poems/matrix").then().statusCode(400)
                .body("parameter", is("provider")).body("value", is("mistral"))
                .body("allowed", contains("openai", "anthropic"))
                .body("error", is("parameter 'provider' cannot be 'mistral': use one of openai, anthropic"));
        given().queryParam("status", "done").get("/api/runs/run-poems/matrix").then().statusCode(400)
                .body("parameter", is("status"))
                .body("allowed", contains("requested", "submitted", "completed", "error", "dry_run"));
        given().queryParam("sort", "title").get("/api/runs/run-poems/matrix").then().statusCode(400)
                .body("parameter", is("sort"))
                .body("allowed", contains("id", "length", "cost", "errors", "-id", "-length", "-cost", "-errors"));
        given().queryParam("lanesort", "speed").get("/api/runs/run-poems/matrix").then().statusCode(400)
                .body("parameter", is("lanesort")).body("allowed", hasItems("spread", "-coverage"));
        given().queryParam("errors", "yes").get("/api/runs/run-poems/matrix").then().statusCode(400)
                .body("allowed", contains("true", "false"));
        given().queryParam("page", "two").get("/api/runs/run-poems/matrix").then().statusCode(400)
                .body("error", is("parameter 'page' cannot be 'two': use a whole number of at least 1"));
        given().queryParam("size", 0).get("/api/runs/run-poems/matrix").then().statusCode(400)
                .body("parameter", is("size"));
    }

    @Test
    void shouldAnswer404ForAnUnknownRunOrPrompt() {
        given().get("/api/runs/nope/matrix").then().statusCode(404)
                .body("error", is("no run 'nope': GET /api/runs (or the runs page, /) lists the runs"));
        given().get("/api/runs/nope").then().statusCode(404).body("error", startsWith("no run 'nope'"));
        given().get("/api/runs/nope/generations.csv").then().statusCode(404);
        given().get("/api/runs/run-poems/prompts/p99").then().statusCode(404)
                .body("error", is("run run-poems has no generation for prompt p99: GET /api/runs/run-poems/matrix lists"
                        + " its prompts"));
        given().get("/api/runs/run-poems").then().statusCode(200).body("id", equalTo("run-poems"));
    }
}
