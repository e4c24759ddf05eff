package io.apexaudition.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliLogTest {
    private final PrintStream stderr = System.err;

    @AfterEach
    void restore() {
        System.setErr(stderr);
        CliLog.level("INFO");
    }

    @Test
    void debugShowsTheCliOwnDebugLinesOnStandardError() {
        String err = logged("debug");
        assertThat(err).contains("apex DEBUG: detail").contains("apex INFO: news").contains("apex WARN: trouble");
    }

    @Test
    void infoAndWarnLeaveOutWhatIsBelowThem() {
        assertThat(logged("INFO")).doesNotContain("detail").contains("apex INFO: news");
        assertThat(logged("WARN")).doesNotContain("detail").doesNotContain("news").contains("apex WARN: trouble");
    }

    @Test
    void anUnknownLevelNamesTheChoices() {
        assertThatThrownBy(() -> CliLog.level("LOUD")).hasMessageContaining("DEBUG, INFO, WARN, ERROR");
    }

    private static String logged(String level) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        CliLog.level(level);
        Logger log = Logger.getLogger(RunCommand.class.getName());
        log.fine("detail");
        log.info("news");
        log.warning("trouble");
        for (var h : Logger.getLogger(CliLog.ROOT).getHandlers()) {
            h.flush();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
