package io.apexaudition.simulator.domain;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.SplittableRandom;

/**
 * Consumes the fault rates in effect and produces, per call, which fault (if any) to inject. One seeded random
 * stream serves every decision so a repeated run with the same calls meets the same faults.
 */
@ApplicationScoped
public class FaultInjector {
    private final RuntimeSettings settings;
    private SplittableRandom random;
    private long seededWith;

    public FaultInjector(RuntimeSettings settings) {
        this.settings = settings;
        reset();
    }

    /** The fault this call gets: one of the {@code next} counts first, else a draw by the endpoint's rates. */
    public synchronized Fault roll(String endpoint) {
        Fault next = settings.takeNext(endpoint);
        if (next != Fault.NONE) {
            return next;
        }
        Settings.EndpointFaults f = settings.current().faults().at(endpoint);
        if (Fault.KINDS.stream().mapToDouble(f::share).sum() <= 0.0) {
            return Fault.NONE;
        }
        // One draw per call keeps the kinds disjoint, so each rate is the share of calls getting that kind.
        double u = random().nextDouble();
        for (Fault kind : Fault.KINDS) {
            if ((u -= f.share(kind)) < 0) {
                return kind;
            }
        }
        return Fault.NONE;
    }

    /** True with the given probability; false always at 0 and true always at 1. */
    public synchronized boolean chance(double rate) {
        if (rate <= 0.0) {
            return false;
        }
        if (rate >= 1.0) {
            return true;
        }
        return random().nextDouble() < rate;
    }

    public synchronized void reset() {
        seededWith = settings.current().seed();
        random = new SplittableRandom(seededWith);
    }

    private SplittableRandom random() {
        if (settings.current().seed() != seededWith) {
            reset();
        }
        return random;
    }
}
