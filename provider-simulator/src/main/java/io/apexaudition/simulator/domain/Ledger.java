package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumes every request the simulator bills (a synchronous 200, a batch request delivered as a success);
 * produces the list {@code GET /_sim/ledger} shows, so tests can check exactly what was paid for.
 */
@ApplicationScoped
public class Ledger {

    /** One billed request; {@code body} is the request as received, {@code usage} what was billed for it. */
    public record Entry(String provider, String endpoint, String batchId, String customId, String model,
                        JsonNode body, JsonNode usage, Instant time) {
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("provider", provider);
            o.put("endpoint", endpoint);
            o.put("batchId", batchId);
            o.put("customId", customId);
            o.put("model", model);
            o.set("body", body);
            o.set("usage", usage);
            o.put("time", time.toString());
            return o;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    public synchronized void record(Entry entry) {
        entries.add(entry);
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized void clear() {
        entries.clear();
    }
}
