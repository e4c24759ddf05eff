package io.apexaudition.planner.messaging;

import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunRejected;
import io.apexaudition.events.Topics;
import io.apexaudition.planner.domain.Fixtures;
import io.apexaudition.planner.domain.SourceRuns.State;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The runs directory against a real broker: apex.runs, all partitions, read up to now before each answer. */
class RunsDirectoryTest {

    @Test
    void shouldAnswerWithEveryRunEventCommittedBeforeTheQuestion() {
        String servers = KafkaInfra.bootstrapServers();
        String n = UUID.randomUUID().toString().substring(0, 8);
        String done = "run-done-" + n;
        String going = "run-going-" + n;
        String refused = "run-refused-" + n;
        RunsDirectory directory = new RunsDirectory(servers).start();
        try (KafkaTestClient kafka = new KafkaTestClient(servers)) {
            // given a run accepted, an unreadable record and a rejected run on apex.runs
            kafka.publish(Topics.RUNS.name(), accepted(done));
            kafka.publishRaw(Topics.RUNS.name(), "garbage", "{not json");
            kafka.publish(Topics.RUNS.name(), new RunRejected("r-" + n, 1, Fixtures.AT, refused, "no lane chosen",
                    List.of(), "{}"));

            // when the directory is asked, then it has read them all (the unreadable one skipped)
            assertThat(directory.state(done)).isEqualTo(State.RUNNING);
            assertThat(directory.state(refused)).isEqualTo(State.REJECTED);
            assertThat(directory.state("run-nobody-" + n)).isEqualTo(State.UNKNOWN);

            // when the run completes and another starts, then the very next answers say so
            kafka.publish(Topics.RUNS.name(), new RunCompleted("c-" + n, 1, Fixtures.AT, done, 1, 1, 0, 0,
                    BigDecimal.ONE));
            kafka.publish(Topics.RUNS.name(), accepted(going));
            assertThat(directory.state(done)).isEqualTo(State.COMPLETED);
            assertThat(directory.state(going)).isEqualTo(State.RUNNING);

            // and a rejection published later under a known run's id does not hide the run
            kafka.publish(Topics.RUNS.name(), new RunRejected("r2-" + n, 1, Fixtures.AT, done, "unreadable command",
                    List.of(), "{oops"));
            assertThat(directory.state(done)).isEqualTo(State.COMPLETED);
        } finally {
            directory.close();
        }
    }

    private static RunAccepted accepted(String runId) {
        return new RunAccepted("a-" + runId, 1, Fixtures.AT, runId, RunMode.BATCH, false, false, true, null, 1, "ada",
                null, List.of(), List.of(), 1);
    }
}
