package io.apexaudition.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.core.judging.CriterionSummary;
import io.apexaudition.core.judging.JudgeAgreement;
import io.apexaudition.core.judging.LaneRating;
import io.apexaudition.core.judging.Leaderboard;
import io.apexaudition.core.judging.PositionBias;
import io.apexaudition.events.EventJson;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** A leaderboard as an aligned table (sections), as CSV (one row per lane) or as JSON (everything). */
final class LeaderboardFormat {
    private static final String NONE = "-";

    private LeaderboardFormat() {
    }

    /** What the leaderboard is of, for its heading and the JSON. */
    record About(String sourceRunId, List<String> judgingRuns, LeaderboardReader.Status status, double confidence,
                 int replicates) {
    }

    static void print(PrintWriter out, String format, Leaderboard board, About about) {
        switch (format) {
            case "csv" -> csv(out, board);
            case "json" -> out.println(json(board, about).toPrettyString());
            default -> table(out, board, about);
        }
        out.flush();
    }

    // ---- table

    static void table(PrintWriter out, Leaderboard board, About about) {
        out.printf("Leaderboard of run %s (judging runs: %s); %s%n", about.sourceRunId(),
                about.judgingRuns().isEmpty() ? "none" : String.join(", ", about.judgingRuns()), rankedBy(board));
        section(out, null, ranking(board, about));
        if (!board.criteria().isEmpty()) {
            section(out, "Rubric means per criterion, " + percent(about.confidence()) + " t interval over prompts:",
                    rubric(board));
        }
        section(out, "Writing diagnostics of the judged run's outputs (no judge):", diagnostics(board));
        if (board.matrixLanes().size() > 1) {
            section(out, "Win share of the row lane against the column lane (wins + half the ties; '.' never met):",
                    matrix(board));
        }
        section(out, "Judges:", judges(board));
        PositionBias overall = board.positionBias();
        if (overall.pairsInBothOrders() > 0) {
            out.printf("Position bias: the two orders of a pair disagree in %s of %d pairs; the piece shown first "
                    + "wins %s of decisive verdicts (50%% is no bias).%n", share(overall.disagreementRate()),
                    overall.pairsInBothOrders(), share(overall.positionAWinRate()));
        }
        for (JudgeAgreement a : board.agreements()) {
            out.printf("Agreement %s vs %s: %d of %d (prompt, pair)s alike (%s), Cohen's kappa %s%n", a.judge(),
                    a.otherJudge(), a.agreements(), a.pairs(), share(a.agreementRate()), fixed(a.kappa(), 2));
        }

        out.println();
        Leaderboard.Costs costs = board.costs();
        out.printf("Generation cost (run %s): $%s. Judging cost, apart: $%s%s.%n", about.sourceRunId(),
                money(costs.generationUsd(), 4), money(costs.judgingUsd(), 4), costs.judgingByJudge().isEmpty() ? ""
                        : " (" + String.join(", ", costs.judgingByJudge().entrySet().stream()
                        .map(e -> e.getKey() + " $" + money(e.getValue(), 4)).toList()) + ")");
        LeaderboardReader.Status status = about.status();
        if (status.pending() > 0 || status.unparseable() > 0) {
            out.printf("Not counted: %d judge request(s) without an answer yet, %d unreadable answer(s) (resend "
                    + "those with 'apex retry JUDGING_RUN').%n", status.pending(), status.unparseable());
        }
        out.printf("rating: Bradley-Terry on an Elo-like scale (lanes average 0; +400 = 10 to 1 odds); interval: "
                + "%s bootstrap over prompts (%d resamples, seeded): lanes whose intervals do not overlap are told "
                + "apart. $/100 pts: the lane's generation cost per 100 rating points above the lowest-rated lane.%n",
                percent(about.confidence()), about.replicates());
    }

    /** A blank line, the title (if any), the table. */
    private static void section(PrintWriter out, String title, Table table) {
        out.println();
        if (title != null) {
            out.println(title);
        }
        table.print(out, "table");
    }

    private static Table ranking(Leaderboard board, About about) {
        List<String> columns = new ArrayList<>(List.of("rank", "lane", "rating", percent(about.confidence())
                + " interval", "W-L-T"));
        boolean rubric = board.rows().stream().anyMatch(r -> r.overall() != null);
        if (rubric) {
            columns.add("rubric [interval]");
        }
        columns.addAll(List.of("cost $", "$/100 pts"));
        List<List<String>> rows = new ArrayList<>();
        for (Leaderboard.Row r : board.rows()) {
            LaneRating rating = r.rating();
            List<String> row = new ArrayList<>(List.of(r.rank() == null ? NONE : r.rank().toString(), r.lane(),
                    rating == null ? NONE : signed(rating.rating()),
                    rating == null ? NONE : interval(rating.lower(), rating.upper(), true),
                    rating == null ? NONE : rating.wins() + "-" + rating.losses() + "-" + rating.ties()));
            if (rubric) {
                row.add(summary(r.overall()));
            }
            row.add(money(r.costUsd(), 4));
            row.add(money(r.costPer100Points(), 4));
            rows.add(row);
        }
        return new Table(columns, rows);
    }

    private static Table rubric(Leaderboard board) {
        List<String> columns = new ArrayList<>(List.of("lane"));
        columns.addAll(board.criteria());
        List<List<String>> rows = new ArrayList<>();
        board.rows().stream().filter(r -> r.overall() != null).forEach(r -> {
            List<String> row = new ArrayList<>(List.of(r.lane()));
            board.criteria().forEach(c -> row.add(summary(r.rubric().get(c))));
            rows.add(row);
        });
        return new Table(columns, rows);
    }

    private static Table diagnostics(Leaderboard board) {
        return new Table(List.of("lane", "outputs", "mean words", "length ratio", "repetition", "refusals"),
                board.rows().stream().map(r -> {
                    Leaderboard.Diagnostics d = r.diagnostics();
                    return d == null ? List.of(r.lane(), NONE, NONE, NONE, NONE, NONE) : List.of(r.lane(),
                            Integer.toString(d.outputs()), fixed(d.meanWords(), 0), fixed(d.meanLengthRatio(), 2),
                            fixed(d.meanRepetition(), 3), Integer.toString(d.refusals()));
                }).toList());
    }

    /** Lanes by rank number: row "#1 lane" against columns "#1".."#n". */
    private static Table matrix(Leaderboard board) {
        List<String> lanes = board.matrixLanes();
        List<String> columns = new ArrayList<>(List.of("lane"));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            columns.add("#" + (i + 1));
            String lane = lanes.get(i);
            List<String> row = new ArrayList<>(List.of("#" + (i + 1) + " " + lane));
            for (String opponent : lanes) {
                row.add(lane.equals(opponent) ? "" : board.cell(lane, opponent)
                        .map(c -> Math.round(c.winShare() * 100) + "%").orElse("."));
            }
            rows.add(row);
        }
        return new Table(columns, rows);
    }

    private static Table judges(Leaderboard board) {
        return new Table(List.of("judge", "pairwise", "rubric", "pairs in both orders", "orders disagree",
                "first shown wins"), board.judges().stream().map(j -> {
                    PositionBias b = j.positionBias();
                    return List.of(j.judge(), Integer.toString(j.pairwise()), Integer.toString(j.rubric()),
                            b == null ? NONE : Integer.toString(b.pairsInBothOrders()),
                            b == null ? NONE : share(b.disagreementRate()),
                            b == null ? NONE : share(b.positionAWinRate()));
                }).toList());
    }

    private static String rankedBy(Leaderboard board) {
        return switch (board.rankedBy()) {
            case RATING -> "ranked by Bradley-Terry rating from pairwise judgments";
            case RUBRIC -> "ranked by the rubric's overall mean (no pairwise judgments)";
            case NONE -> "nothing judged";
        };
    }

    // ---- csv

    static void csv(PrintWriter out, Leaderboard board) {
        List<String> columns = new ArrayList<>(List.of("rank", "lane", "rating", "rating_lo", "rating_hi", "wins",
                "losses", "ties"));
        List<String> criteria = new ArrayList<>(List.of(Leaderboard.OVERALL));
        criteria.addAll(board.criteria());
        criteria.forEach(c -> columns.addAll(List.of("rubric_" + c, "rubric_" + c + "_lo", "rubric_" + c + "_hi")));
        columns.addAll(List.of("outputs", "mean_words", "mean_length_ratio", "mean_repetition", "refusals",
                "cost_usd", "cost_per_100_points"));
        List<List<String>> rows = new ArrayList<>();
        for (Leaderboard.Row r : board.rows()) {
            LaneRating rating = r.rating();
            List<String> row = new ArrayList<>(List.of(r.rank() == null ? "" : r.rank().toString(), r.lane()));
            row.addAll(rating == null ? List.of("", "", "", "", "", "") : List.of(plain(rating.rating(), 2),
                    plain(rating.lower(), 2), plain(rating.upper(), 2), Integer.toString(rating.wins()),
                    Integer.toString(rating.losses()), Integer.toString(rating.ties())));
            for (String c : criteria) {
                CriterionSummary s = Leaderboard.OVERALL.equals(c) ? r.overall() : r.rubric().get(c);
                row.addAll(s == null ? List.of("", "", "") : List.of(plain(s.mean(), 3), plain(s.lower(), 3),
                        plain(s.upper(), 3)));
            }
            Leaderboard.Diagnostics d = r.diagnostics();
            row.addAll(d == null ? List.of("", "", "", "", "") : List.of(Integer.toString(d.outputs()),
                    plain(d.meanWords(), 1), plain(d.meanLengthRatio(), 3), plain(d.meanRepetition(), 4),
                    Integer.toString(d.refusals())));
            row.add(r.costUsd() == null ? "" : r.costUsd().toPlainString());
            row.add(r.costPer100Points() == null ? "" : r.costPer100Points().toPlainString());
            rows.add(row);
        }
        new Table(columns, rows).print(out, "csv");
    }

    // ---- json

    static ObjectNode json(Leaderboard board, About about) {
        ObjectNode root = EventJson.mapper().createObjectNode();
        root.put("runId", about.sourceRunId());
        ArrayNode runs = root.putArray("judgingRuns");
        about.judgingRuns().forEach(runs::add);
        root.put("rankedBy", board.rankedBy().name().toLowerCase(Locale.ROOT));
        root.put("confidence", about.confidence());
        root.put("bootstrapResamples", about.replicates());
        root.put("ratingScale", "Bradley-Terry, Elo-like: lanes average 0, +400 = 10 to 1 odds");
        root.put("costPerRatingPoint", "generation cost per 100 rating points above the lowest-rated lane");
        ArrayNode criteria = root.putArray("criteria");
        board.criteria().forEach(criteria::add);
        ArrayNode lanes = root.putArray("lanes");
        for (Leaderboard.Row r : board.rows()) {
            ObjectNode lane = lanes.addObject();
            lane.put("rank", r.rank());
            lane.put("lane", r.lane());
            LaneRating rating = r.rating();
            if (rating != null) {
                lane.put("rating", round(rating.rating(), 2));
                lane.put("ratingLower", round(rating.lower(), 2));
                lane.put("ratingUpper", round(rating.upper(), 2));
                lane.put("wins", rating.wins());
                lane.put("losses", rating.losses());
                lane.put("ties", rating.ties());
            }
            ObjectNode rubric = lane.putObject("rubric");
            if (r.overall() != null) {
                summary(rubric.putObject(Leaderboard.OVERALL), r.overall());
            }
            board.criteria().stream().filter(c -> r.rubric().containsKey(c))
                    .forEach(c -> summary(rubric.putObject(c), r.rubric().get(c)));
            Leaderboard.Diagnostics d = r.diagnostics();
            if (d != null) {
                ObjectNode diag = lane.putObject("diagnostics");
                diag.put("outputs", d.outputs());
                diag.put("meanWords", round(d.meanWords(), 1));
                diag.put("meanLengthRatio", round(d.meanLengthRatio(), 3));
                diag.put("meanRepetition", round(d.meanRepetition(), 4));
                diag.put("refusals", d.refusals());
            }
            lane.put("costUsd", r.costUsd());
            lane.put("costPer100Points", r.costPer100Points());
        }
        ArrayNode matrix = root.putArray("matrix");
        for (Leaderboard.Cell c : board.matrix()) {
            ObjectNode cell = matrix.addObject();
            cell.put("lane", c.lane());
            cell.put("opponent", c.opponent());
            cell.put("comparisons", c.comparisons());
            cell.put("wins", c.wins());
            cell.put("losses", c.losses());
            cell.put("ties", c.ties());
            cell.put("winShare", round(c.winShare(), 4));
            cell.put("meanMargin", round(c.meanMargin(), 4));
        }
        ArrayNode judges = root.putArray("judges");
        for (Leaderboard.JudgeSummary j : board.judges()) {
            ObjectNode judge = judges.addObject();
            judge.put("judge", j.judge());
            judge.put("pairwise", j.pairwise());
            judge.put("rubric", j.rubric());
            if (j.positionBias() != null) {
                bias(judge.putObject("positionBias"), j.positionBias());
            }
        }
        bias(root.putObject("positionBias"), board.positionBias());
        ArrayNode agreements = root.putArray("agreements");
        for (JudgeAgreement a : board.agreements()) {
            ObjectNode agreement = agreements.addObject();
            agreement.put("judge", a.judge());
            agreement.put("otherJudge", a.otherJudge());
            agreement.put("pairs", a.pairs());
            agreement.put("agreements", a.agreements());
            agreement.put("agreementRate", round(a.agreementRate(), 4));
            agreement.put("kappa", round(a.kappa(), 4));
        }
        ObjectNode costs = root.putObject("costs");
        costs.put("generationUsd", board.costs().generationUsd());
        costs.put("judgingUsd", board.costs().judgingUsd());
        ObjectNode byJudge = costs.putObject("judgingByJudge");
        board.costs().judgingByJudge().forEach(byJudge::put);
        ObjectNode status = root.putObject("judgments");
        status.put("judged", about.status().judged());
        status.put("pending", about.status().pending());
        status.put("unparseable", about.status().unparseable());
        return root;
    }

    private static void summary(ObjectNode node, CriterionSummary s) {
        node.put("mean", round(s.mean(), 3));
        node.put("lower", round(s.lower(), 3));
        node.put("upper", round(s.upper(), 3));
        node.put("prompts", s.n());
    }

    private static void bias(ObjectNode node, PositionBias b) {
        node.put("pairsInBothOrders", b.pairsInBothOrders());
        node.put("disagreements", b.disagreements());
        node.put("disagreementRate", round(b.disagreementRate(), 4));
        node.put("decisive", b.decisive());
        node.put("positionAWins", b.positionAWins());
        node.put("positionAWinRate", round(b.positionAWinRate(), 4));
    }

    // ---- numbers

    private static Double round(Double value, int places) {
        return value == null ? null : BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).doubleValue();
    }

    private static String summary(CriterionSummary s) {
        return s == null ? NONE : fixed(s.mean(), 2) + " " + interval(s.lower(), s.upper(), false);
    }

    static String interval(Double lower, Double upper, boolean sign) {
        if (lower == null || upper == null) {
            return "[-]";
        }
        Function<Double, String> f = sign ? LeaderboardFormat::signed : v -> fixed(v, 2);
        return "[" + f.apply(lower) + ", " + f.apply(upper) + "]";
    }

    private static String signed(Double value) {
        return String.format(Locale.ROOT, "%+.1f", value);
    }

    private static String fixed(Double value, int places) {
        return value == null ? NONE : String.format(Locale.ROOT, "%." + places + "f", value);
    }

    private static String plain(Double value, int places) {
        return value == null ? "" : String.format(Locale.ROOT, "%." + places + "f", value);
    }

    private static String share(Double rate) {
        return rate == null ? NONE : String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    private static String percent(double confidence) {
        return String.format(Locale.ROOT, "%.0f%%", confidence * 100);
    }

    private static String money(BigDecimal value, int places) {
        return value == null ? NONE : value.setScale(places, RoundingMode.HALF_UP).toPlainString();
    }
}
