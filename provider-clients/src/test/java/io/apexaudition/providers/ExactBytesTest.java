package io.apexaudition.providers;

import io.apexaudition.core.RequestBodies;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A batch upload written as one array of exactly its length, never as a String or a doubling buffer. */
class ExactBytesTest {

    @Test
    void shouldHoldExactlyTheBytesTheFileIsMadeOf() {
        // given two lines with non-ASCII bodies
        List<Map.Entry<String, String>> lines = List.of(Map.entry("g1-a1", "{\"model\":\"gpt-4o\",\"t\":\"café — ☕\"}"),
                Map.entry("g2-a1", "{\"model\":\"gpt-4o\",\"t\":\"plain\"}"));

        // when the file is written as exact bytes
        byte[] bytes = ExactBytes.of(out -> RequestBodies.writeOpenAiBatchFile(lines.stream()
                .map(l -> Map.entry(l.getKey(), l.getValue().getBytes(StandardCharsets.UTF_8))).iterator(), out));

        // then they are the file, byte for byte
        assertThat(bytes).isEqualTo(RequestBodies.openAiBatchFile(lines));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("café — ☕");
    }

    @Test
    void shouldRefuseAnUploadThatComesOutDifferentTheSecondTime() {
        // given a writer that writes more the second time
        AtomicInteger passes = new AtomicInteger();

        // when it is made into exact bytes, then it is refused rather than cut short or padded
        assertThatThrownBy(() -> ExactBytes.of(out -> {
            try {
                out.write("x".repeat(10 + passes.getAndIncrement()).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("longer the second time");
    }
}
