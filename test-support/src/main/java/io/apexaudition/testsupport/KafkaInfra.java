package io.apexaudition.testsupport;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;

/**
 * A real Kafka broker for this JVM, chosen once: {@code KAFKA_BOOTSTRAP_SERVERS} when set; else a
 * Testcontainers broker when {@code APEX_TEST_CONTAINERS=true}; else Apache Kafka 4.1 in KRaft mode inside this
 * JVM (the default, also where a Docker engine runs: Testcontainers needs images it may not be able to pull).
 * Every topic of the registry is created before anyone uses it, and auto-creation is off.
 */
public final class KafkaInfra {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaInfra.class);
    private static String bootstrapServers;
    private static EmbeddedKafkaBroker embedded;
    private static AutoCloseable container;

    private KafkaInfra() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = start();
            TopicRegistrar.createAll(bootstrapServers);
        }
        return bootstrapServers;
    }

    /** A broker of one's own (with the registry's topics), closed with the handle. */
    public record Broker(String bootstrapServers, AutoCloseable handle) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            handle.close();
        }
    }

    /**
     * A fresh broker for a test that runs whole services, so that their consumer groups, Streams application
     * ids and topics start empty. With {@code KAFKA_BOOTSTRAP_SERVERS} set, that broker is shared instead.
     */
    public static Broker isolatedBroker() {
        String fromEnv = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Broker(bootstrapServers(), () -> { });
        }
        EmbeddedKafkaBroker broker = startEmbedded(0);
        String servers = broker.getAdvertisedListeners().replace("PLAINTEXT://", "");
        TopicRegistrar.createAll(servers);
        return new Broker(servers, broker::close);
    }

    /** Starts an in-JVM KRaft broker on the given port (0 for any free port); used by tests and tools. */
    public static EmbeddedKafkaBroker startEmbedded(int port) {
        int kafkaPort = port == 0 ? FreePorts.find() : port;
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withKafkaPort(kafkaPort)
                .withControllerPort(FreePorts.find())
                .withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(KafkaInfra::brokerDefaults);
        broker.start();
        return broker;
    }

    /** Settings the project relies on: no topic appears by accident; records up to the registry's limit. */
    static void brokerDefaults(Properties props) {
        props.put("auto.create.topics.enable", "false");
        props.put("message.max.bytes", Integer.toString(io.apexaudition.events.Topics.MAX_MESSAGE_BYTES));
        props.put("replica.fetch.max.bytes", Integer.toString(io.apexaudition.events.Topics.MAX_MESSAGE_BYTES));
        props.put("num.partitions", "1");
        props.put("transaction.state.log.num.partitions", "5");
    }

    private static String start() {
        String fromEnv = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (fromEnv != null && !fromEnv.isBlank()) {
            LOG.info("Kafka: using KAFKA_BOOTSTRAP_SERVERS={}", fromEnv);
            return fromEnv;
        }
        if (Docker.isChosen()) {
            var kafka = new org.testcontainers.kafka.KafkaContainer("apache/kafka:4.1.1")
                    .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
            kafka.start();
            container = kafka;
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop));
            LOG.info("Kafka: Testcontainers broker at {}", kafka.getBootstrapServers());
            return kafka.getBootstrapServers();
        }
        embedded = startEmbedded(0);
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
        LOG.info("Kafka: in-JVM KRaft broker at {}", embedded.getAdvertisedListeners());
        return embedded.getAdvertisedListeners().replace("PLAINTEXT://", "");
    }
}
