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
 * requests, not the records' bytes: a 100,000-request run buffers tens of thousands of requests per dispatcher,
 * and each record carries the 8.7 KB shared context, which parsed requests share (one instance per distinct
 * context). Never throws: an unreadable record becomes a {@link DecodedRequest} the processor parks.
 */
public class RequestDeserializer implements Deserializer<RequestDeserializer.DecodedRequest> {
    private static final int CONTEXTS_KEPT = 32;
    private static final Map<String, String> CONTEXTS = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CONTEXTS_KEPT;
        }
    };

    /** A request, or the reason a record is not one and the start of its payload. */
    public record DecodedRequest(GenerationRequested request, String problem, String echo) {
    }

    @Override
    public DecodedRequest deserialize(String topic, byte[] data) {
        try {
            return new DecodedRequest(sharingContext(EventJson.read(data, GenerationRequested.class, Set.of())),
                    null, null);
        } catch (EventJson.UnreadableEventException e) {
            return new DecodedRequest(null, e.getMessage(), EventJson.echo(data));
        }
    }

    static GenerationRequested sharingContext(GenerationRequested r) {
        if (r.sharedContext() == null) {
            return r;
        }
        String shared;
        synchronized (CONTEXTS) {
            shared = CONTEXTS.putIfAbsent(r.sharedContext(), r.sharedContext());
        }
        if (shared == null || shared == r.sharedContext()) {
            return r;
        }
        return r.withSharedContext(shared);
    }
}
