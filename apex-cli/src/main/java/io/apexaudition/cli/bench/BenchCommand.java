package io.apexaudition.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.cli.ConfigPaths;
import io.apexaudition.cli.EventProducer;
import io.apexaudition.cli.ServiceClient;
import io.apexaudition.cli.StackSettings;
import io.apexaudition.core.LaneDefinition;
import io.apexaudition.core.LaneValidator;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.PromptSpec;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunRequested;
import io.apexaudition.events.Topics;
import io.apexaudition.cli.StackOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code apex bench}: the system's own overhead against the machine's raw limits, in one run on one machine.
 * Raw limits (Kafka produce and consume of real GenerationCompleted events, Postgres COPY of generation rows);
 * a large audition against the simulator with instant batches, timed per stage from the topics and the table;
 * a replay into empty tables; the seed's 315; each service's peak resident memory. Medians of several runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure the raw limits of Kafka and Postgres "
        + "and the system's throughput per stage on this machine; print every figure with its ratio to its limit.")
public class BenchCommand implements Callable<Integer> {
    static final String[] SERVICES = {"planner", "dispatcher-openai", "dispatcher-anthropic", "poller", "recorder"};

    @Option(names = "--generations", defaultValue = "100000", description = "Generations per audition (default ${DEFAULT-VALUE}).")
    int generations;

    @Option(names = "--lanes", defaultValue = "50", description = "Lanes (default ${DEFAULT-VALUE}); prompts = generations / lanes.")
    int laneCount;

    @Option(names = "--runs", defaultValue = "3", description = "Runs of each measurement; figures are medians (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--output-chars", defaultValue = "2000,20000", split = ",",
            description = "Output sizes of the simulated generations (default ${DEFAULT-VALUE}).")
    List<Integer> outputChars;

    @Option(names = "--raw-events", description = "Events / rows for the raw limits (default: --generations).")
    Long rawEvents;

    @Option(names = "--skip-raw", description = "Skip the raw limits.")
    boolean skipRaw;

    @Option(names = "--skip-audition", description = "Skip the large auditions (and the replay).")
    boolean skipAudition;

    @Option(names = "--skip-replay", description = "Skip the replay.")
    boolean skipReplay;

    @Option(names = "--skip-scale-out", description = "Skip the audition with a second instance of each service "
            + "that may run twice (issue 18: throughput with two instances at least that of one).")
    boolean skipScaleOut;

    @Option(names = "--skip-seed", description = "Skip the seed's 315.")
    boolean skipSeed;

    @Option(names = "--skip-viewer", description = "Skip timing the viewer's matrix of the large run.")
    boolean skipViewer;

    @Option(names = "--history", defaultValue = "1000000", description = "Historical generations the dispatcher and "
            + "the poller start against, on a scratch broker (default ${DEFAULT-VALUE}; see HistoryStartup).")
    long history;

    @Option(names = "--history-bodies", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Generated BatchSubmitted entries name their request bodies by hash, as the dispatcher "
                    + "writes them (default ${DEFAULT-VALUE}); --no-history-bodies leaves the hashes out.")
    boolean historyBodies;

    @Option(names = "--history-profile", description = "Also start each service once more against the history under "
            + "Java Flight Recorder, with a heap histogram once caught up, into this directory.")
    Path historyProfile;

    @Option(names = "--skip-history", description = "Skip the start-up against history.")
    boolean skipHistory;

    @Option(names = "--timeout", defaultValue = "1800", description = "Seconds one audition may take (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--out", description = "Where to write bench-*.json and bench-*.md (default: $APEX_HOME/bench).")
    Path outDir;

    @Mixin
    StackOptions.Broker broker;

    @Mixin
    StackOptions.Planner planner;

    @Mixin
    StackOptions.Recorder recorder;

    @Mixin
    StackOptions.Simulator simulator;

    @Mixin
    StackOptions.Viewer viewer;

    private final PrintStream out = System.out;
    private final StackSettings stack = StackSettings.fromEnvironment();
    final BenchReport report = new BenchReport();
    private final long started = System.currentTimeMillis();
    private final List<String> failures = new java.util.ArrayList<>();
    /** The run the last audition recorded: the viewer is timed on it before a replay empties the tables. */
    private String lastRunId;

    @Override
    public Integer call() throws Exception {
        int prompts = generations / laneCount;
        if (prompts * laneCount != generations || prompts < 1) {
            throw new IllegalArgumentException("--generations must be a multiple of --lanes");
        }
        if (!skipHistory) {
            // checked before the auditions, not after them: the history step comes last
            try {
                HistoryGenerator.Shape.of(history, historyBodies);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--history " + history + ": " + e.getMessage()
                        + " (e.g. --history 1000000), or --skip-history");
            }
        }
        long raw = rawEvents != null ? rawEvents : generations;
        String sharedContext = Files.readString(configDir().resolve("prompts/shared/house-style.md"));
        facts(prompts);
        report.facts().forEach((k, v) -> say(k + ": " + v));

        List<String> laneSlugs = List.of();
        List<String> promptIds = List.of();
        if (!skipAudition) {
            ModelCatalog catalog = ModelCatalog.load(configDir().resolve("models.yaml"));
            List<LaneDefinition> lanes = BenchWorkload.lanes(catalog, laneCount);
            var problems = new LaneValidator(catalog).validate(lanes);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("generated lanes are invalid: " + problems);
            }
            step("registering " + lanes.size() + " generated lanes through the planner");
            post(planner.url + "/api/lanes", Map.of("lanes", lanes), 200);
            List<PromptSpec> specs = BenchWorkload.prompts(prompts, sharedContext);
            long t = System.nanoTime();
            for (int i = 0; i < specs.size(); i += 500) {
                post(planner.url + "/api/prompts", Map.of("prompts", specs.subList(i, Math.min(specs.size(), i + 500))), 200);
            }
            say(String.format(Locale.ROOT, "ingested %d prompts through the planner in %.1f s", specs.size(),
                    (System.nanoTime() - t) / 1e9));
            laneSlugs = lanes.stream().map(LaneDefinition::slug).toList();
            promptIds = specs.stream().map(PromptSpec::id).toList();
        }

        for (int run = 1; run <= runs; run++) {
            step("run " + run + " of " + runs);
            if (!skipRaw) {
                for (int size : outputChars) {
                    attempt("raw limits " + label(size) + ", run " + run, () -> rawLimits(raw, size, sharedContext));
                }
            }
            if (!skipAudition) {
                for (int size : outputChars) {
                    final int r = run;
                    final List<String> l = laneSlugs;
                    final List<String> p = promptIds;
                    boolean done = attempt("audition " + label(size) + ", run " + run, () -> lastRunId = AuditionTiming.measure(this, r, size, l, p));
                    if (done && size == outputChars.get(0) && !skipViewer) {
                        attempt("viewer, run " + run, () -> ViewerTimings.run(viewer.url, lastRunId, label(size),
                                report, this::step, this::say));
                    }
                    if (done && size == outputChars.get(0) && !skipReplay) {
                        attempt("replay, run " + run, () -> ReplayTiming.measure(this));
                    }
                    if (done && size == outputChars.get(0) && !skipScaleOut) {
                        attempt("audition with second instances, run " + run, () -> scaledAudition(r, size, l, p));
                    }
                }
            }
            if (!skipSeed) {
                final int r = run;
                attempt("seed, run " + run, () -> SeedTiming.measure(this, r, RunMode.BATCH));
                attempt("seed synchronous, run " + run, () -> SeedTiming.measure(this, r, RunMode.SYNC));
            }
        }
        if (!skipHistory) {
            attempt("start-up against history", () -> history(sharedContext));
        }
        MemoryPeaks.report(apexHome().resolve("pids"), SERVICES, report, this::say);
        Targets.judge(report, outputChars);
        for (int i = 0; i < failures.size(); i++) {
            report.fact("failed " + (i + 1), failures.get(i));
        }
        String table = report.table();
        out.println();
        out.println(table);
        failures.forEach(f -> out.println("FAILED " + f));
        write();
        return failures.isEmpty() ? 0 : 1;
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs one measurement; a failure is reported (and written with the figures) and the bench goes on. */
    private boolean attempt(String what, Step step) {
        try {
            step.run();
            return true;
        } catch (Exception e) {
            failures.add(what + ": " + e.getMessage());
            say("FAILED " + what + ": " + e.getMessage());
            return false;
        }
    }

    // ---- raw limits ----

    private void rawLimits(long n, int size, String sharedContext) throws Exception {
        String tag = label(size);
        step("raw limits, " + tag + " outputs: producing and consuming " + n + " GenerationCompleted events");
        RawLimits.KafkaFigures k = RawLimits.kafka(broker.servers, n, size, sharedContext, this::say);
        report.add("raw.produce." + size, "raw Kafka produce (" + tag + ")", "events/s", BenchReport.perSecond(k.events(), k.produceMillis()));
        report.add("raw.produce.mb." + size, "raw Kafka produce (" + tag + ")", "MB/s", BenchReport.perSecond(k.bytes(), k.produceMillis()) / 1e6);
        report.add("raw.consume." + size, "raw Kafka consume (" + tag + ")", "events/s", BenchReport.perSecond(k.events(), k.consumeMillis()));
        report.add("raw.consume.mb." + size, "raw Kafka consume (" + tag + ")", "MB/s", BenchReport.perSecond(k.bytes(), k.consumeMillis()) / 1e6);
        say(String.format(Locale.ROOT, "produce %.0f events/s (%.0f MB/s), consume %.0f events/s; event %d bytes",
                BenchReport.perSecond(k.events(), k.produceMillis()), BenchReport.perSecond(k.bytes(), k.produceMillis()) / 1e6,
                BenchReport.perSecond(k.events(), k.consumeMillis()), k.bytes() / Math.max(1, k.events())));
        step("raw limits, " + tag + " outputs: COPY of " + n + " generation rows");
        try (Connection c = connect()) {
            RawLimits.CopyFigures f = RawLimits.copy(c, n, size, sharedContext, this::say);
            report.add("raw.copy." + size, "raw Postgres COPY (" + tag + ")", "rows/s", BenchReport.perSecond(f.rows(), f.millis()));
            report.add("raw.copy.mb." + size, "raw Postgres COPY (" + tag + ")", "MB/s", BenchReport.perSecond(f.bytes(), f.millis()) / 1e6);
            say(String.format(Locale.ROOT, "COPY %.0f rows/s (%.0f MB/s)", BenchReport.perSecond(f.rows(), f.millis()),
                    BenchReport.perSecond(f.bytes(), f.millis()) / 1e6));
        }
        // the slowest raw hop a generation must pass: its end-to-end limit
        report.add("raw.min." + size, "raw limit, slowest of the three (" + tag + ")", "events/s", Math.min(
                Math.min(last("raw.produce." + size), last("raw.consume." + size)), last("raw.copy." + size)));
    }

    // ---- the audition ----

    /** The stages of one audition (epoch millis). */
    record Timeline(long t0, StageClock.Stage requested, StageClock.Stage submitted, StageClock.Stage completed,
                    long lastRow) {
        double rate(long n, long from, long to) {
            return BenchReport.perSecond(n, Math.max(1, to - from));
        }
    }

    /** How often the rows are counted once every result is on Kafka: the resolution of a run's last row. */
    static final long COUNT_PAUSE_MS = 200;
    /** How often they are counted before that, for the progress line. */
    static final long PROGRESS_COUNT_MS = 2000;
    /** Results arriving no more for this long: the watcher may be behind, and the rows are counted at every pause. */
    static final long QUIET_MS = 1000;

    /**
     * Whether to count the run's rows now. Counting reads every row of the run (100,000 at the end of an audition),
     * and a run's rows come only from its results: while the results the watcher has seen on Kafka are short of the
     * run and still arriving, its rows are short too, and a count every {@value #PROGRESS_COUNT_MS} ms keeps the
     * progress line going. Once every result is in, or none came for {@value #QUIET_MS} ms (the watcher could be
     * behind the recorder), or the watcher stopped, the rows are counted at every pause, so the last row is seen
     * within {@value #COUNT_PAUSE_MS} ms of its writing as before. Counting at every pause from the start cost
     * Postgres CPU the stack being measured did not then have (docs/benchmarks.md, session 21).
     */
    static boolean timeToCount(long sinceLastCount, long resultsSeen, long sinceLastResult, boolean watching,
                               int expected) {
        return !watching || resultsSeen >= expected || (resultsSeen > 0 && sinceLastResult >= QUIET_MS)
                || sinceLastCount >= PROGRESS_COUNT_MS;
    }

    Timeline awaitRows(String runId, int expected, long t0, StageClock clock) throws Exception {
        long deadline = t0 + TimeUnit.SECONDS.toMillis(timeoutSeconds);
        long lastSaid = 0;
        try (Connection c = connect(); PreparedStatement count = c.prepareStatement("SELECT count(*) FILTER (WHERE status "
                + "IN ('completed', 'error', 'dry_run')), count(*) FILTER (WHERE status = 'error') "
                + "FROM apex_audition.generations WHERE run_id = ?");
             PreparedStatement rejected = c.prepareStatement("SELECT reason FROM apex_audition.runs WHERE id = ? "
                     + "AND status = 'rejected'")) {
            count.setString(1, runId);
            rejected.setString(1, runId);
            long lastCounted = 0;
            while (System.currentTimeMillis() < deadline) {
                long before = System.currentTimeMillis();
                if (!timeToCount(before - lastCounted, clock.completed.count, before - clock.completed.last,
                        clock.watching(), expected)) {
                    Thread.sleep(COUNT_PAUSE_MS);
                    continue;
                }
                lastCounted = System.currentTimeMillis();
                long rows;
                long errors;
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    rows = rs.getLong(1);
                    errors = rs.getLong(2);
                }
                long now = System.currentTimeMillis();
                if (rows >= expected) {
                    if (errors > 0) {
                        say("WARNING: " + errors + " generations ended in error: see apex report " + runId);
                    }
                    return new Timeline(t0, clock.requested, clock.submitted, clock.completed, now);
                }
                try (ResultSet rs = rejected.executeQuery()) {
                    if (rs.next()) {
                        throw new IllegalStateException("run " + runId + " was rejected: " + rs.getString(1));
                    }
                }
                if (now - lastSaid >= PROGRESS_COUNT_MS - COUNT_PAUSE_MS) { // each count of the progress interval
                    say(String.format(Locale.ROOT, "+%5.1f s  requested %7d  batches %4d  results %7d  rows %7d of %d",
                            (now - t0) / 1000.0, clock.requested.count, clock.submitted.count, clock.completed.count,
                            rows, expected));
                    lastSaid = now;
                }
                Thread.sleep(COUNT_PAUSE_MS);
            }
        }
        throw new IllegalStateException("run " + runId + " did not finish within " + timeoutSeconds + " s: see "
                + "'./apex status' and './apex logs dispatcher-openai' (and the other services)");
    }

    // ---- scale-out ----

    /**
     * The same audition with a second instance of every service that may run twice (ScaleOut.SCALABLE) started beside
     * the stack's, stopped after: its rate next to the single instances' of the same run.
     */
    private void scaledAudition(int run, int size, List<String> lanes, List<String> prompts) throws Exception {
        Path home = apexHome();
        try (ScaleOut extra = ScaleOut.start(home.resolve("pids"), home.resolve("logs"), ScaleOut.SCALABLE, this::say)) {
            AuditionTiming.measure(this, run, size, lanes, prompts, "scaled.", ", with " + String.join(" and ",
                    extra.names()), false);
        }
    }

    // ---- start-up against history ----

    private void history(String sharedContext) throws Exception {
        step("start-up against history: a dispatcher and a poller against empty topics, then against " + history
                + " historical generations, on a scratch broker");
        Path root = configDir().toAbsolutePath().getParent();
        Path logs = (outDir != null ? outDir : apexHome().resolve("bench")).resolve("history-logs");
        new HistoryStartup(root, Files.createTempDirectory("apex-bench-history"), logs,
                HistoryGenerator.Shape.of(history, historyBodies), sharedContext, historyProfile, this::say).run(report);
    }

    // ---- writing ----

    private void write() throws IOException {
        Path dir = outDir != null ? outDir : apexHome().resolve("bench");
        Files.createDirectories(dir);
        String stamp = Instant.now().toString().replaceAll("[^0-9T]", "").substring(0, 15);
        Path json = dir.resolve("bench-" + stamp + ".json");
        Path md = dir.resolve("bench-" + stamp + ".md");
        Files.writeString(json, EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.json()));
        Files.writeString(md, "# apex bench " + stamp + "\n\n" + report.markdown());
        Files.copy(json, dir.resolve("latest.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(md, dir.resolve("latest.md"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        out.println("Written: " + json + " and " + md);
    }

    private void facts(int prompts) {
        report.fact("command", "apex bench --generations " + generations + " --lanes " + laneCount + " --runs " + runs
                + " --output-chars " + outputChars.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("")
                + (skipHistory ? " --skip-history" : " --history " + history + (historyBodies ? "" : " --no-history-bodies")));
        report.fact("audition", laneCount + " lanes x " + prompts + " prompts = " + generations + " generations");
        report.fact("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        try {
            long kb = MemoryPeaks.procStatus(Path.of("/proc/meminfo")).getOrDefault("MemTotal", 0L);
            report.fact("memory", String.format(Locale.ROOT, "%.1f GB", kb / 1024.0 / 1024.0));
            Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .ifPresent(l -> report.fact("cpu", l.substring(l.indexOf(':') + 1).trim()));
            report.fact("load average at start", Files.readString(Path.of("/proc/loadavg")).trim());
        } catch (IOException | RuntimeException ignored) {
            // not Linux: the machine facts are incomplete
        }
        report.fact("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        report.fact("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    // ---- plumbing ----

    void simulator(int outputSize) throws Exception {
        post(simulator.url + "/_sim/reset", Map.of(), -1);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("output-size-chars", outputSize);
        config.put("phases", Map.of("validating", "PT0S", "in-progress", "PT0S", "finalizing", "PT0S"));
        post(simulator.url + "/_sim/config", config, 200);
    }

    void publish(RunRequested command) {
        try (EventProducer producer = new EventProducer(broker.servers)) {
            producer.publish(Topics.RUN_COMMANDS.name(), command);
        }
    }

    /** POSTs JSON; {@code expect} -1 accepts any 2xx. */
    JsonNode post(String url, Object body, int expect) {
        // the admin token goes to the planner and the recorder only, never to the simulator
        ServiceClient client = url.startsWith(simulator.url) ? new ServiceClient(url) : ServiceClient.admin(url);
        ServiceClient.Answer answer = client.post("", body);
        boolean ok = expect < 0 ? answer.status() / 100 == 2 : answer.status() == expect;
        if (!ok) {
            throw new IllegalStateException(url + " answered " + answer.status() + ": " + answer.json());
        }
        return answer.json();
    }

    Connection connect() throws SQLException {
        return stack.connect();
    }

    double last(String key) {
        List<Double> s = report.figure(key, key, "").samples();
        return s.get(s.size() - 1);
    }

    static String label(int size) {
        return size == 0 ? "natural-size" : size >= 1000 ? (size / 1000) + " KB" : size + " chars";
    }

    static Path configDir() {
        return ConfigPaths.configDir();
    }

    static Path apexHome() {
        String home = System.getenv("APEX_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        String root = System.getenv("APEX_ROOT");
        return root == null || root.isBlank() ? Path.of(".apex") : Path.of(root, ".apex");
    }

    void step(String what) {
        out.printf("[%6.1f s] == %s%n", (System.currentTimeMillis() - started) / 1000.0, what);
        out.flush();
    }

    void say(String what) {
        out.printf("[%6.1f s]    %s%n", (System.currentTimeMillis() - started) / 1000.0, what);
        out.flush();
    }

}
