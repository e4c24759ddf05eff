package io.apexaudition.events;

import java.util.ArrayList;
import java.util.List;

/**
 * What an event must hold before any consumer may act on it. JSON that parses into a record can still lack the
 * ids every consumer keys on ({@code {"type":"GenerationCompleted"}} is valid JSON); such a record is refused
 * here, once, with the missing fields named, instead of failing deep inside a projection, a tally or a
 * registry. Fields a reader may skip ({@link EventJson.Skip}) and fields an older writer may lack are not
 * required. Run commands are checked only for their shape here: the planner validates their content and
 * answers with a {@code RunRejected} that names every problem.
 */
public final class EventChecks {
    private EventChecks() {
    }

    /** Every problem of the event, empty when a consumer can act on it. */
    public static List<String> problems(ApexEvent event) {
        Problems p = new Problems();
        if (!(event instanceof RunRequested) && !(event instanceof RetryRequested)
                && !(event instanceof JudgingRequested)) {
            p.text("eventId", event.eventId());
        }
        if (event instanceof RunRequested e) {
            p.elements("conditionSlugs", e.conditionSlugs());
            p.elements("promptIds", e.promptIds());
        } else if (event instanceof RetryRequested e) {
            p.text("runId", e.runId());
            p.text("retryId", e.retryId());
            for (int i = 0; i < e.generations().size(); i++) {
                RetryRequested.Item item = e.generations().get(i);
                String at = "generations[" + i + "].";
                if (item == null) {
                    p.missing("generations[" + i + "]");
                    continue;
                }
                p.text(at + "generationId", item.generationId());
                p.text(at + "conditionId", item.conditionId());
                p.text(at + "conditionSlug", item.conditionSlug());
                p.text(at + "promptId", item.promptId());
                p.atLeast(at + "attempt", item.attempt(), 1);
            }
        } else if (event instanceof JudgingRequested e) {
            p.text("runId", e.runId());
            p.text("sourceRunId", e.sourceRunId());
            p.elements("judgeConditionSlugs", e.judgeConditionSlugs());
            p.present("rubric", e.rubric());
            for (int i = 0; i < e.outputs().size(); i++) {
                JudgingRequested.Output output = e.outputs().get(i);
                if (output == null) {
                    p.missing("outputs[" + i + "]");
                    continue;
                }
                p.text("outputs[" + i + "].generationId", output.generationId());
                p.text("outputs[" + i + "].promptId", output.promptId());
                p.text("outputs[" + i + "].laneSlug", output.laneSlug());
                p.present("outputs[" + i + "].text", output.text());
            }
            for (int i = 0; i < e.prompts().size(); i++) {
                JudgingRequested.Prompt prompt = e.prompts().get(i);
                if (prompt == null) {
                    p.missing("prompts[" + i + "]");
                    continue;
                }
                p.text("prompts[" + i + "].promptId", prompt.promptId());
                p.present("prompts[" + i + "].text", prompt.text());
            }
        } else if (event instanceof LaneRegistered e) {
            p.text("conditionId", e.conditionId());
            p.text("slug", e.slug());
            p.text("provider", e.provider());
            p.text("model", e.model());
            p.present("parameters", e.parameters());
            p.atLeast("version", e.version(), 1);
        } else if (event instanceof PromptIngested e) {
            p.text("promptId", e.promptId());
            p.present("text", e.text());
            p.atLeast("version", e.version(), 1);
        } else if (event instanceof RunAccepted e) {
            p.text("runId", e.runId());
            p.present("mode", e.mode());
            p.atLeast("expectedGenerations", e.expectedGenerations(), 0);
            for (int i = 0; i < e.lanes().size(); i++) {
                PlannedLane lane = e.lanes().get(i);
                if (lane == null) {
                    p.missing("lanes[" + i + "]");
                    continue;
                }
                p.text("lanes[" + i + "].slug", lane.slug());
                p.text("lanes[" + i + "].provider", lane.provider());
                p.atLeast("lanes[" + i + "].expectedGenerations", lane.expectedGenerations(), 0);
            }
            p.elements("promptIds", e.promptIds());
        } else if (event instanceof RunRejected e) {
            p.text("runId", e.runId());
        } else if (event instanceof GenerationRequested e) {
            requestShared(p, e.runId(), e.attempt(), e.conditionId(), e.conditionSlug(), e.provider(), e.model(),
                    e.apiModelId(), e.parameters(), e.mode(), e.laneGenerations());
            requestOwn(p, "", e.generationId(), e.promptId(), e.promptText(), e.promptVersion(), e.judging());
        } else if (event instanceof LaneGroupRequested e) {
            requestShared(p, e.runId(), e.attempt(), e.conditionId(), e.conditionSlug(), e.provider(), e.model(),
                    e.apiModelId(), e.parameters(), e.mode(), e.laneGenerations());
            if (e.generations().isEmpty()) {
                p.missing("generations");
            }
            for (int i = 0; i < e.generations().size(); i++) {
                LaneGroupRequested.Item item = e.generations().get(i);
                if (item == null) {
                    p.missing("generations[" + i + "]");
                    continue;
                }
                requestOwn(p, "generations[" + i + "].", item.generationId(), item.promptId(), item.promptText(),
                        item.promptVersion(), item.judging());
                p.text("generations[" + i + "].eventId", item.eventId());
            }
        } else if (event instanceof DispatchIntended e) {
            p.text("intentId", e.intentId());
            p.text("provider", e.provider());
            p.text("runId", e.runId());
            p.present("kind", e.kind());
            p.elements("customIds", e.customIds());
        } else if (event instanceof BatchSubmitted e) {
            p.text("batchId", e.batchId());
            p.text("provider", e.provider());
            p.text("runId", e.runId());
            p.text("intentId", e.intentId());
            for (int i = 0; i < e.entries().size(); i++) {
                BatchEntry entry = e.entries().get(i);
                if (entry == null) {
                    p.missing("entries[" + i + "]");
                    continue;
                }
                p.text("entries[" + i + "].customId", entry.customId());
                p.text("entries[" + i + "].generationId", entry.generationId());
                p.atLeast("entries[" + i + "].attempt", entry.attempt(), 1);
            }
        } else if (event instanceof DispatchSettled e) {
            p.text("intentId", e.intentId());
            p.text("provider", e.provider());
        } else if (event instanceof BatchStatusChanged e) {
            p.text("batchId", e.batchId());
            p.text("provider", e.provider());
            p.text("status", e.status());
        } else if (event instanceof GenerationCompleted e) {
            p.text("runId", e.runId());
            p.text("generationId", e.generationId());
            p.atLeast("attempt", e.attempt(), 1);
            p.text("conditionSlug", e.conditionSlug());
            p.present("status", e.status());
        } else if (event instanceof RequestBodyStored e) {
            p.text("bodyHash", e.bodyHash());
            p.present("body", e.body());
            if (e.isCut()) {
                // the whole body is checked where it is put back together (the viewer), as only there is the text
                // at hand; here what would put it back wrong is refused
                if (!isSha256Hex(e.textHash())) {
                    p.list.add("textHash is not a SHA-256 in lower-case hex");
                }
                if (e.textAt() == null || e.body() != null && (e.textAt() < 0 || e.textAt() > e.body().length())) {
                    p.list.add("textAt must be a char offset within body");
                } else if (e.body() != null && e.body().codePointCount(0, e.textAt()) != e.textAt()) {
                    // Java counts UTF-16 chars and Postgres code points: with a surrogate pair before the text the
                    // two would put it back in different places (a dispatcher never cuts such a body)
                    p.list.add("textAt follows a surrogate pair: such a body is stored whole");
                }
            } else if (e.textAt() != null) {
                p.list.add("textAt without textHash");
            } else if (e.body() != null && e.bodyHash() != null && !e.bodyHash().equals(RequestBodyStored.hashOf(e.body()))) {
                // a body under another body's hash would show the wrong request for every generation naming it
                p.list.add("bodyHash is not the SHA-256 of body");
            }
        } else if (event instanceof LongTextStored e) {
            p.text("textHash", e.textHash());
            p.present("escapedText", e.escapedText());
            if (e.escapedText() != null && e.textHash() != null
                    && !e.textHash().equals(RequestBodyStored.hashOf(e.escapedText()))) {
                // a text under another text's hash would put the wrong context into every body naming it
                p.list.add("textHash is not the SHA-256 of escapedText");
            }
        } else if (event instanceof RunCompleted e) {
            p.text("runId", e.runId());
        } else if (event instanceof DeadLettered e) {
            p.text("sourceTopic", e.sourceTopic());
        } else if (event instanceof VerdictRecorded e) {
            p.text("runId", e.runId());
            p.text("verdictId", e.verdictId());
            p.text("promptId", e.promptId());
            p.present("kind", e.kind());
            if (e.kind() == VerdictRecorded.Kind.PAIRWISE) {
                p.text("generationA", e.generationA());
                p.text("generationB", e.generationB());
                p.present("winner", e.winner());
            } else if (e.kind() == VerdictRecorded.Kind.RANKING) {
                p.atLeast("ranking's size", e.ranking().size(), 2);
                p.elements("ranking", e.ranking());
            }
        }
        return p.list;
    }

    private static boolean isSha256Hex(String text) {
        if (text == null || text.length() != 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** What every request of a lane group shares: a single request's, or a lane group record's once. */
    private static void requestShared(Problems p, String runId, int attempt, String conditionId, String conditionSlug,
                                      String provider, String model, String apiModelId, LaneParameters parameters,
                                      RunMode mode, int laneGenerations) {
        p.text("runId", runId);
        p.atLeast("attempt", attempt, 1);
        p.text("conditionId", conditionId);
        p.text("conditionSlug", conditionSlug);
        p.text("provider", provider);
        p.text("model", model);
        p.text("apiModelId", apiModelId);
        p.present("parameters", parameters);
        p.present("mode", mode);
        p.atLeast("laneGenerations", laneGenerations, 1);
    }

    /** What is a request's own, named under {@code at}. */
    private static void requestOwn(Problems p, String at, String generationId, String promptId, String promptText,
                                   int promptVersion, JudgeSubject judging) {
        p.text(at + "generationId", generationId);
        p.text(at + "promptId", promptId);
        if (promptText == null) {
            // by reference: the version names the texts in apex.prompts
            p.atLeast(at + "promptVersion", promptVersion, 1);
        }
        if (judging != null) {
            p.present(at + "judging.kind", judging.kind());
            p.text(at + "judging.sourceRunId", judging.sourceRunId());
            p.text(at + "judging.promptId", judging.promptId());
            p.text(at + "judging.generationIdA", judging.generationIdA());
            p.text(at + "judging.laneA", judging.laneA());
            if (judging.kind() == JudgingKind.PAIRWISE) {
                p.text(at + "judging.generationIdB", judging.generationIdB());
                p.text(at + "judging.laneB", judging.laneB());
            }
        }
    }

    /** Collects problems in the order the fields are checked. */
    private static final class Problems {
        private final List<String> list = new ArrayList<>();

        void text(String field, String value) {
            if (value == null || value.isBlank()) {
                missing(field);
            }
        }

        void present(String field, Object value) {
            if (value == null) {
                missing(field);
            }
        }

        void atLeast(String field, long value, long min) {
            if (value < min) {
                list.add(field + " is " + value + ", expected at least " + min);
            }
        }

        void elements(String field, List<String> values) {
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) == null || values.get(i).isBlank()) {
                    missing(field + "[" + i + "]");
                }
            }
        }

        void missing(String field) {
            list.add(field + " is missing");
        }
    }
}
