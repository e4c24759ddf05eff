package io.apexaudition.recorder.bench;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.LaneGroupRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.Providers;
import io.apexaudition.events.LongTextStored;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Usage;
import io.apexaudition.recorder.persistence.ProjectionRepository;
import io.apexaudition.recorder.persistence.RebuildFold;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Times a rebuild's database side: N generations' events of the real shape (a request naming its prompt version,
 * a ~12 KB body stored under its hash, a batch of 700 naming them, a 2 KB output), serialized as the topics
 * hold them, read back and
 * stored slice by slice (500 records, as a rebuild polls) into empty tables, once through the live path's
 * row-by-row upserts ({@code record}) and once through the rebuild's COPY path ({@code replay}); then a raw COPY
 * of the very rows the rebuild made into a copy of the table. Kafka's fetch is not in it: see docs/benchmarks.md.
 *
 * <pre>java -Xmx128m -cp ... io.apexaudition.recorder.bench.ReplayBench [generations] [jdbc-url-of-a-server]
 *     [record,replay,...]</pre>
 */
public final class ReplayBench {
    private static final int SLICE = 500;
    private static final int BATCH = 700;
    private static final Set<EventJson.Skip> SKIP = EnumSet.of(EventJson.Skip.SHARED_CONTEXT);

    private ReplayBench() {
    }

    public static void main(String[] args) throws Exception {
        int generations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        String server = args.length > 1 ? args[1] : "jdbc:postgresql://127.0.0.1:5432/";
        // its own database (-Dreplaybench.db), dropped and made again: two benches on one server must not share one
        String database = System.getProperty("replaybench.db", "replaybench");
        try (Connection admin = DriverManager.getConnection(server + "postgres", "postgres", "");
             Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
            s.execute("CREATE DATABASE " + database);
        }
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setURL(server + database);
        db.setUser("postgres");
        Flyway.configure().dataSource(db).schemas("apex_audition").createSchemas(true)
                .locations("classpath:db/migration").load().migrate();
        Backends backends = new Backends(db);
        ProjectionRepository repository = new ProjectionRepository(backends);
        String context = text(8_700, 1);
        repository.record(List.of(new PromptIngested("pi", 1, Instant.EPOCH, "p-bench", 1, "h", "t", "g",
                "Write about 1500 words on a harbour.", context)));
        // the first passes warm the JIT: read the later ones
        for (String mode : (args.length > 2 ? args[2] : "record,replay,record,replay").split(",")) {
            repository.truncateAll();
            repository.record(List.of(new PromptIngested("pi", 1, Instant.EPOCH, "p-bench", 1, "h", "t", "g",
                    "Write about 1500 words on a harbour.", context)));
            vacuum(db);
            long start = System.nanoTime();
            long ownCpu = processCpu();
            long postgresCpu = backends.cpu();
            long bytes = 0;
            RebuildFold fold = mode.equals("replay") ? repository.startFold() : null;
            List<byte[]> slice = new ArrayList<>(SLICE);
            for (int first = 0; first < generations; first += BATCH) {
                for (byte[] record : chunk(first, Math.min(BATCH, generations - first), context)) {
                    slice.add(record);
                    bytes += record.length;
                    if (slice.size() == SLICE) {
                        store(repository, slice, mode, fold);
                    }
                }
            }
            store(repository, slice, mode, fold);
            String folding = "";
            if (fold != null) {
                long staged = System.nanoTime();
                long stagedCpu = backends.cpu();
                fold.finish();
                fold.close();
                folding = String.format(" (of which the fold at the end %.1f s, Postgres %.3f ms per row)",
                        (System.nanoTime() - staged) / 1e9, (backends.cpu() - stagedCpu) / 1e6 / generations);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double recorderMs = (processCpu() - ownCpu) / 1e6 / generations;
            double postgresMs = (backends.cpu() - postgresCpu) / 1e6 / generations;
            System.out.printf("%s: %,d generation rows in %.1f s = %,.0f rows/s (%,.0f MB of events read); CPU per "
                            + "row: recorder %.3f ms, Postgres %.3f ms: %,.0f rows per CPU-second%s%n", mode, rows(db),
                    seconds, generations / seconds, bytes / 1e6, recorderMs, postgresMs,
                    1000 / (recorderMs + postgresMs), folding);
        }
        rawCopy(db, generations);
    }

    private static void store(ProjectionRepository repository, List<byte[]> slice, String mode, RebuildFold fold)
            throws Exception {
        List<ApexEvent> events = new ArrayList<>(slice.size());
        for (byte[] record : slice) {
            events.add(EventJson.read(record, SKIP));
        }
        if (mode.equals("parse")) {
            // only what the bench itself costs (making the records) and reading them: subtracted from the others
        } else if (mode.equals("record")) {
            repository.record(events);
        } else {
            repository.replay(events, fold);
        }
        slice.clear();
    }

    /** One batch of generations as the topics hold them: the requests, the batch, the results. */
    private static List<byte[]> chunk(int first, int count, String context) {
        List<byte[]> records = new ArrayList<>();
        List<BatchEntry> entries = new ArrayList<>();
        List<byte[]> results = new ArrayList<>();
        List<GenerationRequested> requests = new ArrayList<>();
        Instant at = Instant.parse("2026-12-01T12:00:00Z").plusMillis(first);
        String run = "run-bench";
        String slug = "lane-" + (first / BATCH % 15);
        String batch = "batch-" + first;
        for (int i = first; i < first + count; i++) {
            String id = EventIds.generationId(run, slug, "p-bench-" + i, 1);
            String customId = EventIds.customId(id, 1);
            requests.add(new GenerationRequested("gr-" + i, 1, at, run, id, 1, "cond-" + slug,
                    slug, Providers.OPENAI, "gpt-4o", "gpt-4o", new LaneParameters(0.6, 6000, null, null, null),
                    "p-bench", 1, "Write about 1500 words on a harbour.", context, 1, RunMode.BATCH, false, false,
                    true, count).withTextsByReference());
            // every body distinct (the worst case: no replicates share one), stored once under its hash, its shared
            // context cut out and stored once per chunk (a dispatcher stores it at most once per transaction), or whole
            // with -Dreplaybench.whole=true (the shape before the long texts were stored once)
            String before = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"";
            String after = "\"},{\"role\":\"user\",\"content\":\"" + text(3_000, i) + "\"}]}";
            RequestBodyStored body = RequestBodyStored.of(before + context + after, at);
            if (!Boolean.getBoolean("replaybench.whole")) {
                if (i == first) {
                    records.add(EventJson.writeBytes(LongTextStored.of(context, at)));
                }
                body = RequestBodyStored.cut(body.bodyHash(), before + after, RequestBodyStored.hashOf(context),
                        before.length(), at);
            }
            records.add(EventJson.writeBytes(body));
            entries.add(new BatchEntry(customId, id, 1, "cond-" + slug, slug, "p-bench", 1, body.bodyHash()));
            results.add(EventJson.writeBytes(new GenerationCompleted("gc-" + i, 1, at.plusSeconds(60), run, id, 1,
                    "cond-" + slug, slug, "p-bench", 1, Providers.OPENAI, "gpt-4o", RunMode.BATCH, batch, customId,
                    GenerationStatus.COMPLETED, text(2_000, i + 7), "stop", new Usage(3000, 0, 0, 500, 0), false,
                    new BigDecimal("0.012500"), null, null, body.bodyHash())));
        }
        // the requests as the planner publishes them: the chunk's lane group in one record
        records.addAll(0, LaneGroupRequested.pack(requests).stream().map(EventJson::writeBytes).toList());
        records.add(EventJson.writeBytes(new BatchSubmitted("bs-" + first, 1, at.plusSeconds(5), batch,
                Providers.OPENAI, run, "gpt-4o", "intent-" + batch, "file-" + batch, entries)));
        records.addAll(results);
        return records;
    }

    /** Prose-like text of {@code chars} characters, varied by {@code seed}. */
    private static String text(int chars, int seed) {
        String[] words = {"the", "harbour", "lamp", "turned", "slowly", "over", "grey", "water", "while", "gulls",
                "argued", "about", "nets", "and", "salt", "keeper", "wrote", "ships", "night", "tide"};
        StringBuilder b = new StringBuilder(chars + 16);
        long x = seed * 2654435761L + 1;
        while (b.length() < chars) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            b.append(words[(int) ((x >>> 33) % words.length)]).append(((x >>> 20) & 15) == 0 ? ". " : " ");
        }
        return b.substring(0, chars);
    }

    /**
     * A data source of plain connections kept open and handed out again (as the service's pool does), with the
     * backend process of each, whose CPU it adds up: the rebuild's fold reads with one connection while it writes
     * with another.
     */
    private static final class Backends implements DataSource {
        private final PGSimpleDataSource db;
        private final List<Connection> idle = new ArrayList<>();
        private final List<Long> pids = new ArrayList<>();

        Backends(PGSimpleDataSource db) {
            this.db = db;
        }

        @Override
        public synchronized Connection getConnection() throws java.sql.SQLException {
            Connection physical;
            if (idle.isEmpty()) {
                physical = db.getConnection();
                try (Statement s = physical.createStatement();
                     ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    pids.add(rs.getLong(1));
                }
            } else {
                physical = idle.remove(idle.size() - 1);
            }
            physical.setAutoCommit(true);
            Connection kept = physical;
            return (Connection) Proxy.newProxyInstance(ReplayBench.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            synchronized (this) {
                                if (!idle.contains(kept)) {
                                    idle.add(kept);
                                }
                            }
                            return null;
                        }
                        return invoke(method, kept, args);
                    });
        }

        /** The CPU the backends spent so far, ns. */
        synchronized long cpu() throws Exception {
            long sum = 0;
            for (long pid : pids) {
                sum += backendCpu(pid);
            }
            return sum;
        }

        @Override
        public Connection getConnection(String user, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** This JVM's CPU time, ns. */
    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The CPU time of a Postgres backend on this machine, ns (utime + stime of /proc/pid/stat, at 100 Hz). */
    private static long backendCpu(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    private static long rows(PGSimpleDataSource db) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM apex_audition.generations")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void vacuum(PGSimpleDataSource db) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM apex_audition.generations");
        }
    }

    /**
     * COPY of the rebuilt rows (out to memory, then in to an empty copy of the table with its indexes), timed in: the
     * generations, then their request bodies, then both per generation.
     */
    private static void rawCopy(PGSimpleDataSource db, int generations) throws Exception {
        String columns = "id, run_id, condition_id, lane_id, prompt_id, prompt_version, replicate, attempt, "
                + "provider, model, mode, batch_id, custom_id, status, output_text, finish_reason, input_tokens, "
                + "cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cache_hit, cost_usd, "
                + "error_kind, error_message, request_body_hash, requested_at, completed_at, updated_at, "
                + "output_text_exact, words, length_ratio, repetition, refusal";
        double[] rows = rawCopy(db, "generations", columns, "id", generations);
        double[] bodies = rawCopy(db, "request_bodies", "body_hash, body, text_hash, text_at", "body_hash", generations);
        System.out.printf("raw COPY of both per generation: %.1f s = %,.0f rows/s; Postgres CPU per row %.3f ms: %,.0f "
                        + "rows per CPU-second%n", rows[0] + bodies[0], generations / (rows[0] + bodies[0]),
                rows[1] + bodies[1], 1000 / (rows[1] + bodies[1]));
    }

    /** Returns the seconds and Postgres's ms of CPU per generation. */
    private static double[] rawCopy(PGSimpleDataSource db, String table, String columns, String key, int generations)
            throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            long backend;
            try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                backend = rs.getLong(1);
            }
            s.execute("DROP TABLE IF EXISTS apex_audition." + table + "_copy");
            s.execute("CREATE TABLE apex_audition." + table + "_copy (LIKE apex_audition." + table + " INCLUDING ALL)");
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            long total = 0;
            double seconds = 0;
            long cpu = 0;
            // in slices of 2,000 rows, so the harness stays within a small heap
            for (int offset = 0; offset < generations; offset += 2_000) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                copy.copyOut("COPY (SELECT " + columns + " FROM apex_audition." + table + " ORDER BY " + key
                        + " OFFSET " + offset + " LIMIT 2000) TO STDOUT", out);
                long start = System.nanoTime();
                long cpu0 = backendCpu(backend);
                total += copy.copyIn("COPY apex_audition." + table + "_copy (" + columns + ") FROM STDIN",
                        new ByteArrayInputStream(out.toByteArray()));
                seconds += (System.nanoTime() - start) / 1e9;
                cpu += backendCpu(backend) - cpu0;
            }
            System.out.printf("raw COPY of the same %s rows: %,d rows in %.1f s = %,.0f rows/s; Postgres CPU per row "
                    + "%.3f ms: %,.0f rows per CPU-second%n", table, total, seconds, total / seconds,
                    cpu / 1e6 / total, total / (cpu / 1e9));
            s.execute("DROP TABLE apex_audition." + table + "_copy");
            return new double[] {seconds, cpu / 1e6 / generations};
        }
    }
}
