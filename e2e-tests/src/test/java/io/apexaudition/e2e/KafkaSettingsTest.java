package io.apexaudition.e2e;

import io.apexaudition.messaging.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka settings every service relies on, stated once in {@link KafkaSettings} and used by every producer the
 * code builds; every SmallRye incoming channel read_committed; the planner's Kafka Streams exactly_once_v2 with the
 * same producer settings.
 */
class KafkaSettingsTest {
    static final Path ROOT = Path.of(System.getProperty("apex.repo.root", ".."));
    /** Any key of a channel: Quarkus declares a channel by any of its keys, the connector found on the classpath. */
    static final Pattern CHANNEL = Pattern.compile("^(%[^.]+\\.)?mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\..+$");
    static final Pattern PRODUCER_SETTING = Pattern.compile(
            "ProducerConfig\\.(ACKS_CONFIG|ENABLE_IDEMPOTENCE_CONFIG|COMPRESSION_TYPE_CONFIG)");

    static Properties load(String module) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(ROOT.resolve(module).resolve("src/main/resources/application.properties"))) {
            p.load(r);
        }
        return p;
    }

    static List<Path> mainSources() throws IOException {
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            // test-support's producer writes test records (malformed ones too) and sits below kafka-plumbing
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))
                    && !m.getFileName().toString().equals("test-support")).toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
                }
            }
        }
        return sources;
    }

    @Test
    void shouldStateAcksIdempotenceAndLz4OnceForEveryProducer() {
        Map<String, Object> plain = KafkaSettings.producer("broker:9092");
        Map<String, Object> transactional = KafkaSettings.transactionalProducer("broker:9092", "apex-x");

        for (Map<String, Object> settings : List.of(plain, transactional)) {
            assertThat(settings).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                    .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                    .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        }
        assertThat(transactional).containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "apex-x");
        assertThat(KafkaSettings.consumer("broker:9092"))
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }

    @Test
    void shouldBuildEveryProducerInTheCodeFromTheSharedSettings() throws Exception {
        // given every main source file of every module
        List<String> producers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path source : mainSources()) {
            String text = Files.readString(source);
            String name = ROOT.relativize(source).toString();
            if (text.contains("new KafkaProducer<")) {
                producers.add(name);
                if (!text.contains("KafkaSettings.producer(") && !text.contains("KafkaSettings.transactionalProducer(")) {
                    problems.add(name + " builds a KafkaProducer without KafkaSettings.producer(...)");
                }
            }
            // a producer setting typed anywhere else would drift from the one statement of it
            if (!source.endsWith("KafkaSettings.java") && PRODUCER_SETTING.matcher(text).find()) {
                problems.add(name + " sets acks, idempotence or compression itself: take them from KafkaSettings");
            }
        }

        // then each producer takes acks, idempotence and lz4 from the one place that states them
        assertThat(producers).as("producers found by the scan").hasSizeGreaterThanOrEqualTo(5);
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReadCommittedOnEverySmallRyeIncomingChannelAndHaveNoOutgoingOne() throws Exception {
        int incoming = 0;
        List<String> outgoing = new ArrayList<>();
        for (String module : servicesWithProperties()) {
            Properties p = load(module);
            Set<String> channels = new TreeSet<>();
            Set<String> profiles = new TreeSet<>(Set.of(""));
            for (String key : p.stringPropertyNames()) {
                Matcher m = CHANNEL.matcher(key);
                if (m.matches()) {
                    // a channel declared for one profile only (%prod.mp.messaging...) is a channel all the same
                    channels.add(m.group(2) + "." + m.group(3));
                    profiles.add(m.group(1) == null ? "" : m.group(1));
                }
            }
            for (String channel : channels) {
                if (channel.startsWith("outgoing.")) {
                    // SmallRye's producer defaults (acks=1) would turn idempotence off: producers are built in code
                    outgoing.add(module + " mp.messaging." + channel);
                    continue;
                }
                incoming++;
                assertThat(p.getProperty("mp.messaging." + channel + ".isolation.level"))
                        .as(module + " mp.messaging." + channel).isEqualTo("read_committed");
                for (String profile : profiles) {
                    // nor may a profile turn it back to read_uncommitted
                    assertThat(p.getProperty(profile + "mp.messaging." + channel + ".isolation.level",
                            "read_committed")).as(module + " " + profile + "mp.messaging." + channel)
                            .isEqualTo("read_committed");
                }
            }
        }
        // the recorder's channel; the dispatchers and the poller run consumers of their own, built from
        // KafkaSettings.consumer (read_committed), which the scan above holds to the one statement of the settings
        assertThat(incoming).isGreaterThanOrEqualTo(1);
        assertThat(outgoing).as("SmallRye outgoing channels; build the producer from KafkaSettings instead").isEmpty();
    }

    @Test
    void shouldRunThePlannerExactlyOnceWithCommittedReadsAndTheSharedProducerSettings() throws Exception {
        Properties p = load("planner-service");
        Map<String, Object> shared = KafkaSettings.producer("x");

        assertThat(p.getProperty("kafka-streams.processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(p.getProperty("kafka-streams.consumer.isolation.level")).isEqualTo("read_committed");
        assertThat(p.getProperty("kafka-streams.producer.acks")).isEqualTo(shared.get(ProducerConfig.ACKS_CONFIG));
        assertThat(p.getProperty("kafka-streams.producer.compression.type"))
                .isEqualTo(shared.get(ProducerConfig.COMPRESSION_TYPE_CONFIG));
        assertThat(p.getProperty("kafka-streams.producer.enable.idempotence"))
                .isEqualTo(shared.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG).toString());
        // a planner record above the shared limit would be refused by every other client of the topics
        assertThat(p.getProperty("kafka-streams.producer.max.request.size"))
                .isEqualTo(shared.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG).toString());
    }

    /** Every module with an application.properties: a service added later is held to the same rules. */
    static List<String> servicesWithProperties() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT)) {
            List<String> found = modules.filter(m -> Files.isRegularFile(
                            m.resolve("src/main/resources/application.properties")))
                    .map(m -> m.getFileName().toString()).sorted().toList();
            assertThat(found).as("modules with an application.properties").contains("dispatcher-service",
                    "poller-service", "recorder-service", "planner-service", "viewer-service");
            return found;
        }
    }
}
