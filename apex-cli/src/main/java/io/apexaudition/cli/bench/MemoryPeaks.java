package io.apexaudition.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The bench's memory step: each service's peak resident size, read from {@code /proc}. */
final class MemoryPeaks {
    private MemoryPeaks() {
    }

    /** Each service's peak resident size (VmHWM) from its pid file in {@code pids}, judged against the target. */
    static void report(Path pids, String[] services, BenchReport report, Consumer<String> say) throws IOException {
        for (String service : services) {
            Path pidFile = pids.resolve(service + ".pid");
            if (!Files.exists(pidFile)) {
                say.accept("no pid file for " + service + " in " + pids + ": its memory is not reported");
                continue;
            }
            String pid = Files.readString(pidFile).trim();
            Map<String, Long> status = procStatus(Path.of("/proc", pid, "status"));
            if (status.containsKey("VmHWM")) {
                String key = "rss." + service;
                report.add(key, service + " peak RSS (VmHWM)", "MB", status.get("VmHWM") / 1024.0);
                report.target(key, BenchReport.Goal.AT_MOST, Targets.RSS_MB);
            }
        }
    }

    /** The kB figures of /proc/PID/status (VmHWM, VmRSS, ...). */
    static Map<String, Long> procStatus(Path file) throws IOException {
        Map<String, Long> values = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return values;
        }
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.split(":\\s+", 2);
            if (parts.length == 2 && parts[1].endsWith(" kB")) {
                values.put(parts[0], Long.parseLong(parts[1].substring(0, parts[1].length() - 3).trim()));
            }
        }
        return values;
    }
}
