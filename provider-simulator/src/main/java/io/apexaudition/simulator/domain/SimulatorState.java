package io.apexaudition.simulator.domain;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Consumes reset requests and ledger/batch reads from the admin API; produces a clean simulator (no batches,
 * files, ledger, cache or authorship memory, faults and clock back to start-up) or a current view across both providers.
 */
@ApplicationScoped
public class SimulatorState {
    private static final Logger LOG = Logger.getLogger(SimulatorState.class);

    private final OpenAiBatches openAiBatches;
    private final AnthropicBatches anthropicBatches;
    private final FileStore files;
    private final Ledger ledger;
    private final PromptCache cache;
    private final Authorship authorship;
    private final RuntimeSettings settings;
    private final FaultInjector faults;
    private final SimulatorClock clock;

    public SimulatorState(OpenAiBatches openAiBatches, AnthropicBatches anthropicBatches, FileStore files,
                          Ledger ledger, PromptCache cache, Authorship authorship, RuntimeSettings settings,
                          FaultInjector faults, SimulatorClock clock) {
        this.openAiBatches = openAiBatches;
        this.anthropicBatches = anthropicBatches;
        this.files = files;
        this.ledger = ledger;
        this.cache = cache;
        this.authorship = authorship;
        this.settings = settings;
        this.faults = faults;
        this.clock = clock;
    }

    public void reset() {
        openAiBatches.clear();
        anthropicBatches.clear();
        files.clear();
        ledger.clear();
        cache.clear();
        authorship.clear();
        settings.reset();
        faults.reset();
        clock.reset();
        LOG.debug("Simulator state reset");
    }

    /** Batches deliver lazily, so bring every due batch up to date before showing what was billed. */
    public List<Ledger.Entry> ledger() {
        openAiBatches.deliverAllDue();
        anthropicBatches.deliverAllDue();
        return ledger.entries();
    }

    public List<BatchSummary> batches() {
        List<BatchSummary> all = new ArrayList<>(openAiBatches.summaries());
        all.addAll(anthropicBatches.summaries());
        all.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
        return all;
    }
}
