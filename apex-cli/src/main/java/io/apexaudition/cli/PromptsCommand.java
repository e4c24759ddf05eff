package io.apexaudition.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.core.PromptLibrary;
import io.apexaudition.core.PromptSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code apex prompts ingest}: sends the prompt files to the planner, which versions changed content. */
@Command(name = "prompts", description = "Prompts (context packages): ingest.",
        subcommands = {PromptsCommand.Ingest.class})
class PromptsCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "ingest", description = "Ingest the prompts of a folder; unchanged prompts are left as they are, "
            + "changed ones become a new version.")
    static class Ingest implements Callable<Integer> {
        @Option(names = "--config", description = "Folder of prompt .yaml files (default: config/prompts).")
        Path dir;

        @Mixin
        StackOptions.Planner planner;

        @Override
        public Integer call() {
            Path folder = ConfigPaths.orDefault(dir, "prompts");
            List<PromptSpec> prompts = PromptLibrary.load(folder);
            System.out.println("Ingesting " + prompts.size() + " prompts of " + folder + " through " + planner.url);
            ServiceClient.Answer answer = ServiceClient.admin(planner.url).post("/api/prompts", Map.of("prompts", prompts));
            if (answer.status() != 200) {
                System.err.println("apex: the planner refused the prompts (" + answer.status() + "): " + answer.json());
                return 1;
            }
            int added = 0;
            for (JsonNode result : answer.json()) {
                added += "registered".equals(result.path("outcome").asText()) ? 1 : 0;
                System.out.printf("  %-6s %-10s v%d%n", result.path("id").asText(),
                        "registered".equals(result.path("outcome").asText()) ? "ingested" : "unchanged",
                        result.path("version").asInt());
            }
            System.out.println(added + " ingested, " + (prompts.size() - added) + " unchanged.");
            return 0;
        }
    }
}
