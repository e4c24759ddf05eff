package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Settings DEFAULTS = new Settings(42, 0, 0,
            new Settings.Phases(Duration.ZERO, Duration.ZERO, Duration.ZERO),
            new Settings.Faults(Duration.ofSeconds(2), Duration.ofSeconds(30), 1, 0, 0.5, 0, 0, "api_error", Duration.ZERO,
                    "gateway-timeout", false, 0, 0, Map.of()),
            new Settings.Judging(Map.of("claude-opus-4-1", 1.2, "gpt-4o", 0.0), 0.5, 0.4, 0.25));

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
    void shouldRoundTripTheAnswerFaultsThroughItsJson() throws Exception {
        Settings changed = DEFAULTS.merge(JSON.readTree("{\"faults\":{\"listing-lag\":\"PT10S\","
                + "\"created-timeout-end\":\"drop\",\"echo-key\":true,\"endpoints\":{\"openai.batches.create\":"
                + "{\"created-server-error\":0.2,\"created-timeout\":0.1,\"next\":{\"created-timeout\":2}},"
                + "\"anthropic.batches.list\":{\"next\":{\"server-error\":3}}}}}"));

        assertThat(DEFAULTS.merge(changed.toJson())).isEqualTo(changed);
        assertThat(changed.faults().listingLag()).isEqualTo(Duration.ofSeconds(10));
        assertThat(changed.faults().echoKey()).isTrue();
        assertThat(changed.faults().at("openai.batches.create").share(Fault.CREATED_SERVER_ERROR)).isEqualTo(0.2);
        assertThat(changed.faults().at("anthropic.batches.list").next()).containsEntry(Fault.SERVER_ERROR, 3);
    }

    @Test
    void shouldTakeTheNextFaultsOneAtATimeUntilNoneIsLeft() throws Exception {
        // given two server errors and one rate limit due on the OpenAI listing
        Settings s = DEFAULTS.merge(JSON.readTree("{\"faults\":{\"endpoints\":{\"openai.batches.list\":"
                + "{\"next\":{\"server-error\":2,\"rate-limit\":1}}}}}"));

        // when they are taken one by one
        StringBuilder taken = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            Fault kind = s.faults().at("openai.batches.list").nextKind();
            taken.append(kind).append(' ');
            s = kind == Fault.NONE ? s : s.withOneTaken("openai.batches.list", kind);
        }

        // then in the order of the kinds, and nothing after them
        assertThat(taken.toString().trim()).isEqualTo("RATE_LIMIT SERVER_ERROR SERVER_ERROR NONE");
        assertThat(s.faults().at("openai.batches.list").next()).isEmpty();
    }

    @Test
    void shouldRefuseCreatedFaultsWhereNothingIsCreatedAndUnknownKindsOrValues() {
        refusing("{\"faults\":{\"endpoints\":{\"openai.batches.list\":{\"created-server-error\":0.5}}}}")
                .hasMessageContaining("only to");
        refusing("{\"faults\":{\"endpoints\":{\"openai.chat\":{\"next\":{\"created-timeout\":1}}}}}")
                .hasMessageContaining("only to");
        refusing("{\"faults\":{\"endpoints\":{\"openai.chat\":{\"next\":{\"server-eror\":1}}}}}")
                .hasMessageContaining("server-eror");
        refusing("{\"faults\":{\"endpoints\":{\"openai.chat\":{\"next\":{\"server-error\":-1}}}}}")
                .hasMessageContaining(">= 0");
        refusing("{\"faults\":{\"created-timeout-end\":\"later\"}}").hasMessageContaining("created-timeout-end");
        refusing("{\"faults\":{\"echo-key\":\"yes\"}}").hasMessageContaining("true or false");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refusing(String patch) {
        return assertThatThrownBy(() -> DEFAULTS.merge(JSON.readTree(patch)));
    }

    @Test
    void shouldMergeTheJudgeSettingsModelByModelAndRoundTripThem() throws Exception {
        // given a patch of one model's quality, the noise and the garbage faults
        Settings changed = DEFAULTS.merge(JSON.readTree("{\"judge-quality\":{\"gpt-5\":0.9},\"judge-noise\":0.2,"
                + "\"judge-tie-band\":0,\"faults\":{\"judge-garbage\":0.1,\"judge-garbage-next\":2}}"));

        // then the other models keep their quality and the rest is as it was
        assertThat(changed.judging().quality()).containsEntry("gpt-5", 0.9).containsEntry("claude-opus-4-1", 1.2)
                .containsEntry("gpt-4o", 0.0);
        assertThat(changed.judging().qualityOf("o3")).isZero();
        assertThat(changed.judging().noise()).isEqualTo(0.2);
        assertThat(changed.judging().positionBias()).isEqualTo(0.4);
        assertThat(changed.judging().tieBand()).isZero();
        assertThat(changed.faults().judgeGarbage()).isEqualTo(0.1);
        assertThat(changed.withOneJudgeGarbageTaken().faults().judgeGarbageNext()).isEqualTo(1);
        assertThat(DEFAULTS.merge(changed.toJson())).isEqualTo(changed);
    }

    @Test
    void shouldRefuseAJudgeQualityForAModelItDoesNotKnowAndImpossibleJudgeSettings() {
        refusing("{\"judge-quality\":{\"claude-opus-4.1\":1}}").hasMessageContaining("claude-opus-4.1")
                .hasMessageContaining("claude-opus-4-1");
        refusing("{\"judge-quality\":{\"gpt-5\":\"high\"}}").hasMessageContaining("a number");
        refusing("{\"judge-noise\":-0.1}").hasMessageContaining("judge-noise");
        refusing("{\"judge-tie-band\":-1}").hasMessageContaining("judge-tie-band");
        refusing("{\"faults\":{\"judge-garbage\":1.5}}").hasMessageContaining("judge-garbage");
        refusing("{\"faults\":{\"judge-garbage-next\":-1}}").hasMessageContaining("judge-garbage-next");
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
