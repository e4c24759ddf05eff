package io.apexaudition.simulator.rest;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.apexaudition.simulator.rest.Sim.anthropic;
import static io.apexaudition.simulator.rest.Sim.chat;
import static io.apexaudition.simulator.rest.Sim.claude;
import static io.apexaudition.simulator.rest.Sim.openAi;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code faults.echo-key}: provider error messages that carry the request's API key, for redaction tests. */
@QuarkusTest
class KeyEchoTest {
    private static final String WRONG_KEY = "wrong-key-1234567890-ABCD";

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    @Test
    void shouldEchoAWrongKeyInFullAndMaskedInBothProvidersAuthenticationErrors() {
        // given
        Sim.config("{\"faults\":{\"echo-key\":true}}");

        // when
        String openAiError = given().header("Authorization", "Bearer " + WRONG_KEY).get("/v1/batches").then()
                .statusCode(401).extract().path("error.message");
        String anthropicError = given().header("x-api-key", WRONG_KEY).header("anthropic-version", "2023-06-01")
                .get("/v1/messages/batches").then().statusCode(401).extract().path("error.message");

        // then
        for (String message : new String[] {openAiError, anthropicError}) {
            assertThat(message).contains(WRONG_KEY).contains("wrong-***************ABCD");
        }
    }

    @Test
    void shouldEchoTheRightKeyInRefusalsAndInjectedFaultsButNeverInSuccesses() {
        // given
        Sim.config("{\"faults\":{\"echo-key\":true,\"endpoints\":{\"anthropic.messages\":{\"server-error\":1.0}}}}");

        // when
        String refusal = openAi().body(chat("o3", "{\"temperature\":1}").toString()).post("/v1/chat/completions")
                .then().statusCode(400).extract().path("error.message");
        String fault = anthropic().body(claude("claude-sonnet-4-5", "{\"max_tokens\":100}").toString())
                .post("/v1/messages").then().statusCode(500).extract().path("error.message");
        String success = openAi().body(chat("gpt-4o", "{}").toString()).post("/v1/chat/completions")
                .then().statusCode(200).extract().asString();

        // then
        assertThat(refusal).contains(Sim.OPENAI_KEY);
        assertThat(fault).contains(Sim.ANTHROPIC_KEY);
        assertThat(success).doesNotContain(Sim.OPENAI_KEY);
    }

    @Test
    void shouldEchoNoKeyWhileTheModeIsOff() {
        String message = given().header("Authorization", "Bearer " + WRONG_KEY).get("/v1/batches").then()
                .statusCode(401).extract().path("error.message");

        assertThat(message).doesNotContain(WRONG_KEY).doesNotContain("ABCD");
    }
}
