package io.apexaudition.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.core.AdminToken;
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
    /** The admin token to send, or null: sent only to the services' admin endpoints, never to a provider. */
    private final String adminToken;

    public ServiceClient(String baseUrl) {
        this(baseUrl, null);
    }

    private ServiceClient(String baseUrl, String adminToken) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.adminToken = adminToken;
    }

    /**
     * A client of the services' admin endpoints (registration, rebuild): it sends {@code APEX_ADMIN_TOKEN} from the
     * environment (./apex exports it from .apex/stack.env); a system property of that name wins (tests, embedding).
     * Without one it sends none, and the service answers 401 saying what to set.
     */
    public static ServiceClient admin(String baseUrl) {
        String token = System.getProperty(AdminToken.ENV, System.getenv(AdminToken.ENV));
        return new ServiceClient(baseUrl, token == null || token.isBlank() ? null : token.strip());
    }

    /** POSTs a JSON body; returns the status and parsed answer. */
    public Answer post(String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofMinutes(30))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(EventJson.mapper().writeValueAsString(body)));
            if (adminToken != null) {
                request.header("Authorization", AdminToken.header(adminToken));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
