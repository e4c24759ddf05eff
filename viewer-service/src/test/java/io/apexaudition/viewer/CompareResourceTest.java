package io.apexaudition.viewer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** Two runs compared over seed.sql: run-poems (a) and run-poems-b (b, the same three lanes and one more). */
@QuarkusTest
@QuarkusTestResource(ViewerDatabaseResource.class)
class CompareResourceTest {

    @Test
    void shouldCompareTheLanesBothRunsRanWithTheDifference() {
        String body = given().queryParam("a", "run-poems").queryParam("b", "run-poems-b").get("/api/compare").then()
                .statusCode(200)
                .body("a.id", is("run-poems"))
                .body("b.id", is("run-poems-b"))
                .body("b.createdBy", is("grace"))
                .body("lanes.laneId", contains("4o.t1-0", "gpt5.reason-med", "opus.t0-8.std"))
                .body("onlyInA", hasSize(0))
                .body("onlyInB", contains("sonnet.t0-8.std"))
                .body("prompts.promptId", contains("p01", "p02"))
                .body("prompts[1].title", is("A recipe for grief"))
                .extract().asString();
        // doubles, not floats: 0.044 read as a float is not 0.044 as a double
        JsonPath c = JsonPath.from(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        // gpt5: a 4 completed of 4 ($0.044, mean 215.25), b 1 of 2 ($0.020, one error, mean 51)
        assertThat(c.getDouble("lanes[1].a.costUsd")).isEqualTo(0.044);
        assertThat(c.getDouble("lanes[1].b.costUsd")).isEqualTo(0.02);
        assertThat(c.getDouble("lanes[1].difference.costUsd")).isEqualTo(-0.024);
        assertThat(c.getDouble("lanes[1].difference.meanLength")).isCloseTo(51 - 215.25, offset(1e-9));
        assertThat(c.getLong("lanes[1].difference.errors")).isEqualTo(1);
        assertThat(c.getDouble("lanes[1].a.coverage")).isEqualTo(1.0);
        assertThat(c.getDouble("lanes[1].b.coverage")).isEqualTo(0.5);
        assertThat(c.getDouble("lanes[1].difference.coverage")).isEqualTo(-0.5);
        // opus: a had the error, b none
        assertThat(c.getLong("lanes[2].difference.errors")).isEqualTo(-1);
        assertThat(c.getDouble("lanes[2].b.meanLength")).isEqualTo(240.0);
    }

    @Test
    void shouldShowOnePromptsOutputsOfBothRunsSideBySidePerLane() {
        given().queryParam("a", "run-poems").queryParam("b", "run-poems-b").get("/api/compare/prompts/p02").then()
                .statusCode(200)
                .body("title", is("A recipe for grief"))
                .body("text", is("Write a poem in the form of a recipe."))
                .body("lanes.laneId", contains("4o.t1-0", "gpt5.reason-med", "opus.t0-8.std"))
                .body("lanes[1].a.outputText", containsString("Take one kitchen"))
                .body("lanes[1].b.status", is("error"))
                .body("lanes[1].b.errorKind", is("expired"))
                .body("lanes[2].b.outputText", containsString("Salt, then the kettle"));
        // sonnet ran p01 in b only: it is not a lane both ran, so it is not paired
        given().queryParam("a", "run-poems").queryParam("b", "run-poems-b").get("/api/compare/prompts/p01").then()
                .body("lanes.laneId", contains("4o.t1-0", "gpt5.reason-med", "opus.t0-8.std"));
        // p03 ran in a only: b's side is empty
        given().queryParam("a", "run-poems").queryParam("b", "run-poems-b").get("/api/compare/prompts/p03").then()
                .statusCode(200).body("lanes[0].a.laneId", is("4o.t1-0")).body("lanes[0].b", nullValue());
    }

    @Test
    void shouldSayWhatIsMissing() {
        given().queryParam("a", "run-poems").get("/api/compare").then().statusCode(400)
                .body("parameter", is("b"))
                .body("error", is("parameter 'b' is required: name the two runs, as in"
                        + " /api/compare?a=RUN_ID&b=RUN_ID"));
        given().queryParam("a", "run-poems").queryParam("b", "nope").get("/api/compare").then().statusCode(404)
                .body("error", containsString("no run 'nope'"));
        given().queryParam("a", "run-poems").queryParam("b", "run-poems-b").get("/api/compare/prompts/p99").then()
                .statusCode(404).body("error", containsString("neither run run-poems nor run run-poems-b"));
    }
}
