package io.apexaudition.recorder.persistence;

import io.apexaudition.core.judging.WritingDiagnostics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutputProjectionTest {

    @Test
    void shouldMeasureAnOutputExactlyAsWritingDiagnosticsDoesWhileReadingEachPromptsLengthOnce() {
        List<String> prompts = java.util.Arrays.asList(null, "A poem on rain.", "Write about 20 words on rain.",
                "In 100 to 140 words, a harbour.", "No more than 8 words.", "At least 3 words.", "Exactly 0 words.");
        List<String> outputs = java.util.Arrays.asList(null, "", "I'm sorry, but I can't write that.",
                "Rain on the roof, rain on the roof, rain on the roof again and again, the gutters sing of it.");
        for (int pass = 0; pass < 2; pass++) {
            for (String prompt : prompts) {
                for (String output : outputs) {
                    assertThat(OutputProjection.diagnose(prompt, output, "stop")).as("%s / %s", prompt, output)
                            .isEqualTo(WritingDiagnostics.of(prompt, output, "stop"));
                }
            }
        }
    }
}
