package io.apexaudition.e2e;

import io.apexaudition.cli.ApexCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * `apex lanes register` and `apex prompts ingest` against the running planner and recorder: the 15 shipped lanes
 * and 21 prompts land in apex_audition.conditions and apex_audition.prompts, and doing it again adds nothing.
 */
class RegistrationIT {

    @Test
    void shouldRecordFifteenLanesAndTwentyOnePromptsOnceEvenWhenRegisteredTwice() throws Exception {
        try (Stack stack = new Stack()) {
            stack.start("recorder", "recorder-service", java.util.Map.of());
            String planner = stack.start("planner", "planner-service", java.util.Map.of()).url();
            stack.services.values().forEach(s -> s.awaitReady(Duration.ofSeconds(120)));

            for (int round = 1; round <= 2; round++) {
                assertThat(cli("lanes", "register", "--config", "../config/creative_benchmark.yaml",
                        "--models", "../config/models.yaml", "--planner-url", planner)).isZero();
                assertThat(cli("prompts", "ingest", "--config", "../config/prompts", "--planner-url", planner)).isZero();

                await().atMost(Duration.ofSeconds(60)).until(() ->
                        WalkingSkeletonIT.rows(stack, "SELECT slug FROM apex_audition.conditions").size() == 15
                                && WalkingSkeletonIT.rows(stack, "SELECT id FROM apex_audition.prompts").size() == 21);
            }
            Thread.sleep(2000); // anything a second round had published would have been recorded by now
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT slug FROM apex_audition.conditions ORDER BY slug"))
                    .hasSize(15).contains("gpt5.reason-min", "sonnet.t1-0.ext", "opus.t1-0.ext", "4o.t1-0");
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT id FROM apex_audition.prompts")).hasSize(21);
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT parameters::text FROM apex_audition.conditions "
                    + "WHERE slug LIKE 'gpt5.%' OR slug LIKE 'o3.%'")).hasSize(6).noneMatch(p -> p.contains("temperature"));
        }
    }

    @Test
    void shouldRefuseTheSeedsLanesAsWrittenInADryRun() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new ApexCli()).setErr(new PrintWriter(err)).execute("lanes", "register",
                "--dry-run", "--config", "../config/seed_lanes_as_written.yaml", "--models", "../config/models.yaml");

        assertThat(exit).isNotZero();
    }

    private static int cli(String... args) {
        return new CommandLine(new ApexCli()).execute(args);
    }
}
