package io.apexaudition.poller;

import io.apexaudition.testsupport.ApexInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@QuarkusTestResource(ApexInfraResource.class)
class PollerServiceTest {

    @Test
    void shouldBeReadyWhenKafkaAnswers() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", is("UP")));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }
}
