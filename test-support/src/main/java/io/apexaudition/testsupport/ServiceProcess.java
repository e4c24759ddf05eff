package io.apexaudition.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One service of the system running as its own OS process from its packaged Quarkus jar, as in production:
 * end-to-end tests start, kill (SIGKILL) and restart these.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final List<String> jvmOptions;
    private final Map<String, String> env;
    private final int port;
    private final Path log;
    private Process process;

    private ServiceProcess(String name, Path jar, List<String> jvmOptions, Map<String, String> env, int port, Path log) {
        this.name = name;
        this.jar = jar;
        this.jvmOptions = jvmOptions;
        this.env = env;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code java JVM-OPTIONS -jar JAR} on a free port with {@code env} added to this process's environment;
     * the caller gives the JVM options the local stack runs the service with (apex-cli's LocalStack).
     */
    public static ServiceProcess start(String name, Path jar, List<String> jvmOptions, Map<String, String> env,
                                       Path logDir) {
        ServiceProcess service = new ServiceProcess(name, jar, List.copyOf(jvmOptions), Map.copyOf(env),
                FreePorts.find(), logDir.resolve(name + ".log"));
        service.launch();
        return service;
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200. */
    public ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            if (healthStatus("ready") == 200) {
                return this;
            }
            Processes.sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
    }

    public int healthStatus(String kind) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/" + kind))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * What a failing test should show of this service: its last {@code max} WARN and ERROR lines, and, while it
     * lives, the stacks of its threads whose name contains one of {@code threadNames} (from {@code jcmd Thread.print}).
     */
    public String diagnostics(int max, String... threadNames) {
        StringBuilder out = new StringBuilder(name).append(" (").append(log).append("):\n");
        try (var lines = Files.lines(log)) {
            List<String> problems = lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                    .filter(l -> !l.contains("Not updating last stable offset")).toList();
            problems.subList(Math.max(0, problems.size() - max), problems.size())
                    .forEach(l -> out.append("  ").append(l, 0, Math.min(l.length(), 400)).append('\n'));
        } catch (IOException | UncheckedIOException e) {
            out.append("  (log unreadable: ").append(e.getMessage()).append(")\n");
        }
        if (threadNames.length > 0 && isAlive()) {
            Path dumpFile = null;
            try {
                // bounded: a JVM that does not answer the attach must not hold up the failing test's report
                dumpFile = Files.createTempFile("threads-" + name, ".txt");
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(process.pid()), "Thread.print").redirectErrorStream(true)
                        .redirectOutput(dumpFile.toFile()).start();
                if (!jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    jcmd.destroyForcibly();
                    out.append("  (no thread dump: jcmd did not answer within 30 s)\n");
                }
                String dump = Files.readString(dumpFile, StandardCharsets.UTF_8);
                for (String thread : dump.split("\n\n")) {
                    String header = thread.lines().findFirst().orElse("");
                    // an idle pool thread says nothing: only the ones at work are shown
                    if (header.startsWith("\"") && Arrays.stream(threadNames).anyMatch(header::contains)
                            && !thread.contains("ThreadPoolExecutor.getTask")) {
                        out.append(thread.lines().limit(30).map(l -> "  " + l + "\n")
                                .collect(Collectors.joining()));
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                out.append("  (no thread dump: ").append(e.getMessage()).append(")\n");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.append("  (no thread dump: interrupted)\n");
            } finally {
                deleteQuietly(dumpFile);
            }
        }
        return out.toString();
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left behind is all it costs: the report goes on
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() {
        Processes.kill(process);
    }

    public void restart() {
        if (isAlive()) {
            kill();
        }
        launch();
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(15));
    }
}
