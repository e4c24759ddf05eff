package io.apexaudition.poller.messaging;

import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.EventJson;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consumes {@code BatchSubmitted} from {@code apex.batches} and keeps the set of batches it must poll.
 * (Polling and result retrieval build on this set.)
 */
@ApplicationScoped
public class BatchTrackingProcessor {
    private static final Logger LOG = Logger.getLogger(BatchTrackingProcessor.class);

    private final Map<String, BatchSubmitted> openBatches = new ConcurrentHashMap<>();

    @Incoming("batches")
    @Blocking
    public void track(ConsumerRecord<String, String> record) {
        try {
            BatchSubmitted batch = EventJson.read(record.value(), BatchSubmitted.class);
            openBatches.put(batch.batchId(), batch);
            LOG.infof("Tracking %s batch %s of run %s (%d requests)", batch.provider(), batch.batchId(),
                    batch.runId(), batch.entries().size());
        } catch (EventJson.UnreadableEventException e) {
            LOG.warnf("Skipping unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    public Map<String, BatchSubmitted> openBatches() {
        return Map.copyOf(openBatches);
    }
}
