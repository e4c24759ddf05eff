package io.apexaudition.dispatcher.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneGroupRequested;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Consumes the bytes of an {@code apex.generation-requests.*} record (a lane group's {@code LaneGroupRequested}, or a
 * single {@code GenerationRequested} an older planner published); produces the parsed requests, or what is wrong
 * with the record. Decoding in the consumer's thread means a lane group waiting for its last requests holds parsed
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

    /**
     * The requests of a record (a lane group's part holds many, an older single request one), or the reason a record
     * is not one and the start of its payload.
     */
    public record DecodedRequest(List<GenerationRequested> requests, String problem, String echo) {
        public DecodedRequest {
            requests = requests == null ? List.of() : List.copyOf(requests);
        }

        /** The record's first request (all of a record's share its lane group and provider), or null if unreadable. */
        public GenerationRequested request() {
            return requests.isEmpty() ? null : requests.get(0);
        }
    }

    @Override
    public DecodedRequest deserialize(String topic, byte[] data) {
        try {
            ApexEvent event = readEvent(data);
            List<GenerationRequested> read;
            if (event instanceof LaneGroupRequested group) {
                read = group.requests();
            } else if (event instanceof GenerationRequested single) {
                read = List.of(single);
            } else {
                return new DecodedRequest(null, "a " + event.getClass().getSimpleName() + " on a request topic: "
                        + "expected LaneGroupRequested or GenerationRequested, which only the planner publishes",
                        EventJson.echo(data));
            }
            List<GenerationRequested> shared = new ArrayList<>(read.size());
            for (GenerationRequested r : read) {
                shared.add(sharingTexts(r));
            }
            return new DecodedRequest(shared, null, null);
        } catch (EventJson.UnreadableEventException e) {
            return new DecodedRequest(null, e.getMessage(), EventJson.echo(data));
        }
    }

    /**
     * The record as any event, or, when it reads as none, as a single request the way this topic was read before lane
     * groups (a request written without its {@code type} was one): what an older reader took, this one takes.
     */
    private static ApexEvent readEvent(byte[] data) {
        try {
            return EventJson.read(data, Set.of());
        } catch (EventJson.UnreadableEventException e) {
            try {
                return EventJson.read(data, GenerationRequested.class, Set.of());
            } catch (EventJson.UnreadableEventException alsoNot) {
                throw e;
            }
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
