package io.apexaudition.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.sql.Connection;
import java.util.concurrent.Callable;

/** {@code apex status RUN_ID}: the run, its lanes by status (the seed's "Check Batch Status"), its batches. */
@Command(name = "status", description = "Show a run: its verdict, each lane's generations by status, its batches.")
class StatusCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Override
    public Integer call() throws Exception {
        try (Connection c = StackSettings.fromEnvironment().connect()) {
            Table run = Table.query(c, "SELECT id, status, mode, dry_run, created_by, notes, expected_generations AS "
                    + "expected, completed_count AS completed, error_count AS errors, cost_usd, reason "
                    + "FROM apex_audition.runs WHERE id = ?", runId);
            if (run.rows().isEmpty()) {
                System.err.println("apex: no run '" + runId + "' is recorded (yet). If you just published it, wait a "
                        + "moment; otherwise check the id (SELECT id FROM apex_audition.runs).");
                return 1;
            }
            run.print(System.out, "table");
            System.out.println();
            System.out.println("Generations by lane and status:");
            Table.query(c, """
                    SELECT g.lane_id, g.status, COUNT(*) as count, COUNT(*) FILTER (WHERE g.cache_hit) as cache_hits
                    FROM apex_audition.generations g WHERE g.run_id = ?
                    GROUP BY g.lane_id, g.status ORDER BY g.lane_id, g.status""", runId).print(System.out, "table");
            Table batches = Table.query(c, "SELECT id AS batch_id, provider, model, status, request_count AS requests, "
                    + "request_counts::text AS counts, submitted_at FROM apex_audition.batches WHERE run_id = ? "
                    + "ORDER BY submitted_at", runId);
            if (!batches.rows().isEmpty()) {
                System.out.println();
                System.out.println("Batches:");
                batches.print(System.out, "table");
            }
        }
        return 0;
    }
}
