package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;

/** Test-side client of the simulator: authenticated request specs, uploads, admin calls and JSON builders. */
final class Sim {
    static final String OPENAI_KEY = "sim-openai-key";
    static final String ANTHROPIC_KEY = "sim-anthropic-key";
    static final ObjectMapper JSON = new ObjectMapper();
    /** About 1,500 tokens: above both providers' 1,024-token caching minimum. */
    static final String LONG_CONTEXT = "House style: plain words, concrete images, no cliches. ".repeat(110);

    private Sim() {
    }

    static RequestSpecification openAi() {
        return given().header("Authorization", "Bearer " + OPENAI_KEY).contentType(ContentType.JSON);
    }

    static RequestSpecification anthropic() {
        return given().header("x-api-key", ANTHROPIC_KEY).header("anthropic-version", "2023-06-01")
                .contentType(ContentType.JSON);
    }

    static void reset() {
        given().post("/_sim/reset").then().statusCode(204);
    }

    static void config(String json) {
        given().contentType(ContentType.JSON).body(json).post("/_sim/config").then().statusCode(200);
    }

    /** The settings in effect, as {@code GET /_sim/config} shows them. */
    static JsonNode settings() {
        return obj(given().get("/_sim/config").then().statusCode(200).extract().asString());
    }

    static void advance(String duration) {
        given().queryParam("by", duration).post("/_sim/clock/advance").then().statusCode(200);
    }

    static ObjectNode obj(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> jsonl(String text) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(obj(line));
            }
        }
        return lines;
    }

    /** The JSON data of each server-sent event, in order ({@code [DONE]} aside). */
    static List<JsonNode> events(String sse) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                events.add(obj(line.substring(6)));
            }
        }
        return events;
    }

    static ObjectNode chat(String model, String extraJson) {
        ObjectNode body = obj(extraJson);
        body.put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", "Write a short story about a lighthouse.");
        return body;
    }

    static ObjectNode claude(String model, String extraJson) {
        ObjectNode body = obj(extraJson);
        body.put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", "Write a short poem about rain.");
        return body;
    }

    static String openAiLine(String customId, JsonNode body) {
        ObjectNode line = JSON.createObjectNode();
        line.put("custom_id", customId).put("method", "POST").put("url", "/v1/chat/completions").set("body", body);
        return line.toString();
    }

    static String upload(String jsonl) {
        return given().header("Authorization", "Bearer " + OPENAI_KEY)
                .multiPart("purpose", "batch")
                .multiPart("file", "requests.jsonl", jsonl.getBytes(StandardCharsets.UTF_8), "application/jsonl")
                .post("/v1/files").then().statusCode(200).extract().path("id");
    }

    /** Uploads the lines and creates a batch over them; returns the batch id. */
    static String openAiBatch(String... lines) {
        String fileId = upload(String.join("\n", lines) + "\n");
        return openAi().body("{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\"/v1/chat/completions\","
                        + "\"completion_window\":\"24h\",\"metadata\":{\"run\":\"r1\"}}")
                .post("/v1/batches").then().statusCode(200).extract().path("id");
    }

    static JsonNode openAiBatchGet(String id) {
        return obj(openAi().get("/v1/batches/" + id).then().statusCode(200).extract().asString());
    }

    static List<JsonNode> fileLines(String fileId) {
        return jsonl(openAi().get("/v1/files/" + fileId + "/content").then().statusCode(200).extract().asString());
    }

    static ObjectNode anthropicRequest(String customId, JsonNode params) {
        ObjectNode r = JSON.createObjectNode();
        r.put("custom_id", customId).set("params", params);
        return r;
    }

    static String anthropicBatch(ObjectNode... requests) {
        ObjectNode body = JSON.createObjectNode();
        var list = body.putArray("requests");
        for (ObjectNode r : requests) {
            list.add(r);
        }
        return anthropic().body(body.toString()).post("/v1/messages/batches").then().statusCode(200)
                .extract().path("id");
    }

    static JsonNode anthropicBatchGet(String id) {
        return obj(anthropic().get("/v1/messages/batches/" + id).then().statusCode(200).extract().asString());
    }

    static List<JsonNode> anthropicResults(String id) {
        return jsonl(anthropic().get("/v1/messages/batches/" + id + "/results").then().statusCode(200)
                .extract().asString());
    }

    static JsonNode ledger() {
        return obj("{\"l\":" + given().get("/_sim/ledger").then().statusCode(200).extract().asString() + "}").get("l");
    }
}
