package io.apexaudition.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time (user + system, from {@code /proc/PID/stat}) of every process of the local stack: the services, the
 * simulator and Kafka by their pid files, Postgres as every process named {@code postgres}, and this bench process
 * (its topic watcher). Two readings around an audition say where the machine's cores went, per generation.
 */
final class CpuClock {
    /** Linux's USER_HZ: /proc reports CPU time in ticks of 1/100 s on every mainstream kernel. */
    static final double TICKS_PER_SECOND = 100.0;
    static final List<String> STACK = List.of("kafka", "postgres", "simulator", "planner", "dispatcher-openai",
            "dispatcher-anthropic", "poller", "recorder", "bench");

    private CpuClock() {
    }

    /** CPU seconds so far of each process of the stack that is running. */
    static Map<String, Double> read(Path pids) throws IOException {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String name : STACK) {
            switch (name) {
                case "postgres" -> seconds.put(name, postgresSeconds());
                case "bench" -> seconds.put(name, seconds(Path.of("/proc/self/stat")));
                default -> {
                    Path pidFile = pids.resolve(name + ".pid");
                    if (Files.exists(pidFile)) {
                        seconds.put(name, seconds(Path.of("/proc", Files.readString(pidFile).trim(), "stat")));
                    }
                }
            }
        }
        return seconds;
    }

    /** The difference of two readings, per process. */
    static Map<String, Double> since(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> spent = new LinkedHashMap<>();
        after.forEach((name, s) -> spent.put(name, Math.max(0, s - before.getOrDefault(name, 0.0))));
        return spent;
    }

    private static double postgresSeconds() throws IOException {
        double total = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    if ("postgres".equals(Files.readString(p.resolve("comm")).trim())) {
                        // with the children it reaped: a backend that ended between two readings (the replay's, a
                        // reconnecting pool's) took its time with it, and the difference could even go negative
                        total += withReapedChildren(Files.readString(p.resolve("stat")));
                    }
                } catch (IOException e) {
                    // the process ended between listing and reading: its time is gone with it
                }
            }
        }
        return total;
    }

    /** utime + stime of one /proc/PID/stat, in seconds; 0 when the process is gone. */
    static double seconds(Path stat) throws IOException {
        if (!Files.exists(stat)) {
            return 0;
        }
        return parseSeconds(Files.readString(stat));
    }

    static double parseSeconds(String stat) {
        String[] rest = fields(stat);
        return (Long.parseLong(rest[11]) + Long.parseLong(rest[12])) / TICKS_PER_SECOND;
    }

    /**
     * utime + stime + cutime + cstime: the postmaster's cutime and cstime hold the time of every backend it has
     * reaped, so the sum over the live postgres processes grows monotonically although backends come and go.
     */
    static double withReapedChildren(String stat) {
        String[] rest = fields(stat);
        return parseSeconds(stat) + (Long.parseLong(rest[13]) + Long.parseLong(rest[14])) / TICKS_PER_SECOND;
    }

    private static String[] fields(String stat) {
        // the command name may hold spaces and parentheses: the fields that follow start after the last ')'
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }
}
