package io.apexaudition.planner.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.JudgingRequested;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.planner.domain.Fixtures;
import io.apexaudition.planner.domain.JudgingFixtures;
import io.apexaudition.planner.domain.RunPlanner;
import io.apexaudition.testsupport.HostileRecords;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.apexaudition.planner.domain.JudgingFixtures.FIFTEEN_LANES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever judging command is published, the planner plans it or refuses it, never sends a judge request of a run
 * it did not accept (and then exactly as many as it announced), and plans the next command.
 */
class JudgingCommandPropertyTest {
    private PlannerDriver planner;
    private int next;

    @BeforeProperty
    void start() {
        planner = new PlannerDriver("planner-judging-property", RunPlanner.Caps.DEFAULT,
                JudgingFixtures.sourceRuns()).with(Fixtures.gpt5Min(), JudgingFixtures.judge4o(),
                JudgingFixtures.judgeSonnet(), Fixtures.prompt(1));
    }

    @AfterProperty
    void stop() {
        planner.close();
    }

    /** Hostile records of the command's shape, and valid commands with some fields replaced by hostile values. */
    @Provide
    Arbitrary<String> judgingCommands() {
        Arbitrary<String> spoiled = Combinators.combine(Arbitraries.of(JudgingKind.values()),
                        HostileRecords.event(JudgingRequested.class), Arbitraries.longs(), Arbitraries.longs(),
                        Arbitraries.longs())
                .as((kind, hostile, a, b, c) -> spoil(kind, hostile, a & b & c));
        return Arbitraries.frequencyOf(Tuple.of(1, HostileRecords.texts(JudgingRequested.class)), Tuple.of(3, spoiled));
    }

    /** A valid command (a run id of its own) with the fields the mask picks taken from {@code hostile}. */
    private String spoil(JudgingKind kind, ObjectNode hostile, long mask) {
        JudgingRequested valid = JudgingFixtures.command("run-src.judge-p" + next++, kind,
                FIFTEEN_LANES.subList(0, 3), 2);
        ObjectNode node = EventJson.mapper().valueToTree(valid);
        node.put("type", "JudgingRequested");
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        for (int i = 0; i < fields.size(); i++) {
            if ((mask >>> i & 1) == 1) {
                JsonNode value = hostile.get(fields.get(i));
                if (value == null) {
                    node.remove(fields.get(i));
                } else {
                    node.set(fields.get(i), value);
                }
            }
        }
        return node.toString();
    }

    @Property(tries = 150, seed = "20261201")
    void shouldNeverCrashAndNeverSendAJudgeRequestOfARunItDidNotAccept(@ForAll("judgingCommands") String command) {
        // given any judging command, keyed by the run id it names (a key of its own when it names none)
        String key = runId(command);

        // when it is published (piping it must not throw)
        planner.commands.pipeInput(key, command);

        // then each judge request belongs to a run accepted with it, and each accepted run gets what it announced
        Map<String, Integer> announced = new HashMap<>();
        for (String value : planner.runs.readValuesToList()) {
            if (EventJson.read(value) instanceof RunAccepted accepted) {
                announced.put(accepted.runId(), accepted.expectedGenerations());
            }
        }
        Map<String, Integer> sent = new HashMap<>();
        List<String> requests = new ArrayList<>(planner.openai.readValuesToList());
        requests.addAll(planner.anthropic.readValuesToList());
        for (String value : requests) {
            // readable as the dispatchers read them: EventChecks holds for the request and its JudgeSubject
            GenerationRequested request = EventJson.read(value, GenerationRequested.class);
            assertThat(request.judging()).isNotNull();
            sent.merge(request.runId(), 1, Integer::sum);
        }
        assertThat(sent).isEqualTo(announced);
        Statistics.collect(announced.isEmpty() ? "refused or parked" : "accepted");

        // and the next valid command is planned
        String runId = "run-next-" + next++;
        planner.commands.pipeInput(runId, "{\"runId\":\"" + runId + "\",\"conditionSlugs\":[\"gpt5.reason-min\"],"
                + "\"dryRun\":true}");
        assertThat(planner.runs.readValuesToList()).anySatisfy(v -> assertThat(EventJson.read(v))
                .isInstanceOfSatisfying(RunAccepted.class, a -> assertThat(a.runId()).isEqualTo(runId)));
        planner.openai.readValuesToList();
    }

    private static String runId(String command) {
        try {
            JsonNode runId = EventJson.mapper().readTree(command).get("runId");
            if (runId != null && runId.isTextual()) {
                return runId.asText();
            }
        } catch (Exception e) {
            // not JSON: keyed by nothing the command says
        }
        return "key-of-unreadable";
    }
}
