package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** One line of {@code GET /_sim/batches}. */
public record BatchSummary(String provider, String id, String status, int requestCount, Instant createdAt) {
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("provider", provider);
        o.put("id", id);
        o.put("status", status);
        o.put("requestCount", requestCount);
        o.put("createdAt", createdAt.toString());
        return o;
    }
}
