package io.apexaudition.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    @Test
    void shouldPrintOnlyTheLinesThatChangedWhenTheOutputIsNotATerminal() {
        // given progress written to a file or a pipe
        RunCommand.Progress progress = new RunCommand.Progress(false);
        progress.next(List.of("0/30 final", "  4o.t0-6 0/15", "  sonnet 0/15"));

        // when one lane moves, then nothing moves
        String moved = progress.next(List.of("3/30 final", "  4o.t0-6 3/15", "  sonnet 0/15"));
        String still = progress.next(List.of("3/30 final", "  4o.t0-6 3/15", "  sonnet 0/15"));

        // then the total and that lane are printed once, the idle lane never again, and an unchanged view not at all
        assertThat(moved.lines().toList()).hasSize(2).allMatch(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] .*"));
        assertThat(moved).contains("3/30 final", "4o.t0-6 3/15").doesNotContain("sonnet");
        assertThat(still).isEmpty();
    }

    @Test
    void shouldRedrawTheWholeViewOnATerminalWhenAnythingChanged() {
        RunCommand.Progress progress = new RunCommand.Progress(true);
        progress.next(List.of("0/30 final", "  4o.t0-6 0/15", "  sonnet 0/15"));

        String moved = progress.next(List.of("3/30 final", "  4o.t0-6 3/15", "  sonnet 0/15"));

        assertThat(moved.lines().toList()).hasSize(3);
        assertThat(progress.next(List.of("3/30 final", "  4o.t0-6 3/15", "  sonnet 0/15"))).isEmpty();
    }
}
