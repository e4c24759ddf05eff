package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.SplittableRandom;

/**
 * Consumes a chat completions body that passed {@link OpenAiRules}; produces the {@code chat.completion} object
 * with deterministic text ({@link Writer}: prose, or a judge's answer to a judge request) and plausible usage
 * (reasoning tokens, automatic prefix caching).
 */
@ApplicationScoped
public class OpenAiCompletions {
    private static final int CACHE_MINIMUM_TOKENS = 1024;
    private static final int CACHE_INCREMENT_TOKENS = 128;

    private final ModelCatalog catalog;
    private final PromptCache cache;
    private final Writer writer;
    private final Clock clock;

    public OpenAiCompletions(ModelCatalog catalog, PromptCache cache, Writer writer, Clock clock) {
        this.catalog = catalog;
        this.cache = cache;
        this.writer = writer;
        this.clock = clock;
    }

    public ObjectNode complete(JsonNode body) {
        String requestedModel = body.path("model").asText();
        SimulatedModel model = catalog.find("openai", requestedModel)
                .orElseThrow(() -> new IllegalArgumentException("Unchecked model " + requestedModel));
        SplittableRandom random = new SplittableRandom(Canonical.seed(body));

        JsonNode messages = body.path("messages");
        StringBuilder prefixKey = new StringBuilder();
        long promptChars = 0;
        long prefixChars = 0;
        StringBuilder context = new StringBuilder();
        String prompt = "";
        for (int i = 0; i < messages.size(); i++) {
            String text = PromptText.of(messages.get(i).get("content"));
            promptChars += text.length();
            switch (messages.get(i).path("role").asText()) {
                case "system", "developer" -> context.append(context.isEmpty() ? "" : "\n").append(text);
                case "user" -> prompt = text;
                default -> { }
            }
            // OpenAI caches automatically: every message before the last is the stable prefix a repeat reuses.
            if (i < messages.size() - 1) {
                prefixChars += text.length();
                prefixKey.append(messages.get(i).path("role").asText()).append('\u0000').append(text).append('\u0000');
            }
        }
        int promptTokens = Tokens.ofChars(promptChars);
        int cachedTokens = 0;
        int prefixTokens = Tokens.ofChars(prefixChars);
        if (prefixTokens >= CACHE_MINIMUM_TOKENS && cache.hit("openai", model.id(), prefixKey.toString())) {
            cachedTokens = prefixTokens / CACHE_INCREMENT_TOKENS * CACHE_INCREMENT_TOKENS;
        }

        int budget = budget(model, body);
        int reasoningTokens = 0;
        if (model.reasoning()) {
            reasoningTokens = Math.min(budget, reasoningTokens(body.path("reasoning_effort").asText("medium"), random));
        }
        Writer.Visible visible = writer.write(model.id(), context.toString(), prompt, random, budget - reasoningTokens);
        String text = visible.text();
        int visibleTokens = visible.tokens();
        String finishReason = visible.cut() ? "length" : "stop";

        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode completion = json.objectNode();
        completion.put("id", Ids.base62("chatcmpl-", 29));
        completion.put("object", "chat.completion");
        completion.put("created", clock.instant().getEpochSecond());
        completion.put("model", requestedModel);
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", text);
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        ObjectNode usage = completion.putObject("usage");
        int completionTokens = reasoningTokens + visibleTokens;
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoningTokens).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        completion.put("service_tier", "default");
        completion.putNull("system_fingerprint");
        return completion;
    }

    private static int budget(SimulatedModel model, JsonNode body) {
        JsonNode limit = body.get("max_completion_tokens");
        if ((limit == null || limit.isNull()) && !model.reasoning()) {
            limit = body.get("max_tokens");
        }
        return limit == null || limit.isNull() ? model.outputCap() : limit.asInt();
    }

    /** Reasoning grows with effort; these ranges follow what GPT-5 and o3 typically report. */
    private static int reasoningTokens(String effort, SplittableRandom random) {
        switch (effort) {
            case "minimal":
                return 64 + random.nextInt(193);
            case "low":
                return 512 + random.nextInt(1537);
            case "high":
                return 6144 + random.nextInt(10241);
            default:
                return 2048 + random.nextInt(4097);
        }
    }
}
