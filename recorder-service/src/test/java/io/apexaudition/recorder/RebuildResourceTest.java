package io.apexaudition.recorder;

import io.apexaudition.testsupport.ApexInfraResource;
import io.apexaudition.testsupport.LogCapture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;

/** {@code POST /api/rebuild} is an admin call: it runs only with the admin token, and never shows the token. */
@QuarkusTest
@QuarkusTestResource(ApexInfraResource.class)
class RebuildResourceTest {
    /** The recorder's token in the test profile (application.properties). */
    private static final String TOKEN = "test-admin-token";

    @Test
    void shouldRefuseARebuildWithoutTheAdminTokenNamingTheVariable() {
        given().post("/api/rebuild").then().statusCode(401)
                .body("error", containsString("APEX_ADMIN_TOKEN")).body("error", containsString("Authorization"));
    }

    @Test
    void shouldRefuseAWrongAdminTokenWithoutEchoingOrLoggingEitherToken() {
        List<String> logged;
        try (LogCapture logs = LogCapture.start()) {
            given().header("Authorization", "Bearer not-the-" + TOKEN).post("/api/rebuild").then().statusCode(401)
                    .body("error", containsString("wrong")).body(not(containsString(TOKEN)));
            logged = logs.lines();
        }

        assertThat(logged).noneMatch(line -> line.contains(TOKEN));
    }

    @Test
    void shouldRebuildWithTheAdminToken() {
        given().header("Authorization", "Bearer " + TOKEN).post("/api/rebuild").then().statusCode(200)
                .body("events", greaterThanOrEqualTo(0));
    }
}
