package io.apexaudition.recorder.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.JudgeSubject;
import io.apexaudition.recorder.JudgeEvents;
import io.apexaudition.recorder.persistence.ProjectionRepository;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A judgment and a writing diagnosis do not depend on the order the recorder reads the topics in: a judge request,
 * its submissions, its answers (one unreadable, then a retry's), an ordinary generation and its prompt, read in any
 * interleaving that keeps each partition's order and stored in batches cut anywhere (as a rebuild reads them), end
 * in the same rows as read one by one in the order they happened. Against a real Postgres with the real schema.
 */
class JudgingOrderPropertyTest {
    private static final AtomicInteger TRY = new AtomicInteger();
    private static PGSimpleDataSource dataSource;

    @BeforeContainer
    static void migrate() {
        dataSource = MigratedDatabase.fresh();
    }

    @Property(tries = 60, seed = "20261201")
    void shouldEndInTheSameJudgmentsAndDiagnosticsWhateverOrderTheTopicsAreReadIn(@ForAll long order,
            @ForAll boolean rubric, @ForAll boolean firstAnswerUnreadable, @ForAll boolean retryCarriesTheSubject,
            @ForAll boolean lastAnswerArrived) throws Exception {
        // given the events of a judge request and of an ordinary generation, partition by partition
        int n = TRY.incrementAndGet();
        String promptId = "p-order-" + n;
        JudgeSubject subject = rubric ? JudgeEvents.rubric("run-src-order", promptId)
                : JudgeEvents.pairwise("run-src-order", promptId);
        GenerationRequested judge = JudgeEvents.judgeRequest("run-order-" + n, promptId, 1, subject);
        GenerationRequested ordinary = JudgeEvents.request("run-order-src-" + n, promptId);
        String good = rubric ? "{\"scores\": {\"imagery\": 7, \"voice\": 9, \"structure\": 8}, \"rationale\": \"fine\"}"
                : "{\"winner\": \"A\", \"margin\": 1}";
        List<List<ApexEvent>> partitions = new ArrayList<>();
        partitions.add(List.of(JudgeEvents.prompt(promptId, "Write about 40 words on a lighthouse.")));
        partitions.add(List.of(ordinary));
        partitions.add(List.of(JudgeEvents.answered(ordinary, 1, "The lamp turns, the lamp turns; ships pass.")));
        partitions.add(List.of(JudgeEvents.submitted(judge, 1)));
        if (firstAnswerUnreadable) {
            GenerationRequested retry = new GenerationRequested("retry-" + judge.eventId(), 1,
                    judge.occurredAt().plusSeconds(100), judge.runId(), judge.generationId(), 2, judge.conditionId(),
                    judge.conditionSlug(), judge.provider(), judge.model(), judge.apiModelId(), judge.parameters(),
                    judge.promptId(), 1, judge.promptText(), null, 1, judge.mode(), false, false, true, 1,
                    retryCarriesTheSubject ? subject : null);
            partitions.add(List.of(judge, retry));
            partitions.add(List.of(JudgeEvents.submitted(judge, 2)));
            GenerationCompleted unreadable = JudgeEvents.answered(judge, 1, "{\"winner\": \"C\"} or so");
            partitions.add(lastAnswerArrived ? List.of(unreadable, JudgeEvents.answered(judge, 2, good))
                    : List.of(unreadable));
        } else {
            partitions.add(List.of(judge));
            partitions.add(lastAnswerArrived ? List.of(JudgeEvents.answered(judge, 1, good)) : List.of());
        }
        List<String> ids = List.of(judge.generationId(), ordinary.generationId());

        // when they are recorded one by one as they happened, and then, from empty tables, as a rebuild may read them
        for (ApexEvent e : inTheOrderTheyHappened(partitions)) {
            repository().record(List.of(e));
        }
        List<String> live = rows(ids, lastAnswerArrived);
        clear(ids, promptId);
        for (List<ApexEvent> batch : Interleaving.interleaved(partitions, new Random(order), 3)) {
            repository().record(batch);
        }

        // then the rows are the same, and the judgment is read from the last answer (pending while it is awaited)
        assertThat(rows(ids, lastAnswerArrived)).isEqualTo(live);
        assertThat(live).anyMatch(row -> row.contains(lastAnswerArrived ? ",judged," : ",pending,"));
    }

    private static ProjectionRepository repository() {
        return new ProjectionRepository(dataSource);
    }

    /** Partitions are listed in the order their events happened: the prompt, the requests, submissions, answers. */
    private static List<ApexEvent> inTheOrderTheyHappened(List<List<ApexEvent>> partitions) {
        List<ApexEvent> all = new ArrayList<>();
        partitions.forEach(all::addAll);
        all.sort(java.util.Comparator.comparing(ApexEvent::occurredAt));
        return all;
    }

    /**
     * The judgments, the generations' statuses and diagnostics, and the attempts. While a retry is awaited (the last
     * answer not in), the generation's previous output and error are left out: whether they are still shown depends
     * on whether the previous answer was recorded before the retry's request (an older attempt's result is ignored),
     * a trait of the generations projection that the judgment does not inherit.
     */
    private static List<String> rows(List<String> ids, boolean settled) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("""
                SELECT t::text FROM apex_audition.judgments t WHERE generation_id = ANY (?)
                UNION ALL
                SELECT (id, status, attempt, words, length_ratio, repetition, refusal, updated_at,
                        CASE WHEN ? THEN (error_kind, error_message, output_text)::text END)::text
                FROM apex_audition.generations WHERE id = ANY (?)
                UNION ALL
                SELECT t::text FROM apex_audition.generation_attempts t WHERE generation_id = ANY (?)
                ORDER BY 1""")) {
            p.setArray(1, c.createArrayOf("text", ids.toArray()));
            p.setBoolean(2, settled);
            p.setArray(3, c.createArrayOf("text", ids.toArray()));
            p.setArray(4, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }

    private static void clear(List<String> ids, String promptId) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            for (String sql : List.of("DELETE FROM apex_audition.judgments WHERE generation_id = ANY (?)",
                    "DELETE FROM apex_audition.generations WHERE id = ANY (?)",
                    "DELETE FROM apex_audition.generation_attempts WHERE generation_id = ANY (?)")) {
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    p.setArray(1, c.createArrayOf("text", ids.toArray()));
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM apex_audition.prompts WHERE id = ?")) {
                p.setString(1, promptId);
                p.executeUpdate();
            }
        }
    }
}
