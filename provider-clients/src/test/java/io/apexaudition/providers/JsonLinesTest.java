package io.apexaudition.providers;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLinesTest {

    /** Serves {@code lines} JSON lines of about {@code lineBytes} each, generated as they are read, counting bytes. */
    private static final class GeneratedLines extends InputStream {
        private final int lines;
        private final String padding;
        private byte[] current = new byte[0];
        private int pos;
        private int next;
        long served;

        GeneratedLines(int lines, int lineBytes) {
            this.lines = lines;
            this.padding = "x".repeat(lineBytes);
        }

        @Override
        public int read() {
            if (pos == current.length) {
                if (next == lines) {
                    return -1;
                }
                current = ("{\"custom_id\":\"c" + next++ + "\",\"text\":\"" + padding + "\"}\n")
                        .getBytes(StandardCharsets.UTF_8);
                pos = 0;
            }
            served++;
            return current[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) {
                    return n == 0 ? -1 : n;
                }
                b[off + n++] = (byte) c;
            }
            return n;
        }
    }

    @Test
    void shouldHandEachLineOnAsItArrivesWithoutReadingTheWholeBody() throws IOException {
        // given a 50,000-line body of ~2 KB lines (~100 MB), generated as it is read
        GeneratedLines body = new GeneratedLines(50_000, 2_000);
        long[] servedAtFirstLine = {-1};
        long[] lines = {0};

        // when it is read line by line
        long count = JsonLines.read(body, 1024 * 1024, new JsonLines.Handler() {
            @Override
            public void line(JsonNode json) {
                if (lines[0]++ == 0) {
                    servedAtFirstLine[0] = body.served;
                }
                assertThat(json.path("custom_id").asText()).isEqualTo("c" + (lines[0] - 1));
            }

            @Override
            public void unreadable(long number, String why) {
                throw new AssertionError("line " + number + " " + why);
            }
        });

        // then the first line was handed on after one chunk of the body, and every line arrived in order
        assertThat(count).isEqualTo(50_000);
        assertThat(lines[0]).isEqualTo(50_000);
        assertThat(servedAtFirstLine[0]).isLessThanOrEqualTo(64 * 1024);
        assertThat(body.served).isGreaterThan(100_000_000L);
    }

    @Test
    void shouldReportAMalformedOrOverlongLineAndGoOnWithTheNext() throws IOException {
        String body = "{\"custom_id\":\"c1\"}\n"
                + "\n"
                + "{\"custom_id\": truncated\n"
                + "{\"custom_id\":\"c2\",\"big\":\"" + "y".repeat(5_000) + "\"}\r\n"
                + "{\"custom_id\":\"c3\"}";
        List<String> read = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();

        long count = JsonLines.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), 1_000,
                new JsonLines.Handler() {
                    @Override
                    public void line(JsonNode json) {
                        read.add(json.path("custom_id").asText());
                    }

                    @Override
                    public void unreadable(long number, String why) {
                        unreadable.add(number + " " + why);
                    }
                });

        assertThat(count).isEqualTo(5);
        assertThat(read).containsExactly("c1", "c3");
        assertThat(unreadable).hasSize(2);
        assertThat(unreadable.get(0)).startsWith("3 is not JSON: {\"custom_id\": truncated");
        assertThat(unreadable.get(1)).startsWith("4 is longer than 1000 bytes: {\"custom_id\":\"c2\"").endsWith("...")
                .hasSizeLessThan(400);
    }
}
