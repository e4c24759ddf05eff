package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.SplittableRandom;

/**
 * Consumes a {@link JudgeRequest} and the request's seeded random; produces the judge's answer in the format the
 * request asks for, from the hidden quality of the model that wrote each piece ({@link Authorship}; a piece the
 * simulator did not write has the neutral quality 0) plus noise, so the same request gives the same answer.
 *
 * <p>Pairwise: the judge perceives {@code d = qA - qB + position bias + noise} and names A with probability
 * {@code logistic(d - tieBand)}, B with {@code logistic(-d - tieBand)}, and a tie otherwise (Rao-Kupper; with a tie
 * band of 0, {@code P(A) = logistic(d)}). The margin grows with how far the winner was ahead: 1 below
 * {@value #CLEAR} log-odds, 2 below {@value #DECISIVE}, 3 above; 0 for a tie. Rubric: each criterion scores
 * {@code mid + (max - min) / 4 * (q + noise)}, rounded and kept in the scale. Under the {@code judge-garbage} faults
 * the answer is text that holds no JSON object.
 */
@ApplicationScoped
public class Judge {
    static final double CLEAR = 0.6;
    static final double DECISIVE = 1.4;

    private static final String[] STRENGTHS = {"its images are more specific", "its voice holds steadier",
            "its ending lands more surely", "it keeps closer to the prompt's form", "its structure is tighter",
            "it surprises where the other settles for the obvious"};
    private static final String[] GARBAGE = {
            "I'm sorry, but I can't compare these two pieces without knowing more about what the prompt asked for.",
            "Both pieces have real merits. The first has vivid images while the second has the stronger voice, so "
                    + "on balance I would lean",
            "{\"winner\": \"A\", \"margin\": 2, \"rationale\": \"The first piece has the more"};

    private final RuntimeSettings settings;
    private final Authorship authorship;
    private final FaultInjector faults;

    public Judge(RuntimeSettings settings, Authorship authorship, FaultInjector faults) {
        this.settings = settings;
        this.authorship = authorship;
        this.faults = faults;
    }

    public String answer(JudgeRequest request, SplittableRandom random) {
        Settings now = settings.current();
        if (settings.takeJudgeGarbage() || faults.chance(now.faults().judgeGarbage())) {
            return GARBAGE[random.nextInt(GARBAGE.length)];
        }
        return request.kind() == JudgeRequest.Kind.PAIRWISE
                ? pairwise(request, now.judging(), random) : rubric(request, now.judging(), random);
    }

    private String pairwise(JudgeRequest request, Settings.Judging judging, SplittableRandom random) {
        double perceived = quality(judging, request.pieces().get(0)) - quality(judging, request.pieces().get(1))
                + judging.positionBias() + judging.noise() * gaussian(random);
        double aWins = logistic(perceived - judging.tieBand());
        double bWins = logistic(-perceived - judging.tieBand());
        double u = random.nextDouble();
        String winner = u < aWins ? "A" : u < aWins + bWins ? "B" : "tie";
        ObjectNode answer = JsonNodeFactory.instance.objectNode().put("winner", winner);
        if (winner.equals("tie")) {
            return answer.put("margin", 0).put("rationale", "The two pieces are about as good as each other; "
                    + "neither outdoes the other on craft or on fit to the prompt.").toString();
        }
        double ahead = winner.equals("A") ? perceived : -perceived;
        int margin = ahead < CLEAR ? 1 : ahead < DECISIVE ? 2 : 3;
        String degree = margin == 1 ? "slightly" : margin == 2 ? "clearly" : "much";
        return answer.put("margin", margin).put("rationale", "Piece " + winner + " is " + degree
                + " the better piece: " + STRENGTHS[random.nextInt(STRENGTHS.length)] + ".").toString();
    }

    private String rubric(JudgeRequest request, Settings.Judging judging, SplittableRandom random) {
        double quality = quality(judging, request.pieces().get(0));
        double mid = (request.scaleMin() + request.scaleMax()) / 2.0;
        double perUnit = (request.scaleMax() - request.scaleMin()) / 4.0;
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ObjectNode scores = answer.putObject("scores");
        String best = null;
        String worst = null;
        for (String criterion : request.criteria()) {
            long raw = Math.round(mid + perUnit * (quality + judging.noise() * gaussian(random)));
            int score = (int) Math.max(request.scaleMin(), Math.min(request.scaleMax(), raw));
            scores.put(criterion, score);
            if (best == null || score > scores.get(best).asInt()) {
                best = criterion;
            }
            if (worst == null || score < scores.get(worst).asInt()) {
                worst = criterion;
            }
        }
        String verdict = quality > 0.75 ? "A strong piece" : quality > 0.25 ? "A solid piece" : "An uneven piece";
        String detail = best == null ? "" : best.equals(worst) ? ", even across the criteria"
                : ": strongest on " + best + ", weakest on " + worst;
        return answer.put("rationale", verdict + detail + ".").toString();
    }

    /** The hidden quality of the piece's writer; 0 when the simulator did not write it or has forgotten it. */
    private double quality(Settings.Judging judging, String piece) {
        return judging.qualityOf(authorship.writer(piece).orElse(null));
    }

    private static double logistic(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** A standard normal draw (Box-Muller), written out so that the same seed gives the same draw on any JDK. */
    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble(); // (0, 1]: the logarithm stays finite
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * random.nextDouble());
    }
}
