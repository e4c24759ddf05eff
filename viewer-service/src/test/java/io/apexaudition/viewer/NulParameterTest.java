package io.apexaudition.viewer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * A NUL in any id or filter of a read endpoint is a 400 that names the parameter: Postgres cannot hold a NUL in text,
 * so no run, lane or prompt has one, and a query that carried it would fail inside the database as a 500.
 */
@QuarkusTest
@QuarkusTestResource(ViewerDatabaseResource.class)
class NulParameterTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/runs/run%00poems",
            "/api/runs/run%00poems/matrix",
            "/api/runs/run-poems/matrix?lane=4o%00",
            "/api/runs/run-poems/matrix?q=keeper%00",
            "/api/runs/run-poems/matrix?model=gpt-4o%00",
            "/api/runs/run-poems/prompts/p0%001",
            "/api/runs/run-poems/prompts/p01/lanes/4o%00",
            "/api/runs/run%00poems/errors",
            "/api/runs/run%00poems/leaderboard",
            "/api/runs/run%00poems/generations.csv",
            "/api/compare?a=run%00poems&b=run-poems-b"})
    void shouldRefuseANulInAnyParameterAs400NamingIt(String url) {
        // given a request whose id or filter holds a NUL (encoded as %00)
        // when it is read, then it is refused before any query, naming the parameter and the fix
        given().urlEncodingEnabled(false).get(url).then()
                .statusCode(400)
                .body("error", containsString("NUL"))
                .body("error", containsString("remove"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/runs/run-poems/matrix?q=keeper", "/api/runs/run-poems"})
    void shouldLeaveParametersWithoutNulAlone(String url) {
        given().urlEncodingEnabled(false).get(url).then().statusCode(is(200));
    }
}
