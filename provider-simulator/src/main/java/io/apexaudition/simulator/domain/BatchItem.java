package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request of a batch as planned at submission: what the rules say of it and whether a fault will hit it.
 * Its text is generated only when the batch delivers it, so cache hits follow processing order.
 *
 * @param violation why the provider refuses it, or null
 * @param faulted   true when fault injection makes it a server-side error
 */
public record BatchItem(String customId, JsonNode body, String model, Violation violation, boolean faulted) {

    public boolean succeeds() {
        return violation == null && !faulted;
    }
}
