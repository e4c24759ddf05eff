package io.apexaudition.poller.messaging;

import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.poller.PollerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** Produces the poller's transactional publisher (batch statuses and results). */
@ApplicationScoped
public class PublisherProducer {

    @Produces
    @ApplicationScoped
    TransactionalPublisher publisher(PollerConfig config) {
        return new TransactionalPublisher(config.bootstrapServers(), config.transactionalId(), config.kafkaMaxBlock());
    }

    void close(@Disposes TransactionalPublisher publisher) {
        publisher.close();
    }
}
