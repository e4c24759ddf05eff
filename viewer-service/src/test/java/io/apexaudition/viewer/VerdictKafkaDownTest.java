package io.apexaudition.viewer;

import io.apexaudition.testsupport.FreePorts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * A viewer whose broker does not answer (a port nothing listens on) still serves every page and stays ready; only a
 * verdict is refused, with a 503 that says what to do, and /q/health/well says why.
 */
@QuarkusTest
@TestProfile(VerdictKafkaDownTest.NoBroker.class)
class VerdictKafkaDownTest {

    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("apex.verdicts.bootstrap-servers", "127.0.0.1:" + FreePorts.find(),
                    "apex.verdicts.send-timeout", "PT2S");
        }
    }

    @Test
    void shouldRefuseAVerdictWith503AndStayReadyWhileKafkaDoesNotAnswer() {
        // given a verdict that is right in every way
        String body = """
                {"verdictId":"%s","promptId":"p01","kind":"pairwise","a":"Lane A","b":"Lane B","winner":"A",
                 "blind":true}""".formatted(UUID.randomUUID());

        // when it is cast while the broker does not answer
        given().contentType(ContentType.JSON).body(body).post("/api/runs/run-poems/verdicts").then()
                .statusCode(503)
                .body("error", containsString("Kafka did not take the verdict within 2 s"))
                .body("error", containsString("cast it again"))
                .body("error", containsString("KAFKA_BOOTSTRAP_SERVERS"));

        // then reading goes on, the viewer stays ready, and the wellness check names the failure
        given().get("/api/runs/run-poems/matrix").then().statusCode(200);
        given().get("/api/runs/run-poems/verdicts/tally").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'verdicts' }.status", is("DOWN"))
                .body("checks.find { it.name == 'verdicts' }.data.lastFailure", notNullValue());
    }
}
