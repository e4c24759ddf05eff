package io.apexaudition.simulator.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class PackedTest {

    @Test
    void shouldGiveBackExactlyTheBytesItWasGiven() {
        // given a results file of generated text, with multi-byte characters
        StringBuilder jsonl = new StringBuilder();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            jsonl.append("{\"custom_id\":\"r").append(i).append("\",\"text\":\"")
                    .append(TextGenerator.compose(random, 20_000)).append(" \u00e9\u2014\u6f22\"}\n");
        }
        byte[] content = jsonl.toString().getBytes(StandardCharsets.UTF_8);

        // when
        Packed packed = Packed.of(content);

        // then it reads back byte for byte, reports the original size and holds less than the text
        assertThat(packed.bytes()).isEqualTo(content);
        assertThat(packed.text()).isEqualTo(jsonl.toString());
        assertThat(packed.size()).isEqualTo(content.length);
        assertThat(packed.packedSize()).isLessThan(content.length / 2);
    }

    @Test
    void shouldKeepAnEmptyFile() {
        Packed packed = Packed.of(new byte[0]);

        assertThat(packed.bytes()).isEmpty();
        assertThat(packed.size()).isZero();
    }
}
