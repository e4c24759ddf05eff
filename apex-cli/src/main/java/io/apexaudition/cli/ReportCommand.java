package io.apexaudition.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.EventJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.sql.Connection;
import java.util.concurrent.Callable;

/** {@code apex report RUN_ID}: coverage per lane, tokens, cache hits, cost, and the errors. */
@Command(name = "report", description = "Report a run per lane: coverage, tokens, cache hits, cost; then its errors.")
class ReportCommand implements Callable<Integer> {
    static final String PER_LANE = """
            SELECT g.lane_id,
                   COUNT(*) AS generations,
                   COUNT(*) FILTER (WHERE g.status = 'completed') AS completed,
                   COUNT(*) FILTER (WHERE g.status = 'error') AS errors,
                   COUNT(*) FILTER (WHERE g.status = 'dry_run') AS dry_runs,
                   COALESCE(SUM(g.input_tokens), 0) AS input_tokens,
                   COALESCE(SUM(g.cached_input_tokens), 0) AS cached_input,
                   COALESCE(SUM(g.cache_write_tokens), 0) AS cache_writes,
                   COALESCE(SUM(g.output_tokens), 0) AS output_tokens,
                   COALESCE(SUM(g.reasoning_tokens), 0) AS reasoning_tokens,
                   COUNT(*) FILTER (WHERE g.cache_hit) AS cache_hits,
                   COALESCE(SUM(g.cost_usd), 0) AS cost_usd
            FROM apex_audition.generations g WHERE g.run_id = ?
            GROUP BY g.lane_id ORDER BY g.lane_id""";
    static final String ERRORS = """
            SELECT lane_id, prompt_id, attempt, error_kind, error_message
            FROM apex_audition.generations WHERE status = 'error' AND run_id = ? ORDER BY lane_id, prompt_id""";

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws Exception {
        if (!java.util.Set.of("table", "csv", "json").contains(format)) {
            System.err.println("apex: --format " + format + " is not known: use table, csv or json");
            return 2;
        }
        try (Connection c = StackSettings.fromEnvironment().connect()) {
            Table lanes = Table.query(c, PER_LANE, runId);
            if (lanes.rows().isEmpty()) {
                System.err.println("apex: run '" + runId + "' has no recorded generations: check the id with "
                        + "'apex status " + runId + "'");
                return 1;
            }
            Table errors = Table.query(c, ERRORS, runId);
            if ("json".equals(format)) {
                ObjectNode report = EventJson.mapper().createObjectNode();
                report.put("runId", runId);
                report.set("lanes", lanes.json());
                report.set("errors", errors.json());
                System.out.println(report.toPrettyString());
                return 0;
            }
            lanes.print(System.out, format);
            Table totals = Table.query(c, "SELECT COUNT(*) AS generations, COUNT(*) FILTER (WHERE status = 'completed') "
                    + "AS completed, COUNT(*) FILTER (WHERE status = 'error') AS errors, COALESCE(SUM(cost_usd), 0) "
                    + "AS cost_usd FROM apex_audition.generations WHERE run_id = ?", runId);
            if ("table".equals(format)) {
                System.out.println();
                System.out.println("Total:");
                totals.print(System.out, format);
                Table parked = Table.query(c, "SELECT consumer, source_topic, count(*) AS records FROM "
                        + "apex_audition.dead_letters GROUP BY 1, 2 ORDER BY 1, 2");
                if (!parked.rows().isEmpty()) {
                    System.out.println();
                    System.out.println("Records parked as unreadable (all runs; see apex_audition.dead_letters):");
                    parked.print(System.out, format);
                }
                if (!errors.rows().isEmpty()) {
                    System.out.println();
                    System.out.println("Errors (" + errors.rows().size() + "):");
                    errors.print(System.out, format);
                    System.out.println("Retryable errors (" + String.join(", ", RetryCommand.retryableKinds())
                            + ") can be sent again with: apex retry " + runId);
                }
            }
        }
        return 0;
    }
}
