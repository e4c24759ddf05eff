package io.apexaudition.cli;

import io.apexaudition.core.ConfigException;
import io.apexaudition.core.CostEstimator;
import io.apexaudition.core.LaneConfig;
import io.apexaudition.core.LaneDefinition;
import io.apexaudition.core.LaneSpec;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.PromptLibrary;
import io.apexaudition.core.PromptSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code apex estimate}: what a set of lanes x prompts will cost, before anything is sent. */
@Command(name = "estimate", description = "Estimate the cost of lanes x prompts: worst case and typical, "
        + "synchronous and batch (50%), per lane and in total. Reads the config files; needs no running stack.")
class EstimateCommand implements Callable<Integer> {


    @ArgGroup(exclusive = true, multiplicity = "1")
    LaneChoice choice;

    @Option(names = "--limit", description = "Only the first N prompts.")
    Integer limit;

    @Option(names = "--replicates", defaultValue = "1", description = "Generations per lane x prompt (default 1).")
    int replicates;

    @Option(names = "--no-cache", description = "Estimate without prompt caching.")
    boolean noCache;

    @Option(names = "--config", description = "Lane file (default: config/creative_benchmark.yaml).")
    Path config;

    @Option(names = "--prompts", description = "Prompt folder (default: config/prompts).")
    Path prompts;

    @Option(names = "--models", description = "Model catalog (default: config/models.yaml).")
    Path models;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        ModelCatalog catalog = ModelCatalog.load(ConfigPaths.orDefault(models, "models.yaml"));
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
        out.printf("%-18s %-18s %5s %11s %12s %11s %10s %10s %10s %10s%n", "lane", "model", "gens", "input tok",
                "out worst", "out typical", "worst $", "worst batch", "typical $", "typ. batch");
        for (CostEstimator.LaneCost c : e.lanes()) {
            out.printf("%-18s %-18s %5d %11d %12d %11d %10.2f %10.2f %10.2f %10.2f%n", c.slug(), c.model(),
                    c.generations(), c.inputTokens(), c.outputTokensWorst(), c.outputTokensTypical(), c.worstSync(),
                    c.worstBatch(), c.typicalSync(), c.typicalBatch());
        }
        out.printf("%-18s %-18s %5d %11s %12d %11d %10.2f %10.2f %10.2f %10.2f%n", "TOTAL", "", e.generations(), "",
                e.outputTokensWorst(), e.outputTokensTypical(), e.worstSync(), e.worstBatch(), e.typicalSync(),
                e.typicalBatch());
        out.printf("%nBatch APIs charge %s of the synchronous price. Worst case: every output token of each budget "
                + "used (reasoning and thinking tokens are billed as output).%n", catalog.batchDiscount());
        return 0;
    }
}
