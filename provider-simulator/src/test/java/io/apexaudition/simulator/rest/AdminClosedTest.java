package io.apexaudition.simulator.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;

@QuarkusTest
@TestProfile(AdminClosedTest.AdminDisabled.class)
class AdminClosedTest {

    /** The default configuration: admin not enabled. */
    public static class AdminDisabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("apex.simulator.admin.enabled", "false");
        }
    }

    @Test
    void shouldKeepAdminEndpointsClosedUnlessEnabled() {
        given().get("/_sim/config").then().statusCode(404);
        given().get("/_sim/ledger").then().statusCode(404);
        given().get("/_sim/batches").then().statusCode(404);
        given().post("/_sim/reset").then().statusCode(404);
        given().contentType("application/json").body("{\"seed\":1}").post("/_sim/config").then().statusCode(404);
        // while the provider endpoints work as usual
        Sim.openAi().get("/v1/batches").then().statusCode(200);
    }
}
