package io.apexaudition.simulator.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The faults a call may get, by their setting name. The {@code created-*} ones come after the work is done: the
 * batch is really created (listed, run, billed) and only its answer goes wrong; they apply to batch creates only.
 */
public enum Fault {
    NONE(null), RATE_LIMIT("rate-limit"), SERVER_ERROR("server-error"), TIMEOUT("timeout"), SLOW("slow"),
    CREATED_SERVER_ERROR("created-server-error"), CREATED_TIMEOUT("created-timeout");

    /** Every fault but {@link #NONE}, in the order a draw and the {@code next} counts consider them. */
    public static final List<Fault> KINDS = Arrays.stream(values()).filter(f -> f != NONE).toList();

    private final String key;

    Fault(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public boolean afterCreate() {
        return this == CREATED_SERVER_ERROR || this == CREATED_TIMEOUT;
    }

    public static Optional<Fault> byKey(String key) {
        return KINDS.stream().filter(f -> f.key.equals(key)).findFirst();
    }
}
