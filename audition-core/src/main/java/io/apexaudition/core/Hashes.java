package io.apexaudition.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.RequestBodyStored;

/** Content hashes: the same content always hashes the same, whatever the key order it was written in. */
public final class Hashes {
    private Hashes() {
    }

    /** SHA-256 of the text's UTF-8 bytes in hex: the same function as the request bodies' claim checks. */
    public static String sha256(String text) {
        return RequestBodyStored.hashOf(text);
    }

    public static String ofCanonicalJson(Object value) {
        try {
            return sha256(EventJson.mapper().copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                    .configure(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
                    .writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
