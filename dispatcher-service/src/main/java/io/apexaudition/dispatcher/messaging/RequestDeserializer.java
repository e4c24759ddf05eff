package io.apexaudition.dispatcher.messaging;

import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Consumes the bytes of an {@code apex.generation-requests.*} record; produces the parsed request, or what is wrong
 * with it. Decoding in the consumer's thread means a lane group waiting for its last requests holds parsed
 * requests, not the records' bytes: a 100,000-request run buffers tens of thousands of requests per dispatcher. A
 * planner's request names its prompt by reference (its texts come from {@link PromptCatalog}, one instance each);
 * a request that carries its texts (a judge request) shares them here (one instance per distinct text among the
 * last few thousand seen). Never throws: an unreadable record becomes a {@link DecodedRequest} the processor parks.
 */
public class RequestDeserializer implements Deserializer<RequestDeserializer.DecodedRequest> {
    /** Enough for a prompt set of a few thousand prompts, whose lanes arrive one after another. */
    private static final int TEXTS_KEPT = 8_192;
    private static final Map<String, String> TEXTS = new LinkedHashMap<>(2 * TEXTS_KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > TEXTS_KEPT;
        }
    };

    /** A request, or the reason a record is not one and the start of its payload. */
    public record DecodedRequest(GenerationRequested request, String problem, String echo) {
    }

    @Override
    public DecodedRequest deserialize(String topic, byte[] data) {
        try {
            return new DecodedRequest(sharingTexts(EventJson.read(data, GenerationRequested.class, Set.of())),
                    null, null);
        } catch (EventJson.UnreadableEventException e) {
            return new DecodedRequest(null, e.getMessage(), EventJson.echo(data));
        }
    }

    static GenerationRequested sharingTexts(GenerationRequested r) {
        String prompt = shared(r.promptText());
        String context = shared(r.sharedContext());
        if (prompt == r.promptText() && context == r.sharedContext()) {
            return r;
        }
        return r.withTexts(prompt, context);
    }

    private static String shared(String text) {
        if (text == null) {
            return null;
        }
        synchronized (TEXTS) {
            String kept = TEXTS.putIfAbsent(text, text);
            return kept == null ? text : kept;
        }
    }
}
