package io.apexaudition.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
