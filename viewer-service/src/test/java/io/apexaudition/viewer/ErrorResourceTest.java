package io.apexaudition.viewer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** A run's errors over seed.sql: each with the provider's message and whether apex retry would resend it. */
@QuarkusTest
@QuarkusTestResource(ViewerDatabaseResource.class)
class ErrorResourceTest {

    @Test
    void shouldListEveryErrorWithItsMessageAttemptAndWhetherApexRetryResendsIt() {
        given().get("/api/runs/run-poems-b/errors").then().statusCode(200)
                .body("total", is(2))
                .body("resendable", is(1))
                .body("command", is("apex retry run-poems-b"))
                .body("retryableKinds", hasItems("expired", "canceled", "rate_limit", "server", "timeout",
                        "unknown_outcome"))
                .body("kinds.kind", contains("expired", "invalid_request"))
                .body("kinds.retryable", contains(true, false))
                .body("lanes", contains("4o.t1-0", "gpt5.reason-med"))
                .body("rows", hasSize(2))
                .body("rows[0].laneId", is("4o.t1-0"))
                .body("rows[0].promptId", is("p02"))
                .body("rows[0].title", is("A recipe for grief"))
                .body("rows[0].errorKind", is("invalid_request"))
                .body("rows[0].errorMessage", is("temperature: 2.5 is greater than the maximum of 2"))
                .body("rows[0].attempt", is(1))
                .body("rows[0].resend", is(false))
                .body("rows[1].laneId", is("gpt5.reason-med"))
                .body("rows[1].errorKind", is("expired"))
                .body("rows[1].errorMessage", containsString("24h window"))
                .body("rows[1].attempt", is(2))
                .body("rows[1].provider", is("openai"))
                .body("rows[1].resend", is(true));
    }

    @Test
    void shouldNameTheLanesInTheCommandAndFilterByKind() {
        given().queryParam("lane", "gpt5.reason-med").get("/api/runs/run-poems-b/errors").then().statusCode(200)
                .body("total", is(1)).body("resendable", is(1))
                .body("command", is("apex retry run-poems-b --condition-slug gpt5.reason-med"))
                .body("rows.laneId", contains("gpt5.reason-med"))
                // the lane choices stay the run's
                .body("lanes", contains("4o.t1-0", "gpt5.reason-med"));
        given().queryParam("lane", "4o.t1-0").get("/api/runs/run-poems-b/errors").then()
                .body("total", is(1)).body("resendable", is(0)).body("command", nullValue());
        // the kind filter narrows the list; the command resends what apex retry would, whatever the kind shown
        given().queryParam("kind", "invalid_request").get("/api/runs/run-poems-b/errors").then()
                .body("matching", is(1)).body("total", is(2)).body("rows.errorKind", contains("invalid_request"))
                .body("command", is("apex retry run-poems-b"));
        given().queryParam("size", 1).queryParam("page", 2).get("/api/runs/run-poems-b/errors").then()
                .body("totalPages", is(2)).body("rows.laneId", contains("gpt5.reason-med"));
    }

    @Test
    void shouldSayNothingIsRetriedWhenNoErrorIsRetryable() {
        given().get("/api/runs/run-poems/errors").then().statusCode(200)
                .body("total", is(1)).body("resendable", is(0)).body("command", nullValue())
                .body("rows[0].laneId", is("opus.t0-8.std"))
                .body("rows[0].title", is("The interview"))
                .body("rows[0].errorMessage", is("max_tokens: 40000 > 32000"))
                .body("rows[0].resend", is(false));
        given().get("/api/runs/run-live/errors").then().statusCode(200).body("total", is(0)).body("rows", hasSize(0));
    }

    @Test
    void shouldAnswer400ForAnUnknownKindAnd404ForAnUnknownRun() {
        given().queryParam("kind", "oops").get("/api/runs/run-poems-b/errors").then().statusCode(400)
                .body("parameter", is("kind")).body("allowed", hasItems("expired", "invalid_request"));
        given().get("/api/runs/nope/errors").then().statusCode(404).body("error", containsString("no run 'nope'"));
    }
}
