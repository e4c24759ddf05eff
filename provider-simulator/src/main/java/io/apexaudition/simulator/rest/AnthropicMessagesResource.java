package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.simulator.domain.AnthropicMessages;
import io.apexaudition.simulator.domain.AnthropicRules;
import io.apexaudition.simulator.domain.Ledger;
import io.apexaudition.simulator.domain.StreamedReplies;
import io.apexaudition.simulator.domain.RateLimits;
import io.apexaudition.simulator.domain.Violation;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.util.Optional;

/** Consumes synchronous {@code POST /v1/messages}; produces a message (streamed when asked) or Anthropic's 4xx at once. */
@Path("/v1/messages")
public class AnthropicMessagesResource {
    private final ProviderGate gate;
    private final AnthropicRules rules;
    private final AnthropicMessages messages;
    private final Ledger ledger;
    private final Clock clock;

    public AnthropicMessagesResource(ProviderGate gate, AnthropicRules rules, AnthropicMessages messages,
                                     Ledger ledger, Clock clock) {
        this.gate = gate;
        this.rules = rules;
        this.messages = messages;
        this.ledger = ledger;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(@HeaderParam("x-api-key") String apiKey,
                           @HeaderParam("anthropic-version") String version,
                           @HeaderParam("Content-Type") String contentType, String body) {
        gate.anthropic(apiKey, version, "anthropic.messages");
        JsonNode params = ProviderResponses.parse("anthropic", contentType, body);
        Optional<Violation> violation = rules.check(params, false);
        if (violation.isPresent()) {
            return ProviderResponses.refusal("anthropic", violation.get());
        }
        RateLimits.Admission admission = gate.admit(false, params.path("model").asText(), body);
        // streaming is how the reply travels, not what it says: the same request gets the same message either way
        ObjectNode unstreamed = ((ObjectNode) params).deepCopy();
        unstreamed.remove("stream");
        ObjectNode message = messages.create(unstreamed);
        ledger.record(new Ledger.Entry("anthropic", "/v1/messages", null, null, params.path("model").asText(), params,
                message.get("usage"), clock.instant()));
        if (params.path("stream").asBoolean(false)) {
            return ProviderGate.withHeaders(Response.ok(StreamedReplies.anthropic(message), "text/event-stream"),
                    admission).build();
        }
        return ProviderGate.withHeaders(ProviderResponses.ok("anthropic", message), admission).build();
    }
}
