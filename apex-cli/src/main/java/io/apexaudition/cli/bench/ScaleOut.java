package io.apexaudition.cli.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Second instances of running services of the local stack, for the bench's scale-out figure: each is a clone of the
 * running instance (its command line and environment, read from {@code /proc}), so it runs exactly as the stack
 * configured the first, with its own HTTP port and its own instance id (the transactional id, which is also its
 * static group membership). The clones leave their consumer groups when closed, so the first instances take their
 * partitions back at once.
 */
final class ScaleOut implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    /** A service of the stack that may run twice, and the variable that names an instance of it. */
    record Extra(String service, String instanceVariable, String health) {
    }

    /**
     * The services that may run twice. Only those whose instances own their share through a consumer group, fenced
     * when they lose it: the poller and both dispatchers (docs/architecture.md, "Poller state", "Dispatcher state";
     * the Anthropic one takes a batch in doubt, matched by count, only when no other open intent could own it).
     */
    static final List<Extra> SCALABLE = List.of(
            new Extra("poller", "APEX_POLLER_TRANSACTIONAL_ID", "/q/health/ready"),
            new Extra("dispatcher-openai", "APEX_DISPATCHER_TRANSACTIONAL_ID", "/q/health/ready"),
            new Extra("dispatcher-anthropic", "APEX_DISPATCHER_TRANSACTIONAL_ID", "/q/health/ready"));

    private final List<Process> started = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    /** Stops the clones when the bench itself is stopped (Ctrl-C) before close: none outlives the bench. */
    private final Thread onExit = new Thread(this::close, "scale-out-stop");

    private ScaleOut() {
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Starts a clone of each scalable service that runs (pid files under {@code pids}) and waits until it is ready. */
    static ScaleOut start(Path pids, Path logs, List<Extra> extras, Consumer<String> say) throws Exception {
        ScaleOut out = new ScaleOut();
        try {
            for (Extra extra : extras) {
                Path pidFile = pids.resolve(extra.service() + ".pid");
                if (!Files.exists(pidFile)) {
                    throw new IllegalStateException("no pid file for " + extra.service() + " in " + pids
                            + ": start the stack with ./apex up first");
                }
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                int port = freePort();
                String name = extra.service() + "-2";
                ProcessBuilder builder = cloneOf(pid, Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                        extra.instanceVariable(), "apex-bench-" + name));
                Path log = Files.createDirectories(logs).resolve(name + ".log");
                builder.redirectErrorStream(true).redirectOutput(log.toFile());
                out.started.add(builder.start());
                out.names.add(name);
                say.accept("started a second " + extra.service() + " (" + name + ", port " + port + ", log " + log + ")");
                awaitReady(out.started.get(out.started.size() - 1), name, port, extra.health(), log);
            }
            return out;
        } catch (Exception e) {
            out.close();
            throw e;
        }
    }

    /** The names of the clones running, e.g. {@code poller-2}. */
    List<String> names() {
        return List.copyOf(names);
    }

    /**
     * A process builder that starts the running process {@code pid} again (same command line, same environment and
     * nothing of the caller's), with {@code overrides} in its environment.
     */
    static ProcessBuilder cloneOf(long pid, Map<String, String> overrides) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        if (!Files.isDirectory(proc)) {
            throw new IllegalStateException("process " + pid + " (from the stack's pid file) is not running: start the "
                    + "stack again with ./apex up");
        }
        List<String> command = nulSeparated(Files.readAllBytes(proc.resolve("cmdline")));
        if (command.isEmpty()) {
            throw new IllegalStateException("process " + pid + " has no command line (a zombie?): restart the stack");
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(environment(Files.readAllBytes(proc.resolve("environ"))));
        env.putAll(overrides);
        return builder;
    }

    /** The NAME=value entries of a {@code /proc/PID/environ}, in order (a later duplicate wins, as for getenv). */
    static Map<String, String> environment(byte[] environ) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : nulSeparated(environ)) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    private static List<String> nulSeparated(byte[] bytes) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                parts.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            parts.add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
        }
        return parts;
    }

    private static void awaitReady(Process p, String name, int port, String health, Path log) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited with " + p.exitValue() + " before it was ready: see " + log);
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + health))
                        .timeout(Duration.ofSeconds(2)).build();
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + READY_TIMEOUT.toMinutes() + " min: see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops the clones (SIGTERM: a clean shutdown leaves the consumer group), forcibly after 30 s. */
    @Override
    public synchronized void close() {
        if (Thread.currentThread() != onExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs this anyway
            }
        }
        for (Process p : started) {
            p.destroy();
        }
        for (Process p : started) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        started.clear();
    }
}
