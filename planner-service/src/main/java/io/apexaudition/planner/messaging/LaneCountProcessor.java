package io.apexaudition.planner.messaging;

import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.Keys;
import io.apexaudition.planner.domain.RunTally.Final;
import io.apexaudition.planner.domain.RunTally.LaneCount;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import java.util.EnumSet;
import java.util.Set;

/**
 * Consumes {@code apex.generation-results} (keyed {@code runId/slug}) and produces, under the same key, the lane's
 * absolute {@link LaneCount}: every final generation of the lane once, with its latest attempt. Because a lane's
 * results share a key, and so a partition, each generation's last final state is kept in this task's own
 * {@value #FINALS_STORE} store and nothing is repartitioned per result; the lane counts then go through a cached
 * table, so the run's tally is updated once per lane per commit rather than once per result.
 */
class LaneCountProcessor implements FixedKeyProcessor<String, byte[], LaneCount> {
    private static final Logger LOG = Logger.getLogger(LaneCountProcessor.class);
    private static final Set<EventJson.Skip> WITHOUT_TEXT = EnumSet.of(EventJson.Skip.OUTPUT_TEXT);
    /** Generation id to its last final state ({@link Final#encode()}). */
    static final String FINALS_STORE = "lane-generation-finals";
    /** Record key ({@code runId/slug}) to the lane's count, as JSON. */
    static final String COUNTS_STORE = "lane-counts";

    private FixedKeyProcessorContext<String, LaneCount> context;
    private KeyValueStore<String, String> finals;
    private KeyValueStore<String, LaneCount> counts;

    @Override
    public void init(FixedKeyProcessorContext<String, LaneCount> context) {
        this.context = context;
        this.finals = context.getStateStore(FINALS_STORE);
        this.counts = context.getStateStore(COUNTS_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        GenerationCompleted c = finalResult(record.value());
        if (c == null || record.key() == null) {
            return; // not a final result (or unreadable: the recorder parks it); progress does not count it
        }
        if (!record.key().equals(Keys.lane(c.runId(), c.conditionSlug()))) {
            // the count of a key is one lane's, and a generation's last state is kept in the partition of its lane's
            // key: a result under another key would be counted into another lane, or twice
            LOG.warnf("A result of lane %s of run %s was published under the key '%s': progress does not count it. "
                    + "Results go under runId/slug (GenerationCompleted.key()); publish it again under that key",
                    c.conditionSlug(), c.runId(), record.key());
            return;
        }
        Final next = new Final(c.attempt(), c.status().name(), c.costUsd());
        String stored = finals.get(c.generationId());
        Final old = stored == null ? null : Final.decode(stored);
        if (!next.supersedes(old) || next.equals(old)) {
            return; // an earlier attempt arriving late, or a redelivery: the lane's count stands
        }
        finals.put(c.generationId(), next.encode());
        LaneCount count = counts.get(record.key());
        if (count == null) {
            count = LaneCount.empty(c.runId(), c.conditionSlug());
        }
        if (old != null) {
            count = count.with(old, -1);
        }
        count = count.with(next, 1);
        counts.put(record.key(), count);
        context.forward(record.withValue(count));
    }

    /** The result, read from its UTF-8 bytes without its output text (only its state is counted), if it is final. */
    private static GenerationCompleted finalResult(byte[] json) {
        try {
            return EventJson.read(json, WITHOUT_TEXT) instanceof GenerationCompleted c && c.status().isFinal() ? c
                    : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
