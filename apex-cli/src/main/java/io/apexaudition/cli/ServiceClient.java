package io.apexaudition.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.events.EventJson;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls a service's JSON API (the planner's registration, the recorder's rebuild). */
public final class ServiceClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public ServiceClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** POSTs a JSON body; returns the status and parsed answer. */
    public Answer post(String path, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofMinutes(30))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(EventJson.mapper().writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? EventJson.mapper().nullNode()
                    : EventJson.mapper().readTree(response.body());
            return new Answer(response.statusCode(), json);
        } catch (ConnectException e) {
            throw new IllegalStateException("nothing answers at " + baseUrl + ": start the stack with './apex up', "
                    + "or pass the service's URL (--planner-url / --recorder-url)");
        } catch (IOException e) {
            throw new IllegalStateException("calling " + baseUrl + path + " failed: " + e.getMessage()
                    + " (is the stack up? './apex status')", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public record Answer(int status, JsonNode json) {
    }
}
