package io.apexaudition.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.core.LaneConfig;
import io.apexaudition.core.LaneDefinition;
import io.apexaudition.core.LaneProblem;
import io.apexaudition.core.LaneSpec;
import io.apexaudition.core.LaneValidator;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.RequestBodies;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.Providers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code apex lanes register}: validates the lanes and registers them through the planner. */
@Command(name = "lanes", description = "Lanes (conditions): validate and register.",
        subcommands = {LanesCommand.Register.class})
class LanesCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "register", description = "Validate every lane against the provider rules, then register them "
            + "(a new version only where a lane changed).")
    static class Register implements Callable<Integer> {
        @Option(names = "--config", description = "Lane file (default: config/creative_benchmark.yaml).")
        Path config;

        @Mixin
        ModelsOption models;

        @Option(names = "--dry-run", description = "Validate and print each lane's exact request body; register nothing.")
        boolean dryRun;

        @Mixin
        StackOptions.Planner planner;

        private final PrintStream out = System.out;
        private final PrintStream err = System.err;

        @Override
        public Integer call() {
            Path file = ConfigPaths.orDefault(config, "creative_benchmark.yaml");
            ModelCatalog catalog = models.load();
            List<LaneDefinition> lanes = LaneConfig.load(file).lanes();
            out.println("Validating " + lanes.size() + " lanes of " + file);
            List<LaneProblem> problems = new LaneValidator(catalog).validate(lanes);
            if (!problems.isEmpty()) {
                printProblems(lanes, problems);
                return 1;
            }
            if (dryRun) {
                for (LaneDefinition lane : lanes) {
                    LaneSpec spec = LaneSpec.of(lane, catalog.model(lane.model()).orElseThrow());
                    var body = RequestBodies.body(spec.provider(), spec.apiModelId(), spec.parameters(),
                            "<prompt text>", "<shared context>", true);
                    String customId = EventIds.customId(EventIds.generationId("<run>", lane.slug(), "<prompt>", 1), 1);
                    out.printf("%-18s %-9s %s%n", lane.slug(), spec.provider(), RequestBodies.json(
                            Providers.OPENAI.equals(spec.provider()) ? RequestBodies.openAiBatchLine(customId, body)
                                    : RequestBodies.anthropicBatchRequest(customId, body)));
                }
                out.println("All " + lanes.size() + " lanes are valid (dry run: nothing registered).");
                return 0;
            }
            out.println("All " + lanes.size() + " lanes are valid; registering through " + planner.url);
            ServiceClient.Answer answer = ServiceClient.admin(planner.url).post("/api/lanes", Map.of("lanes", lanes));
            if (answer.status() != 200) {
                err.println("apex: the planner refused the lanes (" + answer.status() + "): " + answer.json());
                return 1;
            }
            int registered = 0;
            for (JsonNode result : answer.json()) {
                boolean isNew = "registered".equals(result.path("outcome").asText());
                registered += isNew ? 1 : 0;
                out.printf("  %-18s %-10s v%d%n", result.path("id").asText(), result.path("outcome").asText(),
                        result.path("version").asInt());
            }
            out.println(registered + " registered, " + (lanes.size() - registered) + " unchanged.");
            return 0;
        }

        private void printProblems(List<LaneDefinition> lanes, List<LaneProblem> problems) {
            Map<String, List<LaneProblem>> bySlug = problems.stream().collect(Collectors.groupingBy(LaneProblem::slug,
                    java.util.LinkedHashMap::new, Collectors.toList()));
            err.println(bySlug.size() + " of " + lanes.size() + " lanes are invalid (" + problems.size()
                    + " problems); nothing was registered:");
            bySlug.forEach((slug, list) -> {
                err.println("  " + slug);
                for (LaneProblem p : list) {
                    err.println("    [" + p.rule() + "] " + p.value());
                    err.println("      valid alternative: " + p.fix());
                }
            });
            err.println("Fix the lanes in the file (or use config/creative_benchmark.yaml) and run again.");
        }
    }
}
