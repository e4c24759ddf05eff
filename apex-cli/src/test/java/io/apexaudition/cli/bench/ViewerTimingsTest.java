package io.apexaudition.cli.bench;

import com.sun.net.httpserver.HttpServer;
import io.apexaudition.cli.LocalStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ViewerTimingsTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(int status, byte[] body, AtomicInteger calls) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void shouldTimeTheColdRequestThenTheWarmOnesAndCountEveryByte() throws Exception {
        // given a page of 300 KB
        AtomicInteger calls = new AtomicInteger();
        String url = serve(200, new byte[300_000], calls);

        // when it is measured cold then 4 times warm
        ViewerTimings.Figures figures = ViewerTimings.measure(url + "/api/runs/r/matrix", 4);

        // then every request went out, the body was read to its end, and no byte came after the last
        assertThat(calls).hasValue(5);
        assertThat(figures.cold().bytes()).isEqualTo(300_000);
        assertThat(figures.cold().fullMillis()).isGreaterThanOrEqualTo(figures.cold().firstByteMillis());
        assertThat(figures.warmMedian().fullMillis()).isGreaterThanOrEqualTo(figures.warmMedian().firstByteMillis());
    }

    @Test
    void shouldNameTheViewerWhenThePageIsNotThere() throws Exception {
        String url = serve(404, "no run".getBytes(), new AtomicInteger());

        assertThatThrownBy(() -> ViewerTimings.once(url + "/api/runs/missing/matrix"))
                .hasMessageContaining("answered 404").hasMessageContaining("./apex up starts it on port "
                        + LocalStack.load().service("viewer").port());
    }

    @Test
    void shouldTakeTheMiddleOfOddAndEvenSamples() {
        assertThat(ViewerTimings.median(new double[] {9, 1, 5})).isEqualTo(5);
        assertThat(ViewerTimings.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(ViewerTimings.median(new double[0])).isNaN();
    }

    @Test
    void shouldEscapeTheRunAndTheSearchedTextInTheUrl() {
        assertThat(ViewerTimings.matrixSearch("http://v", "run 1/x", "a&b"))
                .isEqualTo("http://v/api/runs/run%201%2Fx/matrix?page=1&size=20&q=a%26b");
    }
}
