package io.apexaudition.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BenchReportTest {

    @Test
    void shouldTakeTheMiddleSampleOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(BenchReport.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
        assertThat(BenchReport.median(List.of(4.0, 1.0, 3.0, 10.0))).isEqualTo(3.5);
        assertThat(BenchReport.median(List.of(7.0))).isEqualTo(7.0);
        assertThat(BenchReport.median(List.of())).isNaN();
    }

    @Test
    void shouldComputeRatesFromCountsAndMillis() {
        assertThat(BenchReport.perSecond(100_000, 20_000)).isEqualTo(5_000.0);
        assertThat(BenchReport.perSecond(10, 0)).isZero();
    }

    @Test
    void shouldRelateEachFigureToTheMedianOfItsRawLimit() {
        BenchReport report = new BenchReport();
        report.add("raw", "raw produce", "events/s", 30_000);
        report.add("raw", "raw produce", "events/s", 10_000);
        report.add("raw", "raw produce", "events/s", 20_000);
        report.add("e2e", "end to end", "generations/s", 5_000);
        report.add("e2e", "end to end", "generations/s", 4_000);
        report.add("e2e", "end to end", "generations/s", 8_000);
        report.limit("e2e", "raw");
        report.target("e2e", BenchReport.Goal.AT_LEAST, 5_000);

        assertThat(report.median("e2e")).isEqualTo(5_000);
        assertThat(report.ratio("e2e")).isCloseTo(0.25, within(1e-9));
        assertThat(report.met("e2e")).isTrue();
        assertThat(report.ratio("raw")).isNaN();
        assertThat(report.met("raw")).isNull();
        assertThat(report.table()).contains("end to end").contains("0.25").contains(">= 5,000").contains("yes");
    }

    @Test
    void shouldJudgeUpperBoundsAndSayNoWhenATargetIsMissed() {
        BenchReport report = new BenchReport();
        report.add("rss", "planner peak RSS", "MB", 310);
        report.target("rss", BenchReport.Goal.AT_MOST, 300);

        assertThat(report.met("rss")).isFalse();
        assertThat(report.table()).contains("<= 300").contains("NO: 1.03x the target");
        assertThat(report.json().path("figures").get(0).path("met").asBoolean(true)).isFalse();
    }

    @Test
    void shouldSayWhatShareOfALowerBoundWasReachedWhenItIsMissed() {
        // given a rate at 913 against a target of 5,000
        BenchReport report = new BenchReport();
        report.add("e2e", "end to end", "generations/s", 913);
        report.target("e2e", BenchReport.Goal.AT_LEAST, 5_000);

        // then the table says it was missed, and by how much
        assertThat(report.ofTarget("e2e")).isCloseTo(0.1826, within(1e-4));
        assertThat(report.table()).contains("NO: 0.18 of the target");
        assertThat(report.json().path("figures").get(0).path("ofTarget").asDouble()).isCloseTo(0.1826, within(1e-4));
    }

    @Test
    void shouldJudgeARatioRunByRunNotMedianOverMedian() {
        // given three runs whose rate and raw limit moved together (a loaded second run)
        BenchReport report = new BenchReport();
        for (double[] run : new double[][] {{1_000, 8_000}, {500, 1_000}, {1_200, 9_000}}) {
            report.add("e2e", "end to end", "generations/s", run[0]);
            report.add("copy", "raw COPY", "rows/s", run[1]);
        }

        // when the ratio is declared from them
        report.ratios("e2e.of-copy", "end to end / COPY", "e2e", "copy");
        report.target("e2e.of-copy", BenchReport.Goal.AT_LEAST, 0.5);

        // then each run is divided by its own limit (0.125, 0.5, 0.133): median 0.133, where medians would give 0.125
        assertThat(report.median("e2e.of-copy")).isCloseTo(1_200 / 9_000.0, within(1e-9));
        assertThat(report.met("e2e.of-copy")).isFalse();
    }

    @Test
    void shouldDeclareNoRatioWhenEitherSideIsMissing() {
        BenchReport report = new BenchReport();
        report.add("e2e", "end to end", "generations/s", 1_000);

        report.ratios("e2e.of-copy", "end to end / COPY", "e2e", "copy");

        assertThat(report.has("e2e.of-copy")).isFalse();
    }
}
