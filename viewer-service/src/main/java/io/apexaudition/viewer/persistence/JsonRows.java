package io.apexaudition.viewer.persistence;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** A generation row of the cursor as a JSON object with typed values: numbers, booleans, ISO-8601 times, text. */
final class JsonRows {

    private JsonRows() {
    }

    /**
     * Writes the row's {@link GenerationCursor#COLUMNS} as one object. {@code exactOutput}, when given, is a JSON
     * string literal to write as output_text instead of the column (see V5: the exact output when the text column had
     * characters Postgres cannot store replaced).
     */
    static void write(JsonGenerator g, ResultSet rs, String exactOutput) throws IOException, SQLException {
        g.writeStartObject();
        for (int i = 1; i <= GenerationCursor.COLUMNS.length; i++) {
            String name = GenerationCursor.COLUMNS[i - 1];
            g.writeFieldName(name);
            if ("output_text".equals(name) && exactOutput != null) {
                g.writeRawValue(exactOutput);
                continue;
            }
            // the driver's own types: bigint and integer as Long and Integer, numeric as BigDecimal, timestamptz as
            // Timestamp (read again with its offset), boolean as Boolean, text as String
            Object value = rs.getObject(i);
            if (value == null) {
                g.writeNull();
            } else if (value instanceof BigDecimal d) {
                g.writeNumber(d);
            } else if (value instanceof Number n) {
                g.writeNumber(n.longValue());
            } else if (value instanceof Boolean b) {
                g.writeBoolean(b);
            } else if (value instanceof Timestamp) {
                g.writeString(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(rs.getObject(i, OffsetDateTime.class)));
            } else {
                g.writeString(value.toString());
            }
        }
        g.writeEndObject();
    }
}
