package io.apexaudition.e2e;

import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.Providers;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaTestClient;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dry-run command for one lane x 3 prompts flows planner -> dispatcher -> recorder through the real broker
 * and lands as 3 rows in Postgres. Each hop is a separate process: cut any and no row appears.
 */
class WalkingSkeletonIT {

    @Test
    void shouldLandADryRunOfOneLaneAndThreePromptsAsThreeGenerationRows() throws Exception {
        try (Stack stack = new Stack(); KafkaTestClient kafka = new KafkaTestClient(stack.kafka)) {
            // given a registered lane and three prompts (before the planner starts, so its stores hold them)
            Instant now = Instant.now();
            kafka.publish(Topics.LANES.name(), new LaneRegistered("e-lane", 1, now, "cond-skeleton-4o", "4o.t0-8", 1,
                    Providers.OPENAI, "gpt-4o", "gpt-4o", new LaneParameters(0.8, 6000, null, null, null), "hash",
                    "GPT-4o T=0.8"));
            for (int i = 1; i <= 3; i++) {
                kafka.publish(Topics.PROMPTS.name(), new PromptIngested("e-p" + i, 1, now, "skeleton-p" + i, 1,
                        "h" + i, "Prompt " + i, "poem", "Write skeleton piece " + i, null));
            }
            stack.startAll();

            // when a dry-run command is published to the public topic
            kafka.publishRaw(Topics.RUN_COMMANDS.name(), "run-skeleton", """
                    {"runId":"run-skeleton","conditionSlugs":["4o.t0-8"],"dryRun":true,"createdBy":"e2e",
                     "notes":"walking skeleton"}""");

            // then three generation rows, recorded as dry runs with the exact body that would have been sent
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> rows(stack, "SELECT status FROM apex_audition.generations WHERE run_id = "
                            + "'run-skeleton' AND status = 'dry_run'").size() == 3);
            assertThat(rows(stack, "SELECT status FROM apex_audition.generations WHERE run_id = 'run-skeleton'"))
                    .containsExactly("dry_run", "dry_run", "dry_run");
            // the body is stored once under its hash (apex.request-bodies) and joined back by the view
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(stack, "SELECT request_body FROM "
                    + "apex_audition.generation_requests WHERE run_id = 'run-skeleton' AND request_body IS NOT NULL")
                    .size() == 3);
            assertThat(rows(stack, "SELECT request_body FROM apex_audition.generation_requests WHERE run_id = "
                    + "'run-skeleton'"))
                    .allMatch(body -> body.contains("\"temperature\":0.8") && body.contains("\"max_tokens\":6000"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(rows(stack, "SELECT status || '/' "
                    + "|| created_by || '/' || expected_generations || '/' || dry_run_count FROM apex_audition.runs "
                    + "WHERE id = 'run-skeleton'")).containsExactly("completed/e2e/3/3"));
        }
    }

    static List<String> rows(Stack stack, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = stack.db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        } catch (java.sql.SQLException e) {
            if (!e.getMessage().contains("does not exist")) {
                throw e;
            }
        }
        return rows;
    }
}
