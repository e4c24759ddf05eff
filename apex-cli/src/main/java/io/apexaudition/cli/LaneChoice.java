package io.apexaudition.cli;

import picocli.CommandLine.Option;

import java.util.List;

/** Which lanes a command is about: named ones, or all of them (the seed's --condition-slug / --all-lanes). */
class LaneChoice {
    @Option(names = "--condition-slug", required = true, description = "A lane (repeatable).")
    List<String> slugs;

    @Option(names = "--all-lanes", required = true, description = "Every lane.")
    boolean allLanes;
}
