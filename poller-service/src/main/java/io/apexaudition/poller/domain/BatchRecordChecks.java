package io.apexaudition.poller.domain;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.Providers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the poller needs of a record of {@code apex.batches} or {@code apex.batch-status} before it follows it: a
 * record that parses can still lack what the poller polls by (the batch id, a provider it knows) or what its
 * results are keyed and matched by (the run, each entry's custom id, generation, attempt and lane). Such a record
 * is parked with these problems named instead of failing inside the poll loop.
 */
public final class BatchRecordChecks {
    private BatchRecordChecks() {
    }

    /** Every problem of the record for the poller; empty when it can follow it. */
    public static List<String> problems(ApexEvent event) {
        List<String> problems = new ArrayList<>();
        if (event instanceof BatchSubmitted b) {
            text(problems, "batchId", b.batchId());
            if (b.provider() == null) {
                problems.add("provider is missing");
            } else if (!Providers.ALL.contains(b.provider())) {
                problems.add("provider '" + b.provider() + "' is not one of " + Providers.ALL);
            }
            text(problems, "runId", b.runId());
            if (b.entries().isEmpty()) {
                problems.add("entries is empty");
            }
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < b.entries().size(); i++) {
                BatchEntry e = b.entries().get(i);
                String at = "entries[" + i + "]";
                if (e == null) {
                    problems.add(at + " is missing");
                    continue;
                }
                text(problems, at + ".customId", e.customId());
                text(problems, at + ".generationId", e.generationId());
                text(problems, at + ".conditionSlug", e.conditionSlug());
                if (e.attempt() < 1) {
                    problems.add(at + ".attempt is " + e.attempt() + ", expected at least 1");
                }
                Integer first = e.customId() == null ? null : seen.putIfAbsent(e.customId(), i);
                if (first != null) {
                    problems.add(at + ".customId '" + e.customId() + "' repeats entries[" + first + "]'s");
                }
            }
        } else if (event instanceof BatchStatusChanged s) {
            text(problems, "batchId", s.batchId());
        }
        return problems;
    }

    private static void text(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is missing");
        }
    }
}
