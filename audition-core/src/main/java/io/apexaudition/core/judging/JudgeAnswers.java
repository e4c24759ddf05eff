package io.apexaudition.core.judging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.core.TextChecks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a judge's answer. Judges are asked for a JSON object, and mostly give one, but often inside a ```json
 * fence or after a sentence of prose; so the object is looked for in each fence first, then after each '{' of
 * the answer, and the first that parses as a JSON object is the answer. Field names are matched case aside.
 * Whatever the text, the result is a value or a problem naming what was wrong: never an exception.
 *
 * <p>Rubric: {@code {"scores": {"imagery": 8, ...}, "rationale": "..."}}, or the scores at the top level beside the
 * rationale; a score may be a number, a number in a string, or {@code {"score": 8, ...}}; fractions are allowed
 * within the scale. Criteria the rubric does not name are ignored; the rationale is optional.
 *
 * <p>Pairwise: {@code {"winner": "A" | "B" | "tie", "margin": 1..3}}; the margin may be a word: slight (1),
 * clear (2), decisive (3) and their synonyms. A tie has margin 0 whatever is written; a win must give one.
 */
public final class JudgeAnswers {
    /** Longer than any answer a judge is asked for: beyond it the answer is refused unread. */
    public static final int MAX_ANSWER_CHARS = 100_000;
    // each start that fails is parsed to where it fails: bounded, so a text full of braces stays cheap
    private static final int MAX_OBJECT_STARTS = 32;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FENCE = Pattern.compile("```[A-Za-z]*[^\\S\\n]*\\n?(.*?)```", Pattern.DOTALL);
    private static final Map<String, Integer> MARGIN_WORDS = margins();

    private JudgeAnswers() {
    }

    /** The rubric answer in {@code answer}, with every criterion of {@code rubric} scored within its scale. */
    public static Parsed<RubricAnswer> rubric(String answer, Rubric rubric) {
        Parsed<ObjectNode> found = object(answer);
        if (!found.parsed()) {
            return Parsed.problem(found.problem());
        }
        ObjectNode object = found.value();
        JsonNode nested = field(object, "scores");
        ObjectNode scores = nested instanceof ObjectNode inner ? inner : object;
        Map<String, Double> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String criterion : rubric.criteria()) {
            JsonNode node = field(scores, criterion);
            if (node instanceof ObjectNode withScore) {
                node = field(withScore, "score");
            }
            Double score = number(node);
            if (node == null) {
                problems.add("no score for \"" + criterion + "\"");
            } else if (score == null) {
                problems.add("\"" + criterion + "\" is " + quote(node) + ", not a number");
            } else if (!(score >= rubric.min() && score <= rubric.max())) {
                problems.add(String.format(Locale.ROOT, "\"%s\" scored %s, outside the scale %d..%d", criterion,
                        quote(node), rubric.min(), rubric.max()));
            } else {
                values.put(criterion, score);
            }
        }
        if (!problems.isEmpty()) {
            return Parsed.problem("rubric answer: " + String.join("; ", problems));
        }
        JsonNode rationale = field(object, "rationale");
        return Parsed.of(new RubricAnswer(values, rationale != null && rationale.isTextual()
                ? rationale.asText() : null));
    }

    /** The pairwise verdict in {@code answer}: the position preferred and the margin. */
    public static Parsed<PairwiseAnswer> pairwise(String answer) {
        Parsed<ObjectNode> found = object(answer);
        if (!found.parsed()) {
            return Parsed.problem(found.problem());
        }
        JsonNode winnerNode = field(found.value(), "winner");
        if (winnerNode == null) {
            return Parsed.problem("pairwise answer: no \"winner\" (expected \"A\", \"B\" or \"tie\")");
        }
        String named = winnerNode.isTextual() ? winnerNode.asText().trim().toLowerCase(Locale.ROOT) : "";
        Winner winner = switch (named) {
            case "a" -> Winner.A;
            case "b" -> Winner.B;
            case "tie", "draw" -> Winner.TIE;
            default -> null;
        };
        if (winner == null) {
            return Parsed.problem("pairwise answer: \"winner\" is " + quote(winnerNode)
                    + ", expected \"A\", \"B\" or \"tie\"");
        }
        if (winner == Winner.TIE) {
            return Parsed.of(new PairwiseAnswer(Winner.TIE, 0));
        }
        JsonNode marginNode = field(found.value(), "margin");
        if (marginNode == null) {
            return Parsed.problem("pairwise answer: no \"margin\" for a win (expected 1 slight, 2 clear or "
                    + "3 decisive)");
        }
        Integer margin = margin(marginNode);
        if (margin == null) {
            return Parsed.problem("pairwise answer: \"margin\" is " + quote(marginNode)
                    + ", expected 1 (slight), 2 (clear) or 3 (decisive)");
        }
        return Parsed.of(new PairwiseAnswer(winner, margin));
    }

    private static Parsed<ObjectNode> object(String answer) {
        if (answer == null || answer.isBlank()) {
            return Parsed.problem("the answer is empty");
        }
        if (answer.length() > MAX_ANSWER_CHARS) {
            return Parsed.problem(String.format(Locale.ROOT, "the answer is %,d characters long, over the %,d a "
                    + "judge's answer may have", answer.length(), MAX_ANSWER_CHARS));
        }
        List<String> candidates = new ArrayList<>();
        Matcher fence = FENCE.matcher(answer);
        while (fence.find()) {
            candidates.add(fence.group(1));
        }
        candidates.add(answer);
        String firstError = null;
        int starts = 0;
        for (String candidate : candidates) {
            char[] chars = candidate.toCharArray();
            for (int i = candidate.indexOf('{'); i >= 0 && starts < MAX_OBJECT_STARTS;
                 i = candidate.indexOf('{', i + 1)) {
                starts++;
                try (JsonParser parser = JSON.getFactory().createParser(chars, i, chars.length - i)) {
                    JsonNode node = JSON.readTree(parser);
                    if (node instanceof ObjectNode object) {
                        return Parsed.of(object);
                    }
                } catch (IOException e) {
                    if (firstError == null) {
                        firstError = e instanceof JsonProcessingException json
                                ? json.getOriginalMessage() : e.getMessage();
                    }
                }
            }
        }
        if (firstError == null) {
            return Parsed.problem("no JSON object in the answer (no '{' in it)");
        }
        return Parsed.problem("no JSON object in the answer parses; the first attempt failed: "
                + TextChecks.printable(firstError, 200));
    }

    /** The field named {@code name}, case aside (an exact match first), or null. */
    private static JsonNode field(ObjectNode object, String name) {
        JsonNode exact = object.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static Double number(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            try {
                double value = Double.parseDouble(node.asText().trim());
                return Double.isFinite(value) ? value : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Integer margin(JsonNode node) {
        Double number = number(node);
        if (number != null) {
            boolean onTheScale = number == 1 || number == 2 || number == 3;
            return onTheScale ? Integer.valueOf(number.intValue()) : null;
        }
        return node.isTextual() ? MARGIN_WORDS.get(node.asText().trim().toLowerCase(Locale.ROOT)) : null;
    }

    private static String quote(JsonNode node) {
        return TextChecks.printable(node.toString(), 60);
    }

    private static Map<String, Integer> margins() {
        Map<String, Integer> words = new LinkedHashMap<>();
        for (String word : List.of("slight", "slightly", "small", "narrow", "marginal", "minor")) {
            words.put(word, 1);
        }
        for (String word : List.of("clear", "clearly", "moderate", "medium", "noticeable")) {
            words.put(word, 2);
        }
        for (String word : List.of("decisive", "decisively", "strong", "large", "wide", "overwhelming", "much")) {
            words.put(word, 3);
        }
        return Map.copyOf(words);
    }
}
