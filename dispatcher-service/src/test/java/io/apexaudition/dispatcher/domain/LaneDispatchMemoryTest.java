package io.apexaudition.dispatcher.domain;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.core.RequestBodies;
import io.apexaudition.dispatcher.TestDispatcherConfig;
import io.apexaudition.dispatcher.messaging.LedgerLives;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.LongTextStored;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaSettings;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.providers.AnthropicClient;
import io.apexaudition.providers.AnthropicRestClient;
import io.apexaudition.providers.OpenAiClient;
import io.apexaudition.providers.OpenAiRestClient;
import io.apexaudition.providers.ProviderClient;
import io.apexaudition.providers.ProvidersConfig;
import io.apexaudition.providers.Retrier;
import io.apexaudition.testsupport.KafkaProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A lane group of thousands of requests (the bench's 2,000 prompts, and a 10,000-prompt lane) dispatched as batches
 * within the stack's dispatcher heap: the real provider clients (their REST interfaces answered in process, reading
 * what they are sent: the OpenAI file from its spool, the Anthropic create copied as the REST client does), a real broker in a process of its own (its heap is not this JVM's) and the dispatcher's own
 * publisher and ledger. Surefire runs this class alone in a JVM of {@code -Xmx128m -XX:+UseSerialGC}, the stack's
 * (execution {@code dispatch-memory} of this module's pom); in a JVM with more heap it is skipped, as it would prove
 * nothing there (unless {@code apex.dispatchMemory.measure} is set: docs/benchmarks.md).
 */
class LaneDispatchMemoryTest {
    /** The stack's dispatcher heap (apex-cli's local-stack.properties). */
    private static final long STACK_HEAP = 128L * 1024 * 1024;
    private static final String CONTEXT = houseStyle();

    @TempDir
    static Path dir;
    private static KafkaProcess kafka;
    /** This test's dispatcher's publisher and ledger: one dispatcher in the JVM at a time, as in a service. */
    private static final List<AutoCloseable> closing = new java.util.ArrayList<>();
    private static TransactionalPublisher publisher;

    @BeforeAll
    static void startKafka() {
        // -Dapex.dispatchMemory.measure=true runs it in a larger heap too, to measure what a dispatch takes
        assumeTrue(Runtime.getRuntime().maxMemory() <= STACK_HEAP + 8 * 1024 * 1024
                        || Boolean.getBoolean("apex.dispatchMemory.measure"),
                "runs only in a JVM of the stack's heap (surefire execution dispatch-memory)");
        kafka = KafkaProcess.start(dir);
    }

    @AfterEach
    void closeDispatcher() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        closing.clear();
    }

    @AfterAll
    static void stopKafka() throws IOException {
        if (Boolean.getBoolean("apex.heapHistogram")) {
            // the JVM's peak resident memory (Linux): the figure issue 18's 256 MB target is about
            System.out.println("peak RSS: " + Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM unknown"));
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldDispatchATwoThousandRequestOpenAiLaneWithinTheStacksHeap() {
        // given a lane of 2,000 requests, each with the 8.7 KB house style, and an OpenAI that reads its upload
        Wire wire = new Wire();
        String runId = "run-mem-openai-" + UUID.randomUUID();

        // when the lane is dispatched as a batch
        dispatcher("openai", openAi(wire)).dispatch(LaneDispatcherReconciliationTest.group(lane(runId, "openai", 2_000)));

        // then one batch went out with every request, each line the body its entry names, and every body is stored
        assertSentAsOneBatchAndStored(runId, wire, 2_000);
    }

    @Test
    void shouldDispatchATwoThousandRequestAnthropicLaneWithinTheStacksHeap() {
        // given a lane of 2,000 Anthropic requests with the cached house style, and an Anthropic that reads its create
        Wire wire = new Wire();
        String runId = "run-mem-anthropic-" + UUID.randomUUID();

        // when the lane is dispatched as a batch
        dispatcher("anthropic", anthropic(wire))
                .dispatch(LaneDispatcherReconciliationTest.group(lane(runId, "anthropic", 2_000)));

        // then one batch went out with every request, each the body its entry names, and every body is stored
        assertSentAsOneBatchAndStored(runId, wire, 2_000);
    }

    private static void assertSentAsOneBatchAndStored(String runId, Wire wire, int requests) {
        BatchSubmitted submitted = submitted(runId);
        assertThat(submitted.entries()).hasSize(requests);
        assertThat(wire.hashOfCustomId).hasSize(requests);
        submitted.entries().forEach(e -> assertThat(wire.hashOfCustomId.get(e.customId())).isEqualTo(e.requestBodyHash()));
        assertThat(storedBodies(hashes(submitted))).isEqualTo(requests);
    }

    @Test
    void shouldDispatchATenThousandRequestLaneWithinTheStacksHeap() {
        // given a lane of 10,000 OpenAI requests
        Wire wire = new Wire();
        String runId = "run-mem-large-" + UUID.randomUUID();

        // when it is dispatched
        dispatcher("openai", openAi(wire)).dispatch(LaneDispatcherReconciliationTest.group(lane(runId, "openai", 10_000)));

        // then every request went out once, named by the hash of the body sent, and every body is stored
        List<BatchSubmitted> batches = submittedAll(runId, 10_000);
        Set<String> hashes = new HashSet<>();
        long entries = 0;
        for (BatchSubmitted b : batches) {
            for (BatchEntry e : b.entries()) {
                assertThat(wire.hashOfCustomId.get(e.customId())).isEqualTo(e.requestBodyHash());
                hashes.add(e.requestBodyHash());
                entries++;
            }
        }
        assertThat(entries).isEqualTo(10_000);
        assertThat(wire.hashOfCustomId).hasSize(10_000);
        assertThat(storedBodies(hashes)).isEqualTo(10_000);
    }

    /** What the provider was sent: the SHA-256 of each line's body, by custom id. */
    private static final class Wire {
        final Map<String, String> hashOfCustomId = new java.util.concurrent.ConcurrentHashMap<>();
    }

    /** Reads an OpenAI batch file line by line, hashing each body's bytes as sent. */
    private static void readOpenAiFile(byte[] file, Wire wire) {
        int start = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n') {
                String line = new String(file, start, i - start, StandardCharsets.UTF_8);
                JsonNode json = read(line);
                int body = line.indexOf("\"body\":") + "\"body\":".length();
                wire.hashOfCustomId.put(json.path("custom_id").asText(),
                        RequestBodyStored.hashOf(line.substring(body, line.length() - 1)));
                start = i + 1;
            }
        }
    }

    /** Reads an Anthropic batch create one request at a time, hashing each params as the dispatcher writes a body. */
    private static void readAnthropicCreate(byte[] create, Wire wire) {
        try (JsonParser p = EventJson.mapper().getFactory().createParser(create)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.START_ARRAY && "requests".equals(p.currentName())) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        JsonNode request = EventJson.mapper().readTree(p);
                        wire.hashOfCustomId.put(request.path("custom_id").asText(),
                                RequestBodyStored.hashOf(RequestBodies.json((com.fasterxml.jackson.databind.node.ObjectNode)
                                        request.path("params"))));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return EventJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** With -Dapex.heapHistogram=true, the heap's largest classes as the provider is sent a batch (the figures). */
    private static void histogram() {
        if (!Boolean.getBoolean("apex.heapHistogram")) {
            return;
        }
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {null}, new String[] {String[].class.getName()});
            System.out.println("heap at the batch create (producer's pool: " + pooledBytes() + " bytes):\n"
                    + String.join("\n", text.toString().lines().limit(8).toList()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bytes the publisher's producer keeps in its pool of free batch buffers (Kafka internals: figures only). */
    private static long pooledBytes() throws ReflectiveOperationException {
        Object producer = field(publisher, "producer");
        Object pool = field(field(producer, "accumulator"), "free");
        return ((java.util.Deque<?>) field(pool, "free")).size() * (long) (int) field(pool, "poolableSize");
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            try {
                java.lang.reflect.Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(owner);
            } catch (NoSuchFieldException next) {
                // declared higher up
            }
        }
        throw new NoSuchFieldException(name);
    }

    private static OpenAiClient openAi(Wire wire) {
        OpenAiRestClient api = (OpenAiRestClient) Proxy.newProxyInstance(OpenAiRestClient.class.getClassLoader(),
                new Class<?>[] {OpenAiRestClient.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "uploadFile" -> {
                        // the REST client streams the spooled file; this reads it whole, a copy production no
                        // longer holds, to check it
                        byte[] sent = java.nio.file.Files.readAllBytes(((java.io.File) args[2]).toPath());
                        histogram();
                        readOpenAiFile(sent, wire);
                        yield Response.ok("{\"id\":\"file-" + UUID.randomUUID() + "\"}").build();
                    }
                    case "createBatch" -> Response.ok("{\"id\":\"batch-" + UUID.randomUUID() + "\"}").build();
                    case "listBatches" -> Response.ok("{\"data\":[],\"has_more\":false}").build();
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return new OpenAiClient(api, retrier(), config());
    }

    private static AnthropicClient anthropic(Wire wire) {
        AnthropicRestClient api = (AnthropicRestClient) Proxy.newProxyInstance(
                AnthropicRestClient.class.getClassLoader(), new Class<?>[] {AnthropicRestClient.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "createBatch" -> {
                        // the REST client streams the spooled create; this reads it whole, a copy production no
                        // longer holds, to check it
                        byte[] sent = ((java.io.InputStream) args[2]).readAllBytes();
                        histogram();
                        readAnthropicCreate(sent, wire);
                        yield Response.ok("{\"id\":\"msgbatch-" + UUID.randomUUID() + "\"}").build();
                    }
                    case "listBatches" -> Response.ok("{\"data\":[],\"has_more\":false}").build();
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return new AnthropicClient(api, retrier(), config());
    }

    private static Retrier retrier() {
        return new Retrier(config(), new SimpleMeterRegistry());
    }

    private static ProvidersConfig config() {
        return new ProvidersConfig() {
            @Override
            public Provider openai() {
                return () -> Optional.of("sk-test");
            }

            @Override
            public Provider anthropic() {
                return () -> Optional.of("sk-ant-test");
            }

            @Override
            public Retry retry() {
                return new Retry() {
                    @Override
                    public int maxAttempts() {
                        return 1;
                    }

                    @Override
                    public Duration baseDelay() {
                        return Duration.ofMillis(1);
                    }

                    @Override
                    public Duration maxDelay() {
                        return Duration.ofMillis(1);
                    }
                };
            }
        };
    }

    private static LaneDispatcher dispatcher(String provider, ProviderClient client) {
        TestDispatcherConfig config = new TestDispatcherConfig(provider, kafka.bootstrapServers(),
                "test-dispatcher-memory-" + provider, Duration.ofSeconds(2), Duration.ofMinutes(1), 5);
        publisher = new TransactionalPublisher(config.bootstrapServers(), config.transactionalId(),
                Duration.ofSeconds(30));
        closing.add(publisher);
        return new LaneDispatcher(client, LedgerLives.newLife(publisher, config.provider(),
                config.bootstrapServers()), config);
    }

    /** A lane as the planner emits it and the consumer decodes it: every request shares one context instance. */
    private static List<GenerationRequested> lane(String runId, String provider, int size) {
        boolean anthropic = provider.equals("anthropic");
        String slug = anthropic ? "sonnet.t08" : "4o.t08";
        return IntStream.rangeClosed(1, size).mapToObj(n -> {
            String promptId = String.format("bench-p%05d", n);
            String id = EventIds.generationId(runId, slug, promptId, 1);
            String text = "Write a sonnet about the night ferry (bench prompt " + n + "). Let one concrete object "
                    + "carry the feeling and return, changed in meaning, at the end. Use no abstract nouns for "
                    + "emotion; keep the diction plain and the images exact. Length: what the form asks, plus a title.";
            return new GenerationRequested("e-" + id, 1, Instant.now(), runId, id, 1, "cond-" + slug, slug, provider,
                    anthropic ? "claude-sonnet-4.5" : "gpt-4o", anthropic ? "claude-sonnet-4-5" : "gpt-4o",
                    new LaneParameters(0.8, 6000, null, null, null), promptId, 1, text, CONTEXT, 1, RunMode.BATCH,
                    false, false, true, size);
        }).toList();
    }

    private static BatchSubmitted submitted(String runId) {
        List<BatchSubmitted> all = submittedAll(runId, 1);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** The submissions of a run, read until they hold {@code entries} entries. */
    private static List<BatchSubmitted> submittedAll(String runId, int entries) {
        List<BatchSubmitted> found = new java.util.ArrayList<>();
        read(Topics.BATCHES.name(), record -> {
            if (EventJson.read(new String(record.value(), StandardCharsets.UTF_8)) instanceof BatchSubmitted b
                    && b.runId().equals(runId)) {
                found.add(b);
            }
            return found.stream().mapToInt(b -> b.entries().size()).sum() >= entries;
        });
        return found;
    }

    private static Set<String> hashes(BatchSubmitted submitted) {
        Set<String> hashes = new HashSet<>();
        submitted.entries().forEach(e -> hashes.add(e.requestBodyHash()));
        return hashes;
    }

    /** How many of these bodies apex.request-bodies holds, each under the hash of its own bytes (one at a time). */
    private static int storedBodies(Set<String> hashes) {
        Set<String> stored = new HashSet<>();
        Map<String, String> texts = new HashMap<>();
        List<RequestBodyStored> waiting = new java.util.ArrayList<>();
        read(Topics.REQUEST_BODIES.name(), record -> {
            ApexEvent event = EventJson.read(new String(record.value(), StandardCharsets.UTF_8));
            if (event instanceof LongTextStored text) {
                texts.put(text.textHash(), text.escapedText());
            } else if (hashes.contains(record.key())) {
                waiting.add((RequestBodyStored) event);
            }
            // a body whose long text is cut out is checked once the text is read (the two share a transaction)
            waiting.removeIf(body -> {
                if (body.isCut() && !texts.containsKey(body.textHash())) {
                    return false;
                }
                if (RequestBodyStored.hashOf(body.restored(texts.get(body.textHash()))).equals(body.bodyHash())) {
                    stored.add(body.bodyHash());
                }
                return true;
            });
            return stored.size() >= hashes.size();
        });
        return stored.size();
    }

    /** Reads a topic from its start, one record at a time, until {@code done} says so or 60 s pass. */
    private static void read(String topic, java.util.function.Predicate<ConsumerRecord<String, byte[]>> done) {
        Map<String, Object> settings = new HashMap<>(KafkaSettings.consumer(kafka.bootstrapServers()));
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "memory-test-" + UUID.randomUUID());
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (done.test(r)) {
                        return;
                    }
                }
            }
        }
    }

    private static String houseStyle() {
        try {
            return Files.readString(Path.of("..", "config", "prompts", "shared", "house-style.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
