package io.apexaudition.core.judging.bench;

import io.apexaudition.core.judging.WritingDiagnostics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The CPU one output's writing diagnostics cost, as the recorder measures each output it writes: 2,000 prose-like
 * outputs of ~2,000 chars (a few capitals, curly apostrophes, hyphenated words, one Latin-1 accent), measured 20 times
 * a round, six rounds (the first ones warm the JIT). The prompt's requested length is left out, as the recorder reads
 * it once per prompt. Prints the thread's CPU per output of each round. Not a test: run it by hand
 * (docs/benchmarks.md, session 21).
 */
public final class WritingDiagnosticsBench {
    private WritingDiagnosticsBench() {
    }

    public static void main(String[] args) {
        String[] words = {"The", "harbour", "lamp", "turned", "slowly", "over", "grey", "water", "while", "gulls",
                "argued", "about", "nets", "and", "salt", "keeper", "wrote", "ships", "don\u2019t", "night", "tide",
                "she'd", "well-known", "caf\u00e9", "I", "said", "nothing", "at", "all", "of", "it"};
        String[] outputs = new String[2000];
        long x = 42;
        for (int i = 0; i < outputs.length; i++) {
            StringBuilder b = new StringBuilder(2100);
            while (b.length() < 2000) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                b.append(words[(int) ((x >>> 33) % words.length)]).append(((x >>> 20) & 15) == 0 ? ". " : " ");
            }
            outputs[i] = b.toString();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double sink = 0;
        for (int round = 1; round <= 6; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int pass = 0; pass < 20; pass++) {
                for (String output : outputs) {
                    WritingDiagnostics d = WritingDiagnostics.of(null, output, "stop");
                    sink += d.repetition() + d.words();
                }
            }
            long cpu = threads.getCurrentThreadCpuTime() - start;
            System.out.printf(Locale.ROOT, "round %d: %.1f us of CPU per output%n", round,
                    cpu / 1000.0 / (20 * outputs.length));
        }
        System.out.println("(checksum " + sink + ")");
    }
}
