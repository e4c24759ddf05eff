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
import java.util.function.Predicate;

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
        return newLife(publisher, provider, servers, groupKey -> true);
    }

    /**
     * A new life of one of several instances: it holds only the lane groups {@code owns} accepts (the others are
     * another instance's), and sees the rest only as every instance does, through {@code providerWide()}.
     */
    public static OwnedLaneStates newLife(TransactionalPublisher publisher, String provider, String servers,
                                          Predicate<String> owns) {
        OwnedLaneStates states = new OwnedLaneStates(publisher, provider, servers,
                Topics.DISPATCH_STATE_OPENAI, Topics.GENERATION_REQUESTS_OPENAI);
        takeOver(states, provider, servers, owns);
        return states;
    }

    /**
     * The lane groups {@code owns} accepts come to a life already running, with their entries as they are now (a
     * partition the consumer group moved to it from another instance).
     */
    public static void takeOver(OwnedLaneStates states, String provider, String servers, Predicate<String> owns) {
        Map<Integer, Map<String, LaneGroupState>> held = new HashMap<>();
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < Topics.DISPATCH_STATE_OPENAI.partitions(); p++) {
            partitions.add(new TopicPartition(Topics.DISPATCH_STATE_OPENAI.name(), p));
            held.put(p, new HashMap<>());
        }
        PartitionReader.readToEnd(servers, partitions, Duration.ofSeconds(60),
                (ConsumerRecord<String, byte[]> r) -> StateRecords.apply(r, held.get(r.partition()),
                        entry -> owns.test(entry.groupKey()) && entry.intents().stream()
                                .anyMatch(x -> provider.equals(x.intended().provider())) ? entry : null, () -> { }));
        held.forEach((partition, entries) -> states.owned(partition, 0, entries.values()));
    }

    /** What a new life would know, to look at (it commits nothing). */
    public static OwnedLaneStates read(String provider) {
        return newLife(null, provider);
    }
}
