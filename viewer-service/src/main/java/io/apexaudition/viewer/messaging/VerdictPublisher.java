package io.apexaudition.viewer.messaging;

import io.apexaudition.events.EventJson;
import io.apexaudition.events.Topics;
import io.apexaudition.events.VerdictRecorded;
import io.apexaudition.viewer.VerdictConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import io.apexaudition.messaging.KafkaSettings;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes verdicts to {@link Topics#VERDICTS}, one synchronous send per verdict: the reader is told it is taken
 * only once every in-sync replica has it. An idempotent producer ({@code acks=all}), created on the first verdict,
 * so a viewer whose broker is down starts, reads and stays ready; a verdict then fails after
 * {@link VerdictConfig#sendTimeout()} with {@link KafkaUnavailableException}.
 */
@ApplicationScoped
public class VerdictPublisher {
    private static final Logger LOG = Logger.getLogger(VerdictPublisher.class);

    private final VerdictConfig config;
    private Producer<String, byte[]> producer;
    private volatile String lastFailure;

    public VerdictPublisher(VerdictConfig config) {
        this.config = config;
    }

    /** Sends the verdict and waits until the broker has it. */
    public RecordMetadata publish(VerdictRecorded verdict) {
        Duration timeout = config.sendTimeout();
        try {
            RecordMetadata sent = producer().send(new ProducerRecord<>(Topics.VERDICTS.name(), verdict.key(),
                    EventJson.writeBytes(verdict))).get(2 * timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            lastFailure = null;
            return sent;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(verdict, e);
        } catch (ExecutionException e) {
            throw unavailable(verdict, e.getCause());
        } catch (TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw unavailable(verdict, e);
        }
    }

    /** Why the last verdict could not be sent, or null when the last one was. */
    public String lastFailure() {
        return lastFailure;
    }

    private KafkaUnavailableException unavailable(VerdictRecorded verdict, Throwable cause) {
        String why = cause == null ? "no answer" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        lastFailure = why;
        LOG.warnf("Verdict %s of run %s not sent to %s (%s): check KAFKA_BOOTSTRAP_SERVERS (%s) and the broker",
                verdict.verdictId(), verdict.runId(), Topics.VERDICTS.name(), why, config.bootstrapServers());
        return new KafkaUnavailableException("Kafka did not take the verdict within " + config.sendTimeout().toSeconds()
                + " s (" + why + "): nothing is lost, cast it again once the broker is back (the same verdict counts "
                + "once). Whoever runs the viewer: check KAFKA_BOOTSTRAP_SERVERS and the broker", cause);
    }

    private synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            int timeout = (int) config.sendTimeout().toMillis();
            Map<String, Object> settings = KafkaSettings.producer(config.bootstrapServers());
            settings.put(ProducerConfig.CLIENT_ID_CONFIG, "apex-viewer-verdicts");
            // one verdict per send: nothing to batch, so nothing to wait for
            settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            // a verdict waits at most this long for metadata, and as long again for the acknowledgement
            settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
            settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
            settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
            settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producer = new KafkaProducer<>(settings);
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
