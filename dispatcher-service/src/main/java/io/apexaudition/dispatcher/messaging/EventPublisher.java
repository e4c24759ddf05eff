package io.apexaudition.dispatcher.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes the dispatcher's events and waits for the broker's acknowledgement (acks=all, idempotent
 * producer), so an incoming record is only acknowledged once what it produced is durable.
 */
@ApplicationScoped
public class EventPublisher {
    private final MutinyEmitter<String> results;
    private final MutinyEmitter<String> deadLetters;

    public EventPublisher(@Channel("generation-results") MutinyEmitter<String> results,
                          @Channel("dead-letters") MutinyEmitter<String> deadLetters) {
        this.results = results;
        this.deadLetters = deadLetters;
    }

    public void result(ApexEvent event) {
        send(results, event);
    }

    public void deadLetter(ApexEvent event) {
        send(deadLetters, event);
    }

    private static void send(MutinyEmitter<String> emitter, ApexEvent event) {
        emitter.sendMessageAndAwait(Message.of(EventJson.write(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build()));
    }
}
