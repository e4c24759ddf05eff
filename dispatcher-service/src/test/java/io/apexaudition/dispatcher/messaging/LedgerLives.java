package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.domain.LaneGroupState;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.PartitionReader;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.testsupport.KafkaInfra;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A dispatcher's ledger for tests that drive {@code LaneDispatcher} without a consumer group: each "life" restores the
 * entries a test's (fake) provider left in the state topic, as a restarted dispatcher owning every partition would.
 * Fake providers share openai's topics; their entries are told apart by the provider their intents name.
 */
public final class LedgerLives {
    private LedgerLives() {
    }

    /** A new life's ledger: commits through {@code publisher}, holding every entry of {@code provider}'s intents. */
    public static OwnedLaneStates newLife(TransactionalPublisher publisher, String provider) {
        return newLife(publisher, provider, KafkaInfra.bootstrapServers());
    }

    /** {@link #newLife(TransactionalPublisher, String)} on the broker at {@code servers}. */
    public static OwnedLaneStates newLife(TransactionalPublisher publisher, String provider, String servers) {
        OwnedLaneStates states = new OwnedLaneStates(publisher, provider, servers,
                Topics.DISPATCH_STATE_OPENAI, Topics.GENERATION_REQUESTS_OPENAI);
        Map<Integer, Map<String, LaneGroupState>> held = new HashMap<>();
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < Topics.DISPATCH_STATE_OPENAI.partitions(); p++) {
            partitions.add(new TopicPartition(Topics.DISPATCH_STATE_OPENAI.name(), p));
            held.put(p, new HashMap<>());
        }
        PartitionReader.readToEnd(servers, partitions, Duration.ofSeconds(60),
                (ConsumerRecord<String, byte[]> r) -> {
                    if (OwnedLaneStates.MIGRATED.equals(r.key())) {
                        return;
                    }
                    if (r.value() == null) {
                        held.get(r.partition()).remove(r.key());
                        return;
                    }
                    LaneGroupState entry = LaneGroupState.read(r.key(), r.value());
                    if (entry.intents().stream().anyMatch(x -> provider.equals(x.intended().provider()))) {
                        held.get(r.partition()).put(r.key(), entry);
                    }
                });
        held.forEach((partition, entries) -> states.owned(partition, 0, entries.values()));
        return states;
    }

    /** What a new life would know, to look at (it commits nothing). */
    public static OwnedLaneStates read(String provider) {
        return newLife(null, provider);
    }
}
