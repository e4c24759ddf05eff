package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Settings DEFAULTS = new Settings(42, 0, 0,
            new Settings.Phases(Duration.ZERO, Duration.ZERO, Duration.ZERO),
            new Settings.Faults(Duration.ofSeconds(2), Duration.ofSeconds(30), 1, 0, 0.5, 0, 0, "api_error", Map.of()));

    @Test
    void shouldMergeOnlyTheGivenFields() throws Exception {
        Settings merged = DEFAULTS.merge(JSON.readTree(
                "{\"phases\":{\"finalizing\":\"PT2M\"},\"faults\":{\"endpoints\":{\"openai.chat\":{\"timeout\":0.1}}}}"));

        assertThat(merged.phases().finalizing()).isEqualTo(Duration.ofMinutes(2));
        assertThat(merged.phases().validating()).isEqualTo(Duration.ZERO);
        assertThat(merged.faults().at("openai.chat").timeout()).isEqualTo(0.1);
        assertThat(merged.faults().at("openai.chat").rateLimit()).isZero();
        assertThat(merged.faults().slowDelay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void shouldRoundTripThroughItsJson() {
        Settings changed = DEFAULTS.merge(DEFAULTS.toJson().put("output-size-chars", 2000));

        assertThat(changed.merge(changed.toJson())).isEqualTo(changed);
        assertThat(changed.outputSizeChars()).isEqualTo(2000);
    }

    @Test
    void shouldRefuseUnknownNamesAndImpossibleRates() {
        assertThatThrownBy(() -> DEFAULTS.merge(JSON.readTree("{\"sede\":1}")))
                .hasMessageContaining("sede");
        assertThatThrownBy(() -> DEFAULTS.merge(JSON.readTree("{\"faults\":{\"endpoints\":{\"openai.batch\":{}}}}")))
                .hasMessageContaining("openai.batch");
        assertThatThrownBy(() -> DEFAULTS.merge(JSON.readTree(
                "{\"faults\":{\"endpoints\":{\"openai.chat\":{\"rate-limit\":0.7,\"server-error\":0.6}}}}")))
                .hasMessageContaining("at most 1");
        assertThatThrownBy(() -> DEFAULTS.merge(JSON.readTree("{\"faults\":{\"request-error-type\":\"boom\"}}")))
                .hasMessageContaining("request-error-type");
        assertThatThrownBy(() -> DEFAULTS.merge(JSON.readTree("{\"phases\":{\"validating\":\"2 minutes\"}}")))
                .hasMessageContaining("ISO-8601");
    }
}
