package io.apexaudition.testsupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Consumer group members for fencing tests on a real broker: one that owned a partition and lost it to another
 * (it left, and the group moved on to a new generation), and the one that owns it now.
 */
public final class GroupMembers {
    private GroupMembers() {
    }

    /**
     * Runs {@code test} with the group metadata of a member that owned {@code partition} and lost it, and of the member
     * that owns it now (still in the group while {@code test} runs).
     */
    public static void zombieAndOwner(String servers, String group, TopicPartition partition,
                                      BiConsumer<ConsumerGroupMetadata, ConsumerGroupMetadata> test) {
        ConsumerGroupMetadata zombie;
        try (KafkaConsumer<String, String> first = member(servers, group)) {
            zombie = joined(first, partition);
        }
        try (KafkaConsumer<String, String> owner = member(servers, group)) {
            test.accept(zombie, joined(owner, partition));
        }
    }

    private static KafkaConsumer<String, String> member(String servers, String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
    }

    /** Subscribes and polls until the group assigned the member the partition; its metadata then. */
    private static ConsumerGroupMetadata joined(KafkaConsumer<String, String> member, TopicPartition partition) {
        member.subscribe(List.of(partition.topic()));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!member.assignment().contains(partition) && System.nanoTime() < deadline) {
            member.poll(Duration.ofMillis(200));
        }
        if (!member.assignment().contains(partition)) {
            throw new IllegalStateException("the group did not assign " + partition + " within 60 s");
        }
        return member.groupMetadata();
    }
}
