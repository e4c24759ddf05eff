package io.apexaudition.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.cli.ApexCli;
import io.apexaudition.events.EventJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's main job, end to end: 15 lanes x 21 prompts in batch mode through the real broker, the real
 * database, the packaged services as processes and the provider simulator over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditionIT {
    private Stack stack;
    private String planner;

    @BeforeAll
    void startStack() {
        stack = new Stack();
        stack.startSimulator(Map.of()).awaitReady(Duration.ofSeconds(120));
        stack.startAll();
        planner = stack.services.get("planner").url();
        assertThat(cli("lanes", "register", "--config", "../config/creative_benchmark.yaml", "--models",
                "../config/models.yaml", "--planner-url", planner)).isZero();
        assertThat(cli("prompts", "ingest", "--config", "../config/prompts", "--planner-url", planner)).isZero();
    }

    @AfterAll
    void stopStack() {
        stack.close();
    }

    @Test
    void shouldRunAllFifteenLanesInBatchModeIntoThreeHundredFifteenCompletedRows() throws Exception {
        // when the whole audition runs in batch mode
        int exit = cli("run", "--all-lanes", "--batch-mode", "--created-by", "e2e", "--notes", "full audition",
                "--run-id", "run-full", "--wait", "--timeout", "240", "--planner-url", planner, "--bootstrap-servers",
                stack.kafka);

        // then every generation completed, and the seed's three queries say so verbatim
        assertThat(exit).isZero();
        List<String> status = rows("""
                SELECT
                  g.lane_id,
                  g.status,
                  COUNT(*) as count,
                  COUNT(*) FILTER (WHERE g.cache_hit) as cache_hits
                FROM apex_audition.generations g
                WHERE g.run_id = 'run-full'
                GROUP BY g.lane_id, g.status
                ORDER BY g.lane_id, g.status;""", 3);
        assertThat(status).hasSize(15).allMatch(r -> r.endsWith("|completed|21"));
        List<String> coverage = rows("""
                SELECT
                  c.slug as lane_id,
                  COUNT(g.id) as generations,
                  COUNT(*) FILTER (WHERE g.status = 'completed') as completed,
                  COUNT(*) FILTER (WHERE g.status = 'error') as errors
                FROM apex_audition.conditions c
                LEFT JOIN apex_audition.generations g ON c.id = g.condition_id
                GROUP BY c.slug
                ORDER BY c.slug;""", 4);
        assertThat(coverage).hasSize(15).allMatch(r -> r.endsWith("|21|21|0"));
        assertThat(rows("""
                SELECT lane_id, prompt_id, error_message
                FROM apex_audition.generations
                WHERE status = 'error' AND run_id = 'run-full';""", 3)).isEmpty();
        assertThat(rows("SELECT count(*) FROM apex_audition.generations WHERE run_id = 'run-full' AND cost_usd > 0 "
                + "AND output_tokens > 0 AND batch_id IS NOT NULL", 1)).containsExactly("315");
        assertThat(rows("SELECT status FROM apex_audition.runs WHERE id = 'run-full'", 1)).containsExactly("completed");

        // and the provider saw each request exactly once, within its rules
        JsonNode ledger = ledger();
        List<String> customIds = new ArrayList<>();
        for (JsonNode entry : ledger) {
            customIds.add(entry.path("customId").asText());
            JsonNode body = entry.path("body");
            String model = body.path("model").asText();
            if (model.equals("gpt-5") || model.equals("o3")) {
                assertThat(body.has("temperature")).as("temperature sent to %s", model).isFalse();
            }
            if (body.has("thinking")) {
                int budget = body.path("thinking").path("budget_tokens").asInt();
                int max = body.path("max_tokens").asInt();
                assertThat(budget).isLessThan(max);
                assertThat(max).isLessThanOrEqualTo(model.contains("opus") ? 32000 : 64000);
                assertThat(body.has("temperature")).isFalse();
            }
            if (body.has("temperature") && model.startsWith("claude")) {
                assertThat(body.path("temperature").asDouble()).isBetween(0.0, 1.0);
            }
        }
        assertThat(customIds).hasSize(315);
        Set<String> distinct = new HashSet<>(customIds);
        assertThat(distinct).hasSize(315);
    }

    private JsonNode ledger() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                stack.simulatorUrl + "/_sim/ledger")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return EventJson.mapper().readTree(r.body());
    }

    private List<String> rows(String sql, int columns) throws Exception {
        List<String> rows = new ArrayList<>();
        try (var c = stack.db.connect(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    cells.add(rs.getString(i));
                }
                rows.add(String.join("|", cells));
            }
        }
        return rows;
    }

    static int cli(String... args) {
        return new CommandLine(new ApexCli()).execute(args);
    }
}
