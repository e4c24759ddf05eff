package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.messaging.TransactionalPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** Produces the dispatcher's transactional publisher (intents, submissions, settlements, results, dead letters). */
@ApplicationScoped
public class PublisherProducer {

    @Produces
    @ApplicationScoped
    TransactionalPublisher publisher(DispatcherConfig config) {
        return new TransactionalPublisher(config.bootstrapServers(), config.transactionalId(), config.kafkaMaxBlock());
    }

    void close(@Disposes TransactionalPublisher publisher) {
        publisher.close();
    }
}
