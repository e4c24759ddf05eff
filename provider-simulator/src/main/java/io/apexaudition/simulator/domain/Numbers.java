package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;

/** Renders numbers the way provider error messages quote them: 2, 0.7, 1.2 (no trailing zeros). */
final class Numbers {
    private Numbers() {
    }

    static String plain(JsonNode v) {
        return v.isNumber() ? plain(v.decimalValue()) : v.toString();
    }

    static String plain(double d) {
        return plain(BigDecimal.valueOf(d));
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }
}
