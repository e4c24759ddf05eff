package io.apexaudition.cli.bench;

import io.apexaudition.cli.LocalStack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * How long the viewer takes to open a large run: time to first byte and to the whole body of the matrix's first
 * page (what run.html fetches when it opens), the first request after recording (cold caches) and the median of
 * the next ones, plus the same page narrowed by a text search in the outputs.
 */
final class ViewerTimings {
    /** One request: milliseconds to the response's headers (first byte) and to its last byte. */
    record Timing(double firstByteMillis, double fullMillis, long bytes) {
    }

    /** A page measured once cold, then {@code warm} times: the cold request and the warm medians. */
    record Figures(Timing cold, Timing warmMedian) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ViewerTimings() {
    }

    /**
     * The viewer opening the run just recorded: its matrix's first page (time to first byte, to the last byte),
     * cold and warm, and the same page narrowed by a text search in every output of the run.
     */
    static void run(String viewerUrl, String runId, String tag, BenchReport report, Consumer<String> step,
                    Consumer<String> say) throws Exception {
        step.accept("viewer: the first page of the matrix of " + runId + " (" + tag + " outputs)");
        ViewerTimings.Figures page = measure(matrixFirstPage(viewerUrl, runId), 9);
        ViewerTimings.Figures search = measure(
                matrixSearch(viewerUrl, runId, "no output contains this"), 3);
        report.add("viewer.cold.ttfb", "viewer, matrix first page, cold: first byte (" + tag + ")", "ms",
                page.cold().firstByteMillis());
        report.add("viewer.cold.full", "viewer, matrix first page, cold: last byte (" + tag + ")", "ms",
                page.cold().fullMillis());
        report.add("viewer.ttfb", "viewer, matrix first page: first byte (" + tag + ")", "ms",
                page.warmMedian().firstByteMillis());
        report.add("viewer.full", "viewer, matrix first page: last byte (" + tag + ")", "ms",
                page.warmMedian().fullMillis());
        report.add("viewer.search", "viewer, text search over every output: last byte (" + tag + ")", "ms",
                search.warmMedian().fullMillis());
        say.accept(String.format(Locale.ROOT, "matrix first page (%d bytes): cold %.0f ms to first byte, %.0f ms to "
                        + "last; warm %.0f / %.0f ms; a text search over every output %.0f ms",
                page.cold().bytes(), page.cold().firstByteMillis(), page.cold().fullMillis(),
                page.warmMedian().firstByteMillis(), page.warmMedian().fullMillis(), search.warmMedian().fullMillis()));
    }

    /** The matrix's first page as the run page asks for it (20 prompts, every lane). */
    static String matrixFirstPage(String viewerUrl, String runId) {
        // a path segment: URLEncoder's '+' would be a literal plus there, so a space is %20
        return viewerUrl + "/api/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8).replace("+", "%20")
                + "/matrix?page=1&size=20";
    }

    /** The first page of the matrix narrowed to outputs containing {@code text}. */
    static String matrixSearch(String viewerUrl, String runId, String text) {
        return matrixFirstPage(viewerUrl, runId) + "&q=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static Figures measure(String url, int warm) throws IOException, InterruptedException {
        Timing cold = once(url);
        List<Timing> next = new ArrayList<>();
        for (int i = 0; i < warm; i++) {
            next.add(once(url));
        }
        return new Figures(cold, new Timing(median(next.stream().mapToDouble(Timing::firstByteMillis).toArray()),
                median(next.stream().mapToDouble(Timing::fullMillis).toArray()), cold.bytes()));
    }

    static Timing once(String url) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        // an InputStream body: send returns once the status line and headers are in, before the body is read
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
        long firstByte = System.nanoTime();
        long bytes;
        try (InputStream body = response.body()) {
            bytes = body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        long full = System.nanoTime();
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode()
                    + ": is the viewer running (./apex up starts it on port "
                    + LocalStack.load().service("viewer").port() + ")?");
        }
        return new Timing((firstByte - t0) / 1e6, (full - t0) / 1e6, bytes);
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
