package io.apexaudition.cli;

import io.apexaudition.core.ModelCatalog;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code --models}, the model catalog, for the commands that validate or price lanes (a picocli mixin): one name and
 * one default, whatever the command.
 */
public final class ModelsOption {
    @Option(names = "--models", description = "Model catalog (default: config/models.yaml).")
    Path path;

    /** The catalog given, or the shipped one. */
    ModelCatalog load() {
        return ModelCatalog.load(ConfigPaths.orDefault(path, "models.yaml"));
    }
}
