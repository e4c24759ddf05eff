package io.apexaudition.cli;

import io.apexaudition.core.ConfigException;
import io.apexaudition.core.CostEstimator;
import io.apexaudition.core.LaneConfig;
import io.apexaudition.core.LaneDefinition;
import io.apexaudition.core.LaneSpec;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.PromptLibrary;
import io.apexaudition.core.PromptSpec;
import io.apexaudition.events.JudgingRequested;
import io.apexaudition.events.RunMode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code apex estimate}: what a set of lanes x prompts will cost, before anything is sent; with {@code --judge
 * RUN_ID}, what a judging pass over that run's outputs will cost.
 */
@Command(name = "estimate", description = "Estimate the cost of lanes x prompts: worst case and typical, "
        + "synchronous and batch (50%%), per lane and in total. Reads the config files; needs no running stack. "
        + "With --judge RUN_ID: the cost of judging that run (reads its outputs from Postgres).")
class EstimateCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    LaneChoice choice;

    @Option(names = "--judge", paramLabel = "RUN_ID", description = "Estimate a judging pass over this completed run "
            + "(as apex judge would send it) instead of generations.")
    String judgeRunId;

    @Option(names = "--judge-lane", paramLabel = "SLUG", description = "With --judge: a judge lane (repeatable; "
            + "default: every lane of the judge lane file).")
    List<String> judgeLanes;

    @Mixin
    PassOptions pass;

    @Option(names = "--batch-mode", description = "With --judge: the pass is sent in batch mode (its total is the "
            + "batch price).")
    boolean batchMode;

    @Option(names = "--limit", description = "Only the first N prompts.")
    Integer limit;

    @Option(names = "--replicates", defaultValue = "1", description = "Generations per lane x prompt (default 1).")
    int replicates;

    @Option(names = "--no-cache", description = "Estimate without prompt caching.")
    boolean noCache;

    @Option(names = "--config", description = "Lane file (default: config/creative_benchmark.yaml; with --judge: "
            + "config/judging/judges.yaml).")
    Path config;

    @Option(names = "--prompts", description = "Prompt folder (default: config/prompts).")
    Path prompts;

    @Mixin
    ModelsOption models;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ModelCatalog catalog = models.load();
        if (judgeRunId != null) {
            if (choice != null) {
                throw new JudgePass.Problem("--judge estimates a judging pass: leave out --condition-slug and "
                        + "--all-lanes (name judge lanes with --judge-lane)");
            }
            return judge(out, catalog);
        }
        if (choice == null) {
            throw new JudgePass.Problem("say what to estimate: --condition-slug SLUG, --all-lanes, or --judge RUN_ID");
        }
        List<LaneDefinition> all = LaneConfig.load(ConfigPaths.orDefault(config, "creative_benchmark.yaml")).lanes();
        List<LaneDefinition> chosen = choice.allLanes ? all : choice.slugs.stream().map(slug -> all.stream()
                .filter(l -> l.slug().equals(slug)).findFirst().orElseThrow(() -> new ConfigException("unknown lane '"
                        + slug + "': use one of " + all.stream().map(LaneDefinition::slug).toList()))).toList();
        List<LaneSpec> lanes = chosen.stream().map(l -> LaneSpec.of(l, catalog.model(l.model()).orElseThrow(() ->
                new ConfigException("lane " + l.slug() + ": unknown model " + l.model())))).toList();
        List<PromptSpec> promptList = PromptLibrary.load(ConfigPaths.orDefault(prompts, "prompts"));
        if (limit != null) {
            if (limit < 1) {
                throw new ConfigException("--limit " + limit + " is not a positive number of prompts");
            }
            promptList = promptList.subList(0, Math.min(limit, promptList.size()));
        }
        CostEstimator.Estimate e = new CostEstimator(catalog).estimate(lanes, promptList, replicates, !noCache);
        out.printf("%d lanes x %d prompts x %d replicate(s) = %d generations; caching %s%n%n", lanes.size(),
                promptList.size(), replicates, e.generations(), noCache ? "off" : "on (best case: every read hits)");
        lanes(out, e, "gens");
        out.printf("%nBatch APIs charge %s of the synchronous price. Worst case: every output token of each budget "
                + "used (reasoning and thinking tokens are billed as output).%n", catalog.batchDiscount());
        out.flush();
        return 0;
    }

    /** The judging pass apex judge would send over the run's completed outputs, judge lane by judge lane. */
    private int judge(PrintWriter out, ModelCatalog catalog) throws Exception {
        List<LaneSpec> judges = JudgePass.judgeLanes(config, catalog,
                judgeLanes == null ? null : List.copyOf(new LinkedHashSet<>(judgeLanes)));
        JudgingRequested judging;
        try (Connection c = StackSettings.fromEnvironment().connect()) {
            JudgePass.Source source = JudgePass.read(c, judgeRunId, limit, pass.pairwise);
            judging = new JudgingRequested("estimate", JudgingRequested.SCHEMA_VERSION, Instant.now(),
                    judgeRunId + ".judge-estimate", judgeRunId, judges.stream().map(LaneSpec::slug).toList(),
                    pass.kind(), JudgePass.rubric(pass.rubric), pass.pairDegree,
                    batchMode ? RunMode.BATCH : RunMode.SYNC, false, !noCache, null, null, source.prompts(),
                    source.outputs());
        }
        CostEstimator.Estimate e = JudgePass.estimate(catalog, judges, judging);
        int perJudge = judges.isEmpty() ? 0 : e.generations() / judges.size();
        out.printf(Locale.ROOT, "Judging run %s: %s over %d outputs of %d prompts: %d judge request(s) per judge lane "
                        + "x %d judge lane(s) = %d; caching %s%n%n", judgeRunId, pass.pairwise ? "pairwise (each lane meets "
                        + judging.pairDegree() + " others per prompt, both orders)" : "rubric '"
                        + judging.rubric().name() + "'", judging.outputs().size(), judging.prompts().size(), perJudge,
                judges.size(),
                e.generations(), noCache ? "off" : "on (best case: every read hits)");
        lanes(out, e, "reqs");
        out.printf(Locale.ROOT, "%nInput: the writing prompt and the piece(s) of each request, and the rubric's "
                        + "instruction (%s characters per token). Worst case: every answer uses the judge lane's max "
                        + "tokens; typical: a %d-token answer (the JSON verdict and a two-sentence rationale). Batch "
                        + "APIs charge %s of the synchronous price.%n", catalog.typicalUsage().charsPerToken(),
                pass.pairwise ? JudgePass.TYPICAL_PAIRWISE_ANSWER_TOKENS : JudgePass.TYPICAL_RUBRIC_ANSWER_TOKENS,
                catalog.batchDiscount());
        out.printf(Locale.ROOT, "As sent (%s): worst $%.2f, typical $%.2f. Judging cost is reported apart from the "
                        + "run's generation cost (apex leaderboard %s).%n", batchMode ? "--batch-mode" : "synchronous",
                batchMode ? e.worstBatch() : e.worstSync(), batchMode ? e.typicalBatch() : e.typicalSync(),
                judgeRunId);
        out.flush();
        return 0;
    }

    private static void lanes(PrintWriter out, CostEstimator.Estimate e, String count) {
        out.printf("%-18s %-18s %5s %11s %12s %11s %10s %10s %10s %10s%n", "lane", "model", count, "input tok",
                "out worst", "out typical", "worst $", "worst batch", "typical $", "typ. batch");
        for (CostEstimator.LaneCost c : e.lanes()) {
            out.printf("%-18s %-18s %5d %11d %12d %11d %10.2f %10.2f %10.2f %10.2f%n", c.slug(), c.model(),
                    c.generations(), c.inputTokens(), c.outputTokensWorst(), c.outputTokensTypical(), c.worstSync(),
                    c.worstBatch(), c.typicalSync(), c.typicalBatch());
        }
        out.printf("%-18s %-18s %5d %11s %12d %11d %10.2f %10.2f %10.2f %10.2f%n", "TOTAL", "", e.generations(), "",
                e.outputTokensWorst(), e.outputTokensTypical(), e.worstSync(), e.worstBatch(), e.typicalSync(),
                e.typicalBatch());
    }
}
