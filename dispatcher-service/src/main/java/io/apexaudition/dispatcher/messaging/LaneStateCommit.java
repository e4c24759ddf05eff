package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.domain.LaneGroupState;
import io.apexaudition.dispatcher.domain.PartitionOffsets;
import io.apexaudition.events.TopicSpec;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.messaging.TransactionalPublisher.GroupPosition;
import io.apexaudition.messaging.TransactionalPublisher.Placed;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one transaction of bounded dispatcher state (architecture.md, "Dispatcher state"; not wired into the intake
 * yet): a lane group's events (an intent with its bodies, a submission, results with their settlements) together
 * with the group's state entry, in the partition number of its requests, the tombstones of the groups the new
 * offset passes, and that offset for the consumer group. Money rule: the offset is sent first, so a dispatcher
 * whose request partition went to another member (a rebalance, a lost session) has the whole transaction refused
 * ({@link TransactionalPublisher.PartitionsLostException}) and can commit no intent there, hence make no paid call
 * for it; the member that took the partition over restores only once this transaction is settled.
 */
public final class LaneStateCommit {
    private final TransactionalPublisher publisher;
    private final TopicSpec state;

    public LaneStateCommit(TransactionalPublisher publisher, String provider) {
        this.publisher = publisher;
        this.state = Topics.dispatchState(provider);
    }

    /**
     * Commits {@code events} with {@code entry} (the group's state after them) and the partition's committable offset,
     * fenced by {@code group}'s generation; the entries that offset passes are tombstoned and forgotten once it
     * committed.
     */
    public void commit(ConsumerGroupMetadata group, TopicPartition requests, PartitionOffsets offsets,
                       LaneGroupState entry, List<Addressed> events) {
        long committed = offsets.committable();
        List<String> passed = offsets.passedBy(committed);
        List<Placed> placed = new ArrayList<>();
        if (!passed.contains(entry.groupKey())) {
            placed.add(new Placed(state, requests.partition(), entry.groupKey(), entry.toBytes()));
        }
        passed.forEach(key -> placed.add(new Placed(state, requests.partition(), key, null)));
        publisher.publishOwned(new GroupPosition(Map.of(requests, new OffsetAndMetadata(committed)), group), placed,
                sink -> events.forEach(sink), null);
        offsets.letGo(committed);
    }
}
