package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.simulator.domain.Ledger;
import io.apexaudition.simulator.domain.StreamedReplies;
import io.apexaudition.simulator.domain.OpenAiCompletions;
import io.apexaudition.simulator.domain.OpenAiRules;
import io.apexaudition.simulator.domain.RateLimits;
import io.apexaudition.simulator.domain.Violation;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.util.Optional;

/** Consumes synchronous {@code POST /v1/chat/completions}; produces a chat.completion (streamed when asked) or OpenAI's 4xx at once. */
@Path("/v1/chat/completions")
public class OpenAiChatResource {
    private final ProviderGate gate;
    private final OpenAiRules rules;
    private final OpenAiCompletions completions;
    private final Ledger ledger;
    private final Clock clock;

    public OpenAiChatResource(ProviderGate gate, OpenAiRules rules, OpenAiCompletions completions, Ledger ledger,
                              Clock clock) {
        this.gate = gate;
        this.rules = rules;
        this.completions = completions;
        this.ledger = ledger;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        gate.openAi(authorization, "openai.chat");
        JsonNode request = ProviderResponses.parse("openai", contentType, body);
        Optional<Violation> violation = rules.check(request, false);
        if (violation.isPresent()) {
            return ProviderResponses.refusal("openai", violation.get());
        }
        RateLimits.Admission admission = gate.admit(true, request.path("model").asText(), body);
        // streaming is how the reply travels, not what it says: the same request gets the same completion either way
        ObjectNode unstreamed = ((ObjectNode) request).deepCopy();
        unstreamed.remove(java.util.List.of("stream", "stream_options"));
        ObjectNode completion = completions.complete(unstreamed);
        ledger.record(new Ledger.Entry("openai", "/v1/chat/completions", null, null, request.path("model").asText(),
                request, completion.get("usage"), clock.instant()));
        if (request.path("stream").asBoolean(false)) {
            return ProviderGate.withHeaders(Response.ok(StreamedReplies.openAi(completion,
                    request.path("stream_options").path("include_usage").asBoolean(false)), "text/event-stream"),
                    admission).build();
        }
        return ProviderGate.withHeaders(ProviderResponses.ok("openai", completion), admission).build();
    }
}
