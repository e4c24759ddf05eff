package io.apexaudition.viewer.persistence;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Writes a run's generations as CSV (RFC 4180), streamed from the database cursor. */
@ApplicationScoped
public class GenerationCsvExporter {
    private final GenerationCursor cursor;

    public GenerationCsvExporter(GenerationCursor cursor) {
        this.cursor = cursor;
    }

    /** Writes the header and every generation of the run, in prompt, lane and replicate order. */
    public void write(String runId, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        String[] columns = GenerationCursor.COLUMNS;
        line(w, columns);
        String[] values = new String[columns.length];
        cursor.forEach(runId, "CSV export", rs -> {
            for (int i = 0; i < columns.length; i++) {
                values[i] = rs.getString(i + 1);
            }
            line(w, values);
        });
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
