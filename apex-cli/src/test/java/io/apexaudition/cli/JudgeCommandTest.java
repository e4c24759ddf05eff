package io.apexaudition.cli;

import io.apexaudition.core.RubricConfig;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.JudgingRequested;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code apex judge} against a real database and a real broker: what it reads from apex_audition, the
 * JudgingRequested it publishes to apex.run-commands, and what it refuses before sending anything.
 */
class JudgeCommandTest {
    private static Seed seed;
    private static String kafka;
    private static KafkaTestClient client;

    @BeforeAll
    static void infrastructure() {
        seed = new Seed(CliHarness.database());
        kafka = KafkaInfra.bootstrapServers();
        client = new KafkaTestClient(kafka);
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void shouldPublishTheCompletedOutputsWithTheirPromptsAndTheRubricKeyedByTheJudgingRun() {
        // given a completed run: three lanes on three prompts, a second replicate of x on p01, an error of w on
        // p01, and an output holding a control character
        seed.run("src-a", "completed", 11).prompt("p01", 1, "Write a sonnet.").prompt("p02", 2, "Write a fable.")
                .prompt("p02", 1, "Older text of p02.").prompt("p03", 1, "Write a letter.");
        for (String prompt : List.of("p01", "p03")) {
            for (String lane : List.of("x", "y", "z")) {
                seed.output("src-a", "a-" + lane + "-" + prompt, lane, prompt, 1, lane + " on " + prompt, "0.01");
            }
        }
        seed.output("src-a", "a-x-p01-r2", "x", "p01", 2, "x again on p01", "0.01")
                .generation("src-a", "w", "p01", "error", null)
                .sql("INSERT INTO apex_audition.generations (id, run_id, lane_id, prompt_id, prompt_version, replicate, "
                        + "attempt, status, output_text, updated_at) VALUES ('a-x-p02', 'src-a', 'x', 'p02', 2, 1, 1, "
                        + "'completed', 'x on p02 \u0007 bell', now()), ('a-y-p02', 'src-a', 'y', 'p02', 2, 1, 1, "
                        + "'completed', 'y on p02', now())");

        // when judged pairwise by two judges in batch mode, on the first two prompts
        CliHarness.Result result = CliHarness.apex("judge", "src-a", "--judge-lane", "judge.4o", "--judge-lane",
                "judge.sonnet", "--pairwise", "--pair-degree", "2", "--batch-mode", "--limit", "2",
                "--bootstrap-servers", kafka);

        // then the judging run's id is printed and its command published under it
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out().trim()).isEqualTo("src-a.judge-1");
        JudgingRequested command = published("src-a.judge-1").orElseThrow();
        assertThat(command.sourceRunId()).isEqualTo("src-a");
        assertThat(command.judgeConditionSlugs()).containsExactly("judge.4o", "judge.sonnet");
        assertThat(command.kind()).isEqualTo(JudgingKind.PAIRWISE);
        assertThat(command.mode()).isEqualTo(RunMode.BATCH);
        assertThat(command.pairDegree()).isEqualTo(2);
        assertThat(command.dryRun()).isFalse();
        assertThat(command.rubric()).isEqualTo(RubricConfig.load(Path.of("../config/judging/rubric.yaml")));
        // the first two prompts by id, each at the version the run used
        assertThat(command.prompts()).containsExactly(new JudgingRequested.Prompt("p01", 1, "Write a sonnet."),
                new JudgingRequested.Prompt("p02", 2, "Write a fable."));
        // one output per lane and prompt (pairwise: the lowest replicate), no error, the bell replaced
        assertThat(command.outputs()).extracting(JudgingRequested.Output::generationId)
                .containsExactly("a-x-p01", "a-y-p01", "a-z-p01", "a-x-p02", "a-y-p02");
        assertThat(command.outputs().get(3).text()).isEqualTo("x on p02 \uFFFD bell");
        assertThat(command.outputs().get(0)).isEqualTo(new JudgingRequested.Output("a-x-p01", "p01", "x", 1,
                "x on p01"));
        // p01: 3 lanes, all 3 pairs in both orders; p02: 1 pair in both orders
        assertThat(result.err()).contains("8 judge request(s) per judge lane x 2 judge lane(s) = 16",
                "Estimated judging cost at batch price");
    }

    @Test
    void shouldNumberTheJudgingRunAfterThoseRecordedAndSendEveryReplicateForRubricJudging() {
        // given a run judged before as .judge-1 and .judge-3, with two replicates of one lane
        seed.run("src-b", "completed", 3).run("src-b.judge-1", "completed", 2).run("src-b.judge-3", "rejected", 0)
                .prompt("q01", 1, "Write a haiku.")
                .output("src-b", "b-x-1", "x", "q01", 1, "first", "0.01")
                .output("src-b", "b-x-2", "x", "q01", 2, "second", "0.01")
                .output("src-b", "b-y-1", "y", "q01", 1, "third", "0.01");

        // when judged on the rubric, as a dry run, synchronously
        CliHarness.Result result = CliHarness.apex("judge", "src-b", "--judge-lane", "judge.4o", "--dry-run",
                "--created-by", "ada", "--notes", "rubric check", "--bootstrap-servers", kafka);

        // then
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out().trim()).isEqualTo("src-b.judge-4");
        JudgingRequested command = published("src-b.judge-4").orElseThrow();
        assertThat(command.kind()).isEqualTo(JudgingKind.RUBRIC);
        assertThat(command.dryRun()).isTrue();
        assertThat(command.mode()).isEqualTo(RunMode.SYNC);
        assertThat(command.createdBy()).isEqualTo("ada");
        assertThat(command.notes()).isEqualTo("rubric check");
        assertThat(command.outputs()).extracting(JudgingRequested.Output::generationId)
                .containsExactly("b-x-1", "b-x-2", "b-y-1");
    }

    @Test
    void shouldRefuseACommandOverTheSizeLimitBeforeSendingAndNameLimit() {
        // given three prompts with two outputs of 800,000 characters each: 4.8 MB of text
        seed.run("src-c", "completed", 6);
        for (String prompt : List.of("c01", "c02", "c03")) {
            seed.prompt(prompt, 1, "Write at length.");
            for (String lane : List.of("x", "y")) {
                seed.output("src-c", "c-" + lane + "-" + prompt, lane, prompt, 1, "word ".repeat(160_000), "0.01");
            }
        }

        // when
        CliHarness.Result result = CliHarness.apex("judge", "src-c", "--judge-lane", "judge.4o", "--pairwise",
                "--bootstrap-servers", kafka);

        // then refused, naming the limit and the fix; nothing printed as published, nothing on the topic
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("over the " + String.format("%,d", Topics.MAX_COMMAND_BYTES),
                "MAX_COMMAND_BYTES", "nothing was sent", "--limit N (about 2 fit)");
        assertThat(result.out()).isEmpty();
        assertThat(publishedWithin("src-c.judge-1", Duration.ofSeconds(3))).isEmpty();
        // and two prompts do fit
        assertThat(CliHarness.apex("judge", "src-c", "--judge-lane", "judge.4o", "--pairwise", "--limit", "2",
                "--bootstrap-servers", kafka).exit()).isZero();
        assertThat(published("src-c.judge-1").orElseThrow().prompts()).hasSize(2);
    }

    @Test
    void shouldTellWhatToDoWhenTheRunCannotBeJudged() {
        seed.run("src-running", "accepted", 5).output("src-running", "r-1", "x", "p01", 1, "text", "0.01");
        seed.run("src-rejected", "rejected", 0);
        seed.run("src-errors", "completed", 1).generation("src-errors", "x", "p01", "error", null);
        seed.run("src-one-lane", "completed", 1).prompt("o01", 1, "Write.")
                .output("src-one-lane", "o-1", "x", "o01", 1, "text", "0.01");

        assertThat(judge("no-such-run").err()).contains("no run 'no-such-run' is recorded", "apex status no-such-run");
        assertThat(judge("src-running").err()).contains("has not completed yet (1 of 5 generations final)",
                "apex status src-running");
        assertThat(judge("src-rejected").err()).contains("was rejected", "judge a run that completed");
        assertThat(judge("src-errors").err()).contains("has no completed output", "apex retry src-errors");
        assertThat(judge("src-one-lane", "--pairwise").err()).contains("no prompt of run src-one-lane has completed "
                + "outputs of two lanes", "leave --pairwise out");
        assertThat(judge("src-one-lane", "--run-id", "src-running").err()).contains("run id 'src-running' is taken",
                "choose another --run-id");
        assertThat(judge("no-such-run").exit()).isEqualTo(1);
    }

    @Test
    void shouldNameTheProblemsOfABadRubricFileAndTheFix(@TempDir Path dir) throws Exception {
        Path rubric = dir.resolve("rubric.yaml");
        Files.writeString(rubric, "name: broken\nscale: {min: 5, max: 1}\ninstruction: judge\nanswer_format: json\n"
                + "criteria: []\npairwise: {instruction: compare, answer_format: json}\n");

        CliHarness.Result result = judge("src-a", "--rubric", rubric.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("the rubric " + rubric, "'scale' must run from a minimum up to a larger "
                + "maximum", "'criteria' is empty", "Fix the file, or leave --rubric out");
    }

    private static CliHarness.Result judge(String run, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("judge", run, "--judge-lane", "judge.4o",
                "--bootstrap-servers", kafka));
        args.addAll(List.of(more));
        return CliHarness.apex(args.toArray(String[]::new));
    }

    private static Optional<JudgingRequested> published(String judgingRunId) {
        return publishedWithin(judgingRunId, Duration.ofSeconds(30));
    }

    private static Optional<JudgingRequested> publishedWithin(String judgingRunId, Duration timeout) {
        List<ConsumerRecord<String, String>> records = client.readUntil(Topics.RUN_COMMANDS.name(),
                all -> all.stream().anyMatch(r -> judgingRunId.equals(r.key())), timeout);
        return records.stream().filter(r -> judgingRunId.equals(r.key()))
                .map(r -> EventJson.read(r.value(), JudgingRequested.class)).findFirst();
    }
}
