package io.apexaudition.viewer.persistence;

import io.apexaudition.viewer.ViewerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Streams a run's generations from a JDBC cursor, for the exports. Plain JDBC rather than the entities: a cursor
 * with a fetch size holds one fetch of rows at a time, so a 100,000-generation run streams in constant memory, where
 * a persistence context would keep every entity it loaded. Rows come in prompt, lane and replicate order, the order
 * of the generations_run_prompt index (V7), so the database streams them as it reads them, without sorting the run
 * (and its outputs) first.
 */
@ApplicationScoped
public class GenerationCursor {
    /** Every column an export writes, in its order: all but the request body (the lane's request, ~9 KB). */
    public static final String[] COLUMNS = {"id", "run_id", "lane_id", "condition_id", "prompt_id", "prompt_version",
            "replicate", "attempt", "provider", "model", "mode", "batch_id", "status", "finish_reason",
            "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens",
            "cache_hit", "cost_usd", "error_kind", "error_message", "requested_at", "completed_at", "output_text"};

    /** What an export does with each row, the result set positioned on it. */
    @FunctionalInterface
    public interface RowHandler {
        void row(ResultSet row) throws IOException, SQLException;
    }

    private final DataSource dataSource;
    private final ViewerConfig config;

    public GenerationCursor(DataSource dataSource, ViewerConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** Calls the handler for each generation of the run, selecting {@link #COLUMNS} and then {@code extra} columns. */
    public void forEach(String runId, String what, RowHandler handler, String... extra) throws IOException {
        String sql = "SELECT " + String.join(", ", COLUMNS) + (extra.length == 0 ? "" : ", " + String.join(", ", extra))
                + " FROM apex_audition.generations WHERE run_id = ? ORDER BY prompt_id, lane_id, replicate, id";
        try (Connection c = dataSource.getConnection()) {
            // PostgreSQL's driver only uses a cursor (honours the fetch size) inside a transaction
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(config.exportFetchSize());
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        handler.row(rs);
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            // the first bytes may already be on the wire: the client sees a cut response, the log says why
            throw new IOException(what + " of run " + runId + " failed: " + e.getMessage(), e);
        }
    }
}
