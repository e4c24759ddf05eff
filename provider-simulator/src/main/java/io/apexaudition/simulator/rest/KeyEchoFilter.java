package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.simulator.domain.RuntimeSettings;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Consumes every provider error answer (status 400 and above on {@code /v1/*}) while {@code faults.echo-key} is on;
 * produces the same answer with the key the request carried, in full and masked as OpenAI shows keys, at the end of
 * its error message: what a careless provider or proxy might do, so that the clients' redaction can be tested.
 */
@Provider
public class KeyEchoFilter implements ContainerResponseFilter {
    private final RuntimeSettings settings;

    public KeyEchoFilter(RuntimeSettings settings) {
        this.settings = settings;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!settings.current().faults().echoKey() || response.getStatus() < 400
                || !request.getUriInfo().getPath().startsWith("/v1/")
                || !(response.getEntity() instanceof ObjectNode body) || !body.path("error").isObject()) {
            return;
        }
        String key = sentKey(request);
        if (key == null) {
            return;
        }
        ObjectNode echoed = body.deepCopy();
        ObjectNode error = (ObjectNode) echoed.get("error");
        error.put("message", error.path("message").asText() + " (API key sent: " + key + "; shown as " + masked(key)
                + ")");
        response.setEntity(echoed);
    }

    private static String sentKey(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String key = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7) : request.getHeaderString("x-api-key");
        return key == null || key.isBlank() ? null : key.trim();
    }

    /** As OpenAI masks a key in its "Incorrect API key provided" message: a few characters kept at each end. */
    static String masked(String key) {
        if (key.length() <= 10) {
            return "*".repeat(key.length());
        }
        return key.substring(0, 6) + "*".repeat(key.length() - 10) + key.substring(key.length() - 4);
    }
}
