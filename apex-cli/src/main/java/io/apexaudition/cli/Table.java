package io.apexaudition.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.EventJson;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A query result, printable as an aligned table, CSV or JSON. */
record Table(List<String> columns, List<List<String>> rows) {

    static Table query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnLabel(i));
                }
                List<List<String>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
                return new Table(columns, rows);
            }
        }
    }

    void print(PrintStream out, String format) {
        PrintWriter writer = new PrintWriter(out);
        print(writer, format);
        writer.flush();
    }

    void print(PrintWriter out, String format) {
        switch (format) {
            case "csv" -> {
                out.println(String.join(",", columns));
                rows.forEach(r -> out.println(String.join(",", r.stream().map(Table::csv).toList())));
            }
            case "json" -> out.println(json());
            default -> {
                int[] width = new int[columns.size()];
                for (int i = 0; i < width.length; i++) {
                    width[i] = columns.get(i).length();
                    for (List<String> r : rows) {
                        width[i] = Math.min(80, Math.max(width[i], String.valueOf(r.get(i)).length()));
                    }
                }
                out.println(line(columns, width));
                for (List<String> r : rows) {
                    out.println(line(r, width));
                }
            }
        }
    }

    ArrayNode json() {
        ArrayNode array = EventJson.mapper().createArrayNode();
        for (List<String> r : rows) {
            ObjectNode o = array.addObject();
            for (int i = 0; i < columns.size(); i++) {
                o.put(columns.get(i), r.get(i));
            }
        }
        return array;
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder(" ");
        for (int i = 0; i < cells.size(); i++) {
            String v = String.valueOf(cells.get(i));
            if (v.length() > width[i]) {
                v = v.substring(0, width[i] - 3) + "...";
            }
            b.append(' ').append(String.format("%-" + width[i] + "s", v));
        }
        return b.toString();
    }

    private static String csv(String v) {
        if (v == null) {
            return "";
        }
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
