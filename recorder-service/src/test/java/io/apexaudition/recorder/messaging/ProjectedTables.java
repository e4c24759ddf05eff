package io.apexaudition.recorder.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.recorder.persistence.ProjectionRepository;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every projected table's rows, to compare two ways of recording the same events row for row. */
final class ProjectedTables {
    static final List<String> TABLES = List.of("runs", "conditions", "prompts", "batches", "generations",
            "dead_letters", "dispatch_intents", "generation_attempts", "verdicts", "judgments", "request_bodies", "long_texts");

    private ProjectedTables() {
    }

    /** Each table's rows as text, in order. */
    static Map<String, List<String>> of(DataSource dataSource) throws SQLException {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT t::text FROM apex_audition." + table + " t ORDER BY 1")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
                tables.put(table, rows);
            }
        }
        return tables;
    }

    /** Empties the tables and records the partitions' events one by one in the order they happened. */
    static void recordAsHappened(ProjectionRepository repository, List<List<ApexEvent>> partitions)
            throws SQLException {
        repository.truncateAll();
        List<ApexEvent> happened = new ArrayList<>();
        partitions.forEach(happened::addAll);
        happened.sort(Comparator.comparing(ApexEvent::occurredAt));
        for (ApexEvent e : happened) {
            repository.record(List.of(e));
        }
    }
}
