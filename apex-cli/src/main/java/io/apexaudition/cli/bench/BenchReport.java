package io.apexaudition.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.EventJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every figure of a bench: its samples (one per run), its median, the raw limit it is compared with (ratio =
 * figure / limit) and the target it must meet. Pure arithmetic and rendering, so it can be tested.
 */
public final class BenchReport {

    /** How a figure is judged against its target. */
    public enum Goal { AT_LEAST, AT_MOST }

    /** A figure: samples in {@code unit}, compared with {@code limitKey}'s median, judged by a target. */
    public static final class Figure {
        final String key;
        final String label;
        final String unit;
        final List<Double> samples = new ArrayList<>();
        String limitKey;
        Double target;
        Goal goal = Goal.AT_LEAST;

        Figure(String key, String label, String unit) {
            this.key = key;
            this.label = label;
            this.unit = unit;
        }

        public List<Double> samples() {
            return List.copyOf(samples);
        }
    }

    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final Map<String, String> facts = new LinkedHashMap<>();

    /** Declares a figure (idempotent); figures print in the order they are first declared. */
    public Figure figure(String key, String label, String unit) {
        return figures.computeIfAbsent(key, k -> new Figure(key, label, unit));
    }

    public void add(String key, String label, String unit, double sample) {
        figure(key, label, unit).samples.add(sample);
    }

    /** The figure is compared with the median of {@code limitKey}: ratio = figure / limit. */
    public void limit(String key, String limitKey) {
        requireFigure(key).limitKey = limitKey;
    }

    /**
     * Declares {@code key} as {@code numerator / denominator} sample by sample (the k-th run's figure over the same
     * run's limit), so a target on a ratio is judged on figures measured side by side; nothing when either is missing.
     */
    public void ratios(String key, String label, String numerator, String denominator) {
        if (!has(numerator) || !has(denominator)) {
            return;
        }
        List<Double> top = requireFigure(numerator).samples;
        List<Double> bottom = requireFigure(denominator).samples;
        Figure f = figure(key, label, "ratio");
        f.samples.clear();
        for (int i = 0; i < Math.min(top.size(), bottom.size()); i++) {
            if (bottom.get(i) != 0) {
                f.samples.add(top.get(i) / bottom.get(i));
            }
        }
    }

    /**
     * How far the median is from the target: for "at least", the share of the target reached (0.18 = 18 %); for
     * "at most", how many times the target the median is (1.9 = 90 % over). NaN when there is nothing to judge.
     */
    public double ofTarget(String key) {
        Figure f = requireFigure(key);
        if (f.target == null || f.samples.isEmpty() || f.target == 0) {
            return Double.NaN;
        }
        return median(f.samples) / f.target;
    }

    public void target(String key, Goal goal, double value) {
        Figure f = requireFigure(key);
        f.goal = goal;
        f.target = value;
    }

    public void fact(String name, String value) {
        facts.put(name, value);
    }

    public Map<String, String> facts() {
        return Map.copyOf(facts);
    }

    public boolean has(String key) {
        return figures.containsKey(key) && !figures.get(key).samples.isEmpty();
    }

    public double median(String key) {
        return median(requireFigure(key).samples);
    }

    /** The figure's median over its raw limit's median, or NaN when it has no limit (or the limit is missing). */
    public double ratio(String key) {
        Figure f = requireFigure(key);
        if (f.limitKey == null || !has(f.limitKey) || !has(key)) {
            return Double.NaN;
        }
        double limit = median(f.limitKey);
        return limit == 0 ? Double.NaN : median(key) / limit;
    }

    /** True or false when the figure has a target and samples; null when there is nothing to judge. */
    public Boolean met(String key) {
        Figure f = requireFigure(key);
        if (f.target == null || f.samples.isEmpty()) {
            return null;
        }
        double m = median(f.samples);
        return f.goal == Goal.AT_LEAST ? m >= f.target : m <= f.target;
    }

    /** The median of the samples (the mean of the two middle ones for an even count); NaN for none. */
    public static double median(List<Double> samples) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(samples);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    /** Events (or rows) per second, from a count and a duration in milliseconds; 0 for an empty duration. */
    public static double perSecond(long count, long millis) {
        return millis <= 0 ? 0 : count * 1000.0 / millis;
    }

    /** An aligned plain-text table of every figure. */
    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"figure", "median", "unit", "runs", "vs raw limit", "ratio", "target", "met"});
        for (Figure f : figures.values()) {
            if (f.samples.isEmpty()) {
                continue;
            }
            rows.add(row(f));
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                b.append(i == 1 || i == 5 ? String.format("%" + width[i] + "s", r[i]) : String.format("%-" + width[i] + "s", r[i]));
                b.append(i == r.length - 1 ? "" : "  ");
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The same table in markdown, with the facts about the machine above it. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        facts.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append('\n').append("| figure | median | unit | runs | vs raw limit | ratio | target | met |\n");
        b.append("| --- | ---: | --- | --- | --- | ---: | --- | --- |\n");
        for (Figure f : figures.values()) {
            if (!f.samples.isEmpty()) {
                b.append("| ").append(String.join(" | ", row(f))).append(" |\n");
            }
        }
        return b.toString();
    }

    public ObjectNode json() {
        ObjectNode root = EventJson.mapper().createObjectNode();
        ObjectNode machine = root.putObject("facts");
        facts.forEach(machine::put);
        ArrayNode list = root.putArray("figures");
        for (Figure f : figures.values()) {
            if (f.samples.isEmpty()) {
                continue;
            }
            ObjectNode o = list.addObject();
            o.put("key", f.key).put("label", f.label).put("unit", f.unit).put("median", median(f.samples));
            ArrayNode s = o.putArray("samples");
            f.samples.forEach(s::add);
            if (f.limitKey != null) {
                o.put("limit", f.limitKey);
                double r = ratio(f.key);
                if (!Double.isNaN(r)) {
                    o.put("ratio", r);
                }
            }
            if (f.target != null) {
                o.put("target", f.target).put("goal", f.goal.name().toLowerCase(Locale.ROOT));
                o.put("met", met(f.key));
                double of = ofTarget(f.key);
                if (!Double.isNaN(of)) {
                    o.put("ofTarget", of);
                }
            }
        }
        return root;
    }

    private String[] row(Figure f) {
        double r = ratio(f.key);
        Boolean met = met(f.key);
        return new String[] {f.label, number(median(f.samples)), f.unit, Integer.toString(f.samples.size()),
                f.limitKey == null ? "" : figures.get(f.limitKey) == null ? f.limitKey : figures.get(f.limitKey).label,
                Double.isNaN(r) ? "" : String.format(Locale.ROOT, "%.2f", r),
                f.target == null ? "" : (f.goal == Goal.AT_LEAST ? ">= " : "<= ") + number(f.target),
                met == null ? "" : met ? "yes" : missedBy(f)};
    }

    /** "NO", with by how much: the share of an "at least" target reached, or the multiple of an "at most" one. */
    private String missedBy(Figure f) {
        double of = ofTarget(f.key);
        if (Double.isNaN(of)) {
            return "NO";
        }
        return f.goal == Goal.AT_LEAST
                ? String.format(Locale.ROOT, "NO: %.2f of the target", of)
                : String.format(Locale.ROOT, "NO: %.2fx the target", of);
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private Figure requireFigure(String key) {
        Figure f = figures.get(key);
        if (f == null) {
            throw new IllegalArgumentException("no figure '" + key + "'");
        }
        return f;
    }
}
