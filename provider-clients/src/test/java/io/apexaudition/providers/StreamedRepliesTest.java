package io.apexaudition.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamedRepliesTest {
    private static final String ANTHROPIC = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":120,"cache_read_input_tokens":100,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}

            event: ping
            data: {"type":"ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me "}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"think."}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"The tide "}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"turns."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":42}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private static final String OPENAI = """
            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"o3","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"o3","choices":[{"index":0,"delta":{"content":"The tide "},"finish_reason":null}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"o3","choices":[{"index":0,"delta":{"content":"turns."},"finish_reason":null}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"o3","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"o3","choices":[],"usage":{"prompt_tokens":120,"completion_tokens":42,"total_tokens":162,"completion_tokens_details":{"reasoning_tokens":30}}}

            data: [DONE]

            """;

    @Test
    void shouldStreamOnlyCallsWhoseOutputBudgetCouldOutlastTenMinutes() {
        ObjectNode shortCall = EventJson.mapper().createObjectNode().put("max_tokens", 6000);
        ObjectNode longCall = EventJson.mapper().createObjectNode().put("max_tokens", 38000);
        ObjectNode longReasoning = EventJson.mapper().createObjectNode().put("max_completion_tokens", 36000);

        assertThat(StreamedReplies.streamed(shortCall)).isFalse();
        assertThat(StreamedReplies.streamed(longCall)).isTrue();
        assertThat(StreamedReplies.streamed(longReasoning)).isTrue();
        assertThat(StreamedReplies.streaming(longReasoning, true).path("stream_options").path("include_usage")
                .asBoolean()).isTrue();
        assertThat(longReasoning.has("stream")).as("the body as the lane defines it is left alone").isFalse();
    }

    @Test
    void shouldRebuildAnAnthropicMessageWithThinkingTextStopReasonAndUsage() {
        JsonNode message = StreamedReplies.anthropicMessage(ANTHROPIC);

        GenerationOutcome outcome = ResultMapper.anthropicMessage(message);
        assertThat(outcome.status()).isEqualTo(GenerationStatus.COMPLETED);
        assertThat(outcome.text()).isEqualTo("The tide turns.");
        assertThat(outcome.finishReason()).isEqualTo("end_turn");
        assertThat(outcome.usage().inputTokens()).isPositive();
        assertThat(outcome.usage().outputTokens()).isEqualTo(42);
        assertThat(message.path("content").get(0).path("thinking").asText()).isEqualTo("Let me think.");
    }

    @Test
    void shouldRebuildAnOpenAiCompletionWithItsUsage() {
        GenerationOutcome outcome = ResultMapper.openAiCompletion(StreamedReplies.openAiCompletion(OPENAI));

        assertThat(outcome.status()).isEqualTo(GenerationStatus.COMPLETED);
        assertThat(outcome.text()).isEqualTo("The tide turns.");
        assertThat(outcome.finishReason()).isEqualTo("stop");
        assertThat(outcome.usage().outputTokens()).isEqualTo(42);
    }

    @Test
    void shouldRefuseAStreamThatStoppedBeforeItsEnd() {
        String cut = ANTHROPIC.substring(0, ANTHROPIC.indexOf("event: message_delta"));

        assertThatThrownBy(() -> StreamedReplies.anthropicMessage(cut))
                .isInstanceOf(StreamedReplies.BrokenStreamException.class);
        assertThatThrownBy(() -> StreamedReplies.openAiCompletion(OPENAI.replace("data: [DONE]", "")))
                .isInstanceOf(StreamedReplies.BrokenStreamException.class);
        assertThat(ResultMapper.brokenStream(new StreamedReplies.BrokenStreamException("cut", null)).errorKind()
                .retryable()).isTrue();
    }

    @Test
    void shouldEndAPaidCallWhoseReplyBrokeOffAsAnUnknownOutcomeAndARefusalAsTheProvidersError() {
        StreamedReplies.Replies anthropic = new StreamedReplies.Replies() {
            @Override
            public GenerationOutcome reply(JsonNode body) {
                return ResultMapper.anthropicMessage(body);
            }

            @Override
            public GenerationOutcome error(int status, JsonNode body) {
                return ResultMapper.anthropicError(status, body, java.util.List.of());
            }

            @Override
            public JsonNode assemble(String sse) {
                return StreamedReplies.anthropicMessage(sse);
            }
        };
        ProviderResponse brokenBody = new ProviderResponse(ProviderResponse.BROKEN_BODY, "cut", java.util.Optional.empty());
        ProviderResponse cutStream = new ProviderResponse(200, ANTHROPIC.substring(0, 400), java.util.Optional.empty());
        ProviderResponse whole = new ProviderResponse(200, ANTHROPIC, java.util.Optional.empty());

        assertThat(StreamedReplies.outcome(brokenBody, true, anthropic).errorKind())
                .isEqualTo(io.apexaudition.events.ErrorKind.UNKNOWN_OUTCOME);
        assertThat(StreamedReplies.outcome(cutStream, true, anthropic).errorKind())
                .isEqualTo(io.apexaudition.events.ErrorKind.UNKNOWN_OUTCOME);
        assertThat(StreamedReplies.outcome(whole, true, anthropic).text()).isEqualTo("The tide turns.");
    }

    @Test
    void shouldReportAnErrorEventInTheStreamAsTheProvidersError() {
        String overloaded = ANTHROPIC.substring(0, ANTHROPIC.indexOf("event: content_block_stop"))
                + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";

        assertThatThrownBy(() -> StreamedReplies.anthropicMessage(overloaded))
                .isInstanceOfSatisfying(StreamedReplies.BrokenStreamException.class,
                        e -> assertThat(e.error().path("error").path("type").asText()).isEqualTo("overloaded_error"));
    }
}
