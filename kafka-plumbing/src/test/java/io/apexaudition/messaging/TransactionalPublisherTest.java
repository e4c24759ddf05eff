package io.apexaudition.messaging;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionalPublisherTest {

    @Test
    void shouldProduceWithAcksAllIdempotenceAndATransactionalId() {
        var config = TransactionalPublisher.producerConfig("broker:9092", "apex-dispatcher-openai-pod-1");

        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "apex-dispatcher-openai-pod-1");
    }

    @Test
    void shouldBatchSeveralEventsOfTenKilobytesPerRequest() {
        var config = TransactionalPublisher.producerConfig("broker:9092", "apex-poller-pod-1");

        assertThat((Integer) config.get(ProducerConfig.BATCH_SIZE_CONFIG)).isGreaterThanOrEqualTo(512 * 1024);
        assertThat((Integer) config.get(ProducerConfig.LINGER_MS_CONFIG)).isPositive();
    }
}
