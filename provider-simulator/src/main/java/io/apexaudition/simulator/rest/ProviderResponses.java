package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apexaudition.simulator.domain.Ids;
import io.apexaudition.simulator.domain.ProviderErrors;
import io.apexaudition.simulator.domain.Refusal;
import io.apexaudition.simulator.domain.Violation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.Optional;

/** Shared wire helpers: request ids, JSON bodies parsed into provider-shaped 400s, and refusals as responses. */
public final class ProviderResponses {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProviderResponses() {
    }

    static Response.ResponseBuilder ok(String provider, Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON).header(requestIdHeader(provider), Ids.hex("req_", 24));
    }

    static Response refusal(String provider, Violation v) {
        return Response.status(v.status()).type(MediaType.APPLICATION_JSON)
                .header(requestIdHeader(provider), Ids.hex("req_", 24))
                .entity("openai".equals(provider) ? ProviderErrors.openAi(v) : ProviderErrors.anthropic(v)).build();
    }

    /**
     * A JSON request body, refused as the provider refuses it when it is not a JSON object, or when it does not come
     * as {@code Content-Type: application/json} (both APIs require it; a client that streams a body can leave it
     * out, which no other check here would notice).
     */
    static JsonNode parse(String provider, String contentType, String body) {
        // the media type before any parameter (charset), exactly: "application/jsonl" is not JSON
        if (contentType == null || !contentType.split(";", 2)[0].strip().equalsIgnoreCase("application/json")) {
            throw new Refusal(provider, "openai".equals(provider)
                    ? Violation.openAi(null, null, "Invalid Content-Type header (" + contentType + "), expected "
                    + "application/json.")
                    : Violation.anthropic("content-type: the request body must be sent as application/json, not "
                    + contentType + "."));
        }
        try {
            JsonNode node = body == null || body.isBlank() ? null : MAPPER.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // Falls through to the provider's own wording for an unreadable body.
        }
        throw new Refusal(provider, "openai".equals(provider)
                ? Violation.openAi(null, null, "We could not parse the JSON body of your request. (HINT: This likely "
                + "means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)")
                : Violation.anthropic("There was an error parsing the body of your request: it must be a JSON object."));
    }

    /** Where Anthropic {@code results_url} points: the configured public URL, else the URL this call came in on. */
    static String base(Optional<String> publicBaseUrl, UriInfo uri) {
        String base = publicBaseUrl.filter(s -> !s.isBlank()).orElse(uri.getBaseUri().toString());
        return base.endsWith("/") ? base : base + "/";
    }

    private static String requestIdHeader(String provider) {
        return "openai".equals(provider) ? "x-request-id" : "request-id";
    }
}
