package io.apexaudition.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's {@code /q/metrics} page (Prometheus text format) as tests read it: the sum of one metric's samples
 * whose labels include the given ones. Tests compare sums before and after a run, so a meter not registered yet
 * (Micrometer registers on first use) reads as 0.
 */
public final class MetricsText {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;

    public MetricsText(String text) {
        this.text = text;
    }

    /** Reads {@code baseUrl + "/q/metrics"}. */
    public static MetricsText scrape(String baseUrl) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(baseUrl + "/q/metrics")).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(baseUrl + "/q/metrics answered " + response.statusCode());
            }
            return new MetricsText(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(baseUrl + "/q/metrics could not be read: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + baseUrl + "/q/metrics", e);
        }
    }

    /** The sum of {@code name}'s samples having every label of {@code labels} (name=value pairs). */
    public double sum(String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        double sum = 0;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> have = new LinkedHashMap<>();
            Matcher l = LABEL.matcher(m.group(3) == null ? "" : m.group(3));
            while (l.find()) {
                have.put(l.group(1), l.group(2));
            }
            if (have.entrySet().containsAll(wanted.entrySet())) {
                sum += value(m.group(4));
            }
        }
        return sum;
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** Whether any sample of {@code name} is on the page. */
    public boolean has(String name) {
        return text.lines().anyMatch(line -> line.startsWith(name + "{") || line.startsWith(name + " "));
    }

    /** The samples whose names start with {@code prefix}, for a failure message (the whole page is thousands of lines). */
    public String samples(String prefix) {
        return String.join("\n", text.lines().filter(line -> line.startsWith(prefix)).toList());
    }

    @Override
    public String toString() {
        return text;
    }
}
