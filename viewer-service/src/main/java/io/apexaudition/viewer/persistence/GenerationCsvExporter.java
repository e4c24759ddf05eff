package io.apexaudition.viewer.persistence;

import io.apexaudition.viewer.ViewerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Writes a run's generations as CSV straight from a JDBC cursor. Plain JDBC rather than the entities: a cursor with a
 * fetch size holds one fetch of rows at a time, so a 100,000-generation run streams in constant memory, where a
 * persistence context would keep every entity it loaded.
 */
@ApplicationScoped
public class GenerationCsvExporter {
    static final String[] COLUMNS = {"id", "run_id", "lane_id", "condition_id", "prompt_id", "prompt_version",
            "replicate", "attempt", "provider", "model", "mode", "batch_id", "status", "finish_reason",
            "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens",
            "cache_hit", "cost_usd", "error_kind", "error_message", "requested_at", "completed_at", "output_text"};

    private final DataSource dataSource;
    private final ViewerConfig config;

    public GenerationCsvExporter(DataSource dataSource, ViewerConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** Writes the header and every generation of the run, in lane, prompt and replicate order. */
    public void write(String runId, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        String sql = "SELECT " + String.join(", ", COLUMNS) + " FROM apex_audition.generations WHERE run_id = ?"
                + " ORDER BY lane_id, prompt_id, replicate, id";
        try (Connection c = dataSource.getConnection()) {
            // PostgreSQL's driver only uses a cursor (honours the fetch size) inside a transaction
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(config.exportFetchSize());
                ps.setString(1, runId);
                line(w, COLUMNS);
                try (ResultSet rs = ps.executeQuery()) {
                    String[] values = new String[COLUMNS.length];
                    while (rs.next()) {
                        for (int i = 0; i < COLUMNS.length; i++) {
                            values[i] = rs.getString(i + 1);
                        }
                        line(w, values);
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            // the header may already be on the wire: the client sees a cut response, the log says why
            throw new IOException("CSV export of run " + runId + " failed: " + e.getMessage(), e);
        }
        w.flush();
    }

    private static void line(Writer w, String[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(field(values[i]));
        }
        w.write("\r\n");
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled; null is empty. */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
