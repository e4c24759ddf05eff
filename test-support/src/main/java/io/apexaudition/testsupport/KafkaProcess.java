package io.apexaudition.testsupport;

import io.apexaudition.events.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * An Apache Kafka 4.1 broker (KRaft, broker and controller in one) as an OS process of its own, on fixed ports
 * and a data directory that outlive it: a test can SIGKILL it and start it again, as a broker restart in
 * production does, and clients find it at the same address with every committed record still there.
 */
public final class KafkaProcess implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Path log;
    private Process process;

    private KafkaProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.log = dir.resolve("kafka.log");
    }

    /** Formats a new data directory under {@code parent}, starts the broker and creates the registry's topics. */
    public static KafkaProcess start(Path parent) {
        try {
            Path dir = Files.createDirectories(parent).resolve("kafka-" + UUID.randomUUID().toString().substring(0, 8));
            Files.createDirectories(dir.resolve("data"));
            KafkaProcess kafka = new KafkaProcess(dir, FreePorts.find());
            kafka.writeConfig(FreePorts.find());
            kafka.format();
            kafka.launch();
            TopicRegistrar.createAll(kafka.bootstrapServers());
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare a Kafka data directory under " + parent, e);
        }
    }

    private void writeConfig(int controllerPort) throws IOException {
        Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=5",
                "group.initial.rebalance.delay.ms=0",
                "message.max.bytes=" + Topics.MAX_MESSAGE_BYTES,
                "replica.fetch.max.bytes=" + Topics.MAX_MESSAGE_BYTES, ""));
    }

    private void format() throws IOException {
        Process p = java("kafka.tools.StorageTool", "format", "-t", org.apache.kafka.common.Uuid.randomUuid().toString(),
                "-c", dir.resolve("server.properties").toString(), "--standalone").start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka storage failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    private void launch() throws IOException {
        process = java("kafka.Kafka", dir.resolve("server.properties").toString()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Processes.sleep(200);
            }
        }
        throw new IllegalStateException("Kafka did not listen on " + port + " within 90 s; see " + log);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL: the broker dies mid-whatever; its data stays. */
    public void kill() {
        Processes.kill(process);
    }

    /** Starts the broker again on the same ports and data. */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart Kafka", e);
        }
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(20));
    }

    /**
     * {@code java -cp <test-support's classpath> io.apexaudition.testsupport.KafkaProcess PARENT}: a scratch broker
     * with the registry's topics on free ports (apex bench's start-up against history uses one, so a running stack's
     * topics are never touched). Prints {@code bootstrap=HOST:PORT}, then runs until its standard input closes or it
     * is stopped, and takes the broker with it.
     */
    public static void main(String[] args) throws IOException {
        KafkaProcess kafka = start(Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")));
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        System.out.println("bootstrap=" + kafka.bootstrapServers());
        System.out.flush();
        // the launcher's parent holds the other end: its exit (or a close) ends the broker too
        while (System.in.read() >= 0) {
            // nothing to read: the stream only says the parent is still there
        }
        kafka.close();
    }
}
