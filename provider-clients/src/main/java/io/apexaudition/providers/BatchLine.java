package io.apexaudition.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One request of a batch: its custom id and its body (the synchronous body; wrapped per provider). */
public record BatchLine(String customId, ObjectNode body) {
}
