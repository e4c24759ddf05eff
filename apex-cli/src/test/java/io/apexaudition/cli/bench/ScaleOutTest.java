package io.apexaudition.cli.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench's second instances are clones of the running ones: same command line, same environment, own id. */
class ScaleOutTest {

    @Test
    void shouldCloneARunningProcessWithItsOwnEnvironmentAndTheOverridesOnly() throws Exception {
        // given a running process with an environment of its own (not the test's)
        ProcessBuilder original = new ProcessBuilder("sleep", "30");
        original.environment().clear();
        original.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "APEX_POLLER_TRANSACTIONAL_ID", "apex-poller-local",
                "QUARKUS_HTTP_PORT", "8084", "WITH_EQUALS", "a=b"));
        Process running = original.start();
        try {
            // when it is cloned with its own port and instance id
            ProcessBuilder clone = ScaleOut.cloneOf(running.pid(), Map.of("QUARKUS_HTTP_PORT", "9999",
                    "APEX_POLLER_TRANSACTIONAL_ID", "apex-bench-poller-2"));

            // then the clone runs the same command with the original's environment, the overrides on top
            assertThat(clone.command()).containsExactly("sleep", "30");
            assertThat(clone.environment()).containsExactlyInAnyOrderEntriesOf(Map.of("PATH", "/usr/bin:/bin",
                    "APEX_POLLER_TRANSACTIONAL_ID", "apex-bench-poller-2", "QUARKUS_HTTP_PORT", "9999",
                    "WITH_EQUALS", "a=b"));
        } finally {
            running.destroy();
            running.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldReadAnEnvironBlockWhateverItsLastEntryEndsWith() {
        byte[] terminated = "A=1\0B=x=y\0EMPTY=\0".getBytes(StandardCharsets.UTF_8);
        byte[] unterminated = "A=1\0B=2".getBytes(StandardCharsets.UTF_8);

        assertThat(ScaleOut.environment(terminated)).containsExactly(Map.entry("A", "1"), Map.entry("B", "x=y"),
                Map.entry("EMPTY", ""));
        assertThat(ScaleOut.environment(unterminated)).containsOnlyKeys(List.of("A", "B")).containsEntry("B", "2");
    }

    @Test
    void shouldNameTheFixWhenTheStacksProcessIsGone() throws Exception {
        // given a pid file naming a process that has ended
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor(10, TimeUnit.SECONDS);

        // then the clone is refused with what to do, not a missing /proc file
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ScaleOut.cloneOf(ended.pid(), Map.of()))
                .hasMessageContaining("is not running").hasMessageContaining("./apex up");
    }

    @Test
    void shouldOfferOnlyServicesThatOwnTheirShareThroughAConsumerGroup() {
        // a second instance of anything else would double its work: the scale-out figure never starts one
        assertThat(ScaleOut.SCALABLE).extracting(ScaleOut.Extra::service)
                .containsExactlyInAnyOrder("poller", "dispatcher-openai", "dispatcher-anthropic");
    }
}
