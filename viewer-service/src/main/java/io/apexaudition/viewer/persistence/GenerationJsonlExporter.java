package io.apexaudition.viewer.persistence;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Writes a run's generations as JSON Lines: one object per generation, every column of the CSV with its type, and
 * output_text exact (a character Postgres cannot store comes back from output_text_exact, V5), streamed from the
 * database cursor.
 */
@ApplicationScoped
public class GenerationJsonlExporter {
    private final GenerationCursor cursor;
    private final ObjectMapper json;

    public GenerationJsonlExporter(GenerationCursor cursor, ObjectMapper json) {
        this.cursor = cursor;
        this.json = json;
    }

    /** Writes one line per generation of the run, in prompt, lane and replicate order. */
    public void write(String runId, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        try (JsonGenerator g = json.getFactory().createGenerator(w)) {
            // one object per line: no separator between root values but the line break written after each
            g.setRootValueSeparator(null);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            cursor.forEach(runId, "JSONL export", rs -> {
                String exact = rs.getString(GenerationCursor.COLUMNS.length + 1);
                // a JSON string literal written by the recorder; anything else would break the line: use the column
                JsonRows.write(g, rs, exact != null && exact.length() >= 2 && exact.startsWith("\"")
                        && exact.endsWith("\"") ? exact : null);
                g.writeRaw('\n');
            }, "output_text_exact");
        }
        w.flush();
    }
}
