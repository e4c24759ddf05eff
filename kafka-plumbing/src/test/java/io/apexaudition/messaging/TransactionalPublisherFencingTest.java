package io.apexaudition.messaging;

import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.messaging.TransactionalPublisher.GroupPosition;
import io.apexaudition.messaging.TransactionalPublisher.Placed;
import io.apexaudition.testsupport.GroupMembers;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A transaction that carries a consumer group position commits only while its member still owns the partition. */
class TransactionalPublisherFencingTest {
    private static final TopicPartition PARTITION = new TopicPartition(Topics.BATCHES.name(), 0);

    @Test
    void shouldCommitNothingForAMemberWhoseGroupMovedOnAndEverythingForTheOwner() {
        String servers = KafkaInfra.bootstrapServers();
        String group = "fencing-" + UUID.randomUUID();
        String run = UUID.randomUUID().toString();
        try (TransactionalPublisher publisher = new TransactionalPublisher(servers, "fencing-test-" + run,
                Duration.ofSeconds(30))) {
            // given a member that had the partitions and then lost them to another (it left; the group moved on)
            GroupMembers.zombieAndOwner(servers, group, PARTITION, (zombie, current) -> {
                // when the old member commits its results with its position
                assertThatThrownBy(() -> publisher.publishOwned(position(zombie), List.of(tombstone(run)),
                        sink -> sink.accept(new Addressed(Topics.DEAD_LETTERS, parked("zombie-" + run))), null))
                        .isInstanceOf(TransactionalPublisher.PartitionsLostException.class)
                        .hasMessageContaining("generation is stale");
                // and the owner commits its own
                publisher.publishOwned(position(current), List.of(tombstone(run)),
                        sink -> sink.accept(new Addressed(Topics.DEAD_LETTERS, parked("owner-" + run))), null);
            });

            // then only the owner's transaction is visible, and the group's offset is the owner's
            try (KafkaTestClient reader = new KafkaTestClient(servers)) {
                assertThat(reader.readEvents(Topics.DEAD_LETTERS.name(), DeadLettered.class,
                        d -> d.reason().endsWith(run), 2, Duration.ofSeconds(5)))
                        .extracting(DeadLettered::reason).containsExactly("owner-" + run);
            }
        }
    }

    private static GroupPosition position(ConsumerGroupMetadata group) {
        return new GroupPosition(Map.of(PARTITION, new OffsetAndMetadata(0)), group);
    }

    private static Placed tombstone(String key) {
        return new Placed(Topics.OPEN_BATCHES, 0, key, null);
    }

    private static DeadLettered parked(String reason) {
        return new DeadLettered("dl-" + reason, DeadLettered.SCHEMA_VERSION, Instant.now(), "test", "apex.runs", 0, 0,
                "k", reason, "{}");
    }
}
