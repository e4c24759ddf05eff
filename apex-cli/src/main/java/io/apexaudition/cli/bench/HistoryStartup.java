package io.apexaudition.cli.bench;

import io.apexaudition.cli.LocalStack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Issue 18's start-up figure: a dispatcher (openai) and a poller started as their own processes, with the JVM
 * options and environment {@code ./apex up} gives them (the local stack's definition, {@link LocalStack}), against empty topics and then against topics holding a generated history
 * ({@link HistoryGenerator}); per service the time from process start until it can work (its
 * {@code /q/health/ready} UP <em>and</em> its topic tail caught up with what the topics held at start: readiness
 * does not wait for the tail, but the dispatcher waits for it before dispatching and the poller before polling)
 * and its peak resident memory (VmHWM). Everything runs on a scratch broker of its own on free ports (test-support's
 * {@code KafkaProcess}), so a running stack's topics are never touched; the services' provider URLs point at a port
 * nothing listens on, so no call can leave the machine, let alone a paid one.
 */
final class HistoryStartup {
    /** Issue 18: ready in at most 10 s against 1,000,000 historical generations. */
    static final double TARGET_SECONDS = 10;
    /** "The same memory as against empty topics": at most this much above the empty figure. */
    static final double RSS_TOLERANCE = 0.10;
    /** The profiled start's heap (its RSS is not a figure): the services' 128 MB does not hold the history. */
    private static final String PROFILE_HEAP = "1g";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /**
     * A service as ./apex starts it (the local stack's definition), the line it logs once its state is read, and
     * whether its first start against a history written without it migrates that history once (the poller: its open
     * batches go to apex.open-batches, and every later start reads only those).
     */
    record Service(LocalStack.Service definition, String caughtUpLine, boolean migratesOnce) {
        String name() {
            return definition.name();
        }
    }

    static final List<Service> SERVICES = List.of(
            new Service(LocalStack.load().service("dispatcher-openai"), "dispatch-state has read its partitions", false),
            new Service(LocalStack.load().service("poller"), "open-batches has read", true));

    /**
     * One start: seconds from process start to readiness, to caught up, and peak RSS in MB; or, when it never got
     * there, what stopped it ({@code failure}) with the seconds until then in {@code caughtUpSeconds}.
     */
    record Start(double readySeconds, double caughtUpSeconds, double peakRssMb, String failure) {
        double workingSeconds() {
            return Math.max(readySeconds, caughtUpSeconds);
        }
    }

    private final Path root;
    private final Path work;
    private final Path logs;
    private final HistoryGenerator.Shape shape;
    private final String sharedContext;
    private final Path profileDir;
    private final Consumer<String> say;

    /** {@code work} holds the scratch broker and goes at the end; the services' logs stay in {@code logs}. */
    HistoryStartup(Path root, Path work, Path logs, HistoryGenerator.Shape shape, String sharedContext,
                   Path profileDir, Consumer<String> say) {
        this.root = root;
        this.work = work;
        this.logs = logs;
        this.shape = shape;
        this.sharedContext = sharedContext;
        this.profileDir = profileDir;
        this.say = say;
    }

    void run(BenchReport report) throws Exception {
        Files.createDirectories(work);
        try (ScratchBroker broker = ScratchBroker.start(root, work)) {
            say.accept("scratch broker on " + broker.servers + " (data under " + work + ")");
            // twice each: the first start of a jar also pays for reading it from disk, which the later starts do not
            for (int round = 0; round < 2; round++) {
                for (Service s : SERVICES) {
                    // a group of their own for the empty starts: the history is written after them, behind the
                    // group's committed offsets, which a running poller would have copied as it came
                    Start empty = start(s, broker.servers, s.migratesOnce
                            ? List.of("-Dapex.poller.group-id=bench-empty-topics") : List.of(), false);
                    say.accept(describe(s, "empty topics", empty));
                    report.add("history.empty.s." + s.name(), "start-up, empty topics, " + s.name()
                            + " (to ready and caught up)", "s", empty.workingSeconds());
                    report.add("history.empty.rss." + s.name(), "peak RSS, empty topics, " + s.name(), "MB",
                            empty.peakRssMb);
                }
            }
            HistoryGenerator.Summary h = new HistoryGenerator(shape, sharedContext, say).write(broker.servers);
            String what = String.format(Locale.ROOT, "%,d generations in %d runs, %,d lanes of %,d, %,d batches, "
                            + "%,d synchronous intents, %,d records, %.0f MB uncompressed%s", h.generations(), h.runs(),
                    h.lanes(), shape.laneRequests(), h.batches(), h.syncIntents(), h.records(), h.bytes() / 1e6,
                    shape.bodies() ? " (BatchSubmitted entries naming their bodies by hash)" : " (no body hashes)");
            say.accept(String.format(Locale.ROOT, "history written in %.1f s: %s; %.0f MB in the broker's segments",
                    h.millis() / 1000.0, what, sizeOf(work) / 1e6));
            report.fact("history", what);
            report.add("history.write", "history generated onto the scratch broker", "generations/s",
                    BenchReport.perSecond(h.generations(), h.millis()));
            String n = String.format(Locale.ROOT, "%,d", h.generations());
            List<String> failures = new ArrayList<>();
            for (Service s : SERVICES) {
                if (s.migratesOnce) {
                    // the history was written by the generator, not by a running poller: the first start migrates
                    // it (once for the life of the stack); the start measured against the target is the next one
                    Start migration = start(s, broker.servers, List.of(), false);
                    say.accept(describe(s, n + " historical generations, first start (migrates them once)",
                            migration));
                    report.add("history.migration.s." + s.name(), "first start-up after the upgrade, " + n
                            + " historical generations, " + s.name() + " (migrates them once)", "s",
                            migration.workingSeconds());
                }
                Start full = start(s, broker.servers, List.of(), false);
                say.accept(describe(s, n + " historical generations", full));
                if (full.failure != null) {
                    failures.add(s.name() + " against " + n + " historical generations: " + full.failure);
                    report.fact("history start-up of " + s.name(), full.failure);
                } else {
                    String key = "history.s." + s.name();
                    report.add(key, "start-up, " + n + " historical generations, " + s.name()
                            + " (to ready and caught up)", "s", full.workingSeconds());
                    report.limit(key, "history.empty.s." + s.name());
                    report.target(key, BenchReport.Goal.AT_MOST, TARGET_SECONDS);
                    report.add("history.health." + s.name(), "... of which to /q/health/ready UP (it does not wait "
                            + "for the history), " + s.name(), "s", full.readySeconds);
                }
                String rss = "history.rss." + s.name();
                report.add(rss, "peak RSS, " + n + " historical generations, " + s.name()
                        + (full.failure == null ? "" : " (until it failed)"), "MB", full.peakRssMb);
                report.limit(rss, "history.empty.rss." + s.name());
                double emptyRss = report.median("history.empty.rss." + s.name());
                report.target(rss, BenchReport.Goal.AT_MOST, emptyRss * (1 + RSS_TOLERANCE));
                say.accept(verdict(s, full, emptyRss, report.median("history.empty.s." + s.name())));
                if (profileDir != null) {
                    profile(s, broker.servers);
                }
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException(String.join("; ", failures));
            }
        } finally {
            deleteTree(work);
        }
    }

    static String verdict(Service s, Start full, double emptyRssMb, double emptySeconds) {
        double limit = emptyRssMb * (1 + RSS_TOLERANCE);
        String time = full.failure != null ? "never ready to work (" + full.failure + "), target <= "
                + String.format(Locale.ROOT, "%.0f s MISSED outright", TARGET_SECONDS)
                : full.workingSeconds() <= TARGET_SECONDS
                ? String.format(Locale.ROOT, "%.1f s, target <= %.0f s met", full.workingSeconds(), TARGET_SECONDS)
                : String.format(Locale.ROOT, "%.1f s, target <= %.0f s MISSED by %.1f s (%.1fx the target, %.1fx "
                        + "the empty start)", full.workingSeconds(), TARGET_SECONDS,
                full.workingSeconds() - TARGET_SECONDS, full.workingSeconds() / TARGET_SECONDS,
                full.workingSeconds() / emptySeconds);
        String memory = full.peakRssMb <= limit
                ? String.format(Locale.ROOT, "%.0f MB, within %.0f%% of empty (%.0f MB): met", full.peakRssMb,
                100 * RSS_TOLERANCE, emptyRssMb)
                : String.format(Locale.ROOT, "%.0f MB, target <= %.0f MB (empty %.0f MB + %.0f%%) MISSED by %.0f MB "
                        + "(%.2fx empty)", full.peakRssMb, limit, emptyRssMb, 100 * RSS_TOLERANCE,
                full.peakRssMb - limit, full.peakRssMb / emptyRssMb);
        return s.name() + " against history: " + time + "; " + memory;
    }

    private static String describe(Service s, String against, Start start) {
        if (start.failure != null) {
            return String.format(Locale.ROOT, "%s against %s: NEVER READY TO WORK: %s (after %.1f s; peak RSS %.0f MB)",
                    s.name(), against, start.failure, start.caughtUpSeconds, start.peakRssMb);
        }
        return String.format(Locale.ROOT, "%s against %s: /q/health/ready UP after %.1f s, history read after %.1f s, "
                + "peak RSS %.0f MB", s.name(), against, start.readySeconds, start.caughtUpSeconds, start.peakRssMb);
    }

    /**
     * A third start against the history under Java Flight Recorder (CPU samples, allocations), with a class
     * histogram of the heap once caught up: what dominates the start-up's time and memory. Not measured: the
     * recorder itself costs memory.
     */
    private void profile(Service s, String servers) throws Exception {
        Files.createDirectories(profileDir);
        Path jfr = profileDir.resolve(s.name() + ".jfr").toAbsolutePath();
        // a heap large enough to get through, so the histogram shows everything the history leaves in it
        Start run = start(s, servers, List.of("-Xmx" + PROFILE_HEAP,
                "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr), true);
        say.accept(describe(s, "the history, profiled with -Xmx" + PROFILE_HEAP, run));
        say.accept("profile of " + s.name() + ": " + jfr + " and " + profileDir.resolve(s.name() + ".histo.txt")
                + " (jfr print --events jdk.ExecutionSample " + jfr + ")");
    }

    /** Starts the service, waits until it is ready and caught up, reads its VmHWM and stops it. */
    private Start start(Service s, String servers, List<String> extraJvm, boolean histogram) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(s.definition.jvmOptions());
        command.addAll(extraJvm);
        command.addAll(List.of("-jar", s.definition().jar(root).toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        s.definition.applyTo(env);
        env.put("KAFKA_BOOTSTRAP_SERVERS", servers);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // the discard port: nothing listens, so whatever the service tried to call could never reach a provider
        env.put("APEX_OPENAI_BASE_URL", "http://127.0.0.1:9");
        env.put("APEX_ANTHROPIC_BASE_URL", "http://127.0.0.1:9");
        env.put("OPENAI_API_KEY", "sim-openai-key");
        env.put("ANTHROPIC_API_KEY", "sim-anthropic-key");
        Path log = Files.createDirectories(logs).resolve(s.name() + "-" + System.currentTimeMillis() + ".log");
        long t0 = System.nanoTime();
        Process p = builder.start();
        long[] caughtUp = {-1};
        Thread reader = new Thread(() -> copyLog(p, log, s.caughtUpLine, caughtUp), s.name() + "-log");
        reader.setDaemon(true);
        reader.start();
        try {
            long ready = -1;
            long deadline = t0 + START_TIMEOUT.toNanos();
            while (ready < 0 || caughtUpAt(caughtUp) < 0) {
                if (!p.isAlive()) {
                    return failed(s, "exited with " + p.exitValue() + "; see " + tail(log), ready, t0, p);
                }
                if (caughtUpAt(caughtUp) == OUT_OF_MEMORY) {
                    // the tail's thread is dead: the service would sit there, ready and never caught up
                    return failed(s, "java.lang.OutOfMemoryError while reading the history (" + String.join(" ",
                            command.subList(1, command.indexOf("-jar"))) + "); see " + log, ready, t0, p);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(s.name() + " was not ready and caught up within "
                            + START_TIMEOUT.toMinutes() + " min; see " + tail(log));
                }
                if (ready < 0 && isReady(port, s.definition().health())) {
                    ready = System.nanoTime();
                }
                Thread.sleep(50);
            }
            // a moment for what start-up left behind (buffers of the last fetch, the JIT) to show in the peak
            Thread.sleep(2000);
            if (histogram) {
                Path histo = profileDir.resolve(s.name() + ".histo.txt");
                new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(p.pid()), "GC.class_histogram").redirectErrorStream(true)
                        .redirectOutput(histo.toFile()).start().waitFor(60, TimeUnit.SECONDS);
            }
            long hwmKb = MemoryPeaks.procStatus(Path.of("/proc", Long.toString(p.pid()), "status"))
                    .getOrDefault("VmHWM", 0L);
            return new Start((ready - t0) / 1e9, (caughtUpAt(caughtUp) - t0) / 1e9, hwmKb / 1024.0, null);
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(5000);
        }
    }

    private static Start failed(Service s, String why, long ready, long t0, Process p) throws IOException {
        long hwmKb = MemoryPeaks.procStatus(Path.of("/proc", Long.toString(p.pid()), "status"))
                .getOrDefault("VmHWM", 0L);
        return new Start(ready < 0 ? Double.NaN : (ready - t0) / 1e9, (System.nanoTime() - t0) / 1e9,
                hwmKb / 1024.0, why);
    }

    private static long caughtUpAt(long[] caughtUp) {
        synchronized (caughtUp) {
            return caughtUp[0];
        }
    }

    /** Marks a start whose output reported an OutOfMemoryError before the caught-up line. */
    private static final long OUT_OF_MEMORY = Long.MIN_VALUE;

    /** Copies the service's output to its log, noting when the caught-up line appears (or an OutOfMemoryError). */
    private static void copyLog(Process p, Path log, String marker, long[] caughtUp) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.contains(marker) || line.contains("OutOfMemoryError")) {
                    synchronized (caughtUp) {
                        if (caughtUp[0] < 0) {
                            caughtUp[0] = line.contains(marker) ? System.nanoTime() : OUT_OF_MEMORY;
                        }
                    }
                }
                out.println(line);
                out.flush();
            }
        } catch (IOException e) {
            // the process ended: its log is as complete as it got
        }
    }

    private static boolean isReady(int port, String health) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + health))
                    .timeout(Duration.ofSeconds(1)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return log + ", which ends: " + String.join("\n", lines.subList(Math.max(0, lines.size() - 5),
                    lines.size()));
        } catch (IOException e) {
            return log.toString();
        }
    }

    /** Bytes of the broker's log segments under {@code dir} (not its preallocated, sparse index files). */
    static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.log"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /**
     * test-support's {@code KafkaProcess} as a child process (the CLI does not carry the broker's classes; the
     * classpath is the one {@code ./apex} starts its own broker with). It ends with this process: its standard
     * input is its tie to us.
     */
    static final class ScratchBroker implements AutoCloseable {
        final String servers;
        private final Process process;

        private ScratchBroker(Process process, String servers) {
            this.process = process;
            this.servers = servers;
        }

        static ScratchBroker start(Path root, Path work) throws IOException {
            Path target = root.resolve("test-support/target");
            Path jar;
            try (Stream<Path> files = Files.list(target)) {
                jar = files.filter(f -> f.getFileName().toString().matches("test-support-.*\\.jar")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("test-support is not built: run './apex build'"));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalStateException("test-support is not built: run './apex build'");
            }
            String cp = jar + java.io.File.pathSeparator + Files.readString(target.resolve("runtime.classpath")).trim();
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-cp", cp, "io.apexaudition.testsupport.KafkaProcess", work.toString())
                    .redirectError(work.resolve("kafka-launcher.log").toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("bootstrap=")) {
                    return new ScratchBroker(p, line.substring("bootstrap=".length()));
                }
            }
            throw new IllegalStateException("the scratch broker did not start: see " + work);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            OutputStream stdin = process.getOutputStream();
            stdin.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
