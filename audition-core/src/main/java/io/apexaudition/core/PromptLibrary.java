package io.apexaudition.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Loads the prompts of a directory ({@code *.yaml}, one prompt each), resolving their shared context files. */
public final class PromptLibrary {
    static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");

    private PromptLibrary() {
    }

    public static List<PromptSpec> load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(dir + " is not a directory of prompts: give the folder that holds the "
                    + "prompt .yaml files (config/prompts)");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new ConfigException(dir + " holds no prompt .yaml files");
        }
        List<PromptSpec> prompts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path file : files) {
            PromptDefinition def = Yaml.read(file, PromptDefinition.class);
            String where = file.getFileName().toString();
            if (def.id() == null || !ID.matcher(def.id()).matches()) {
                problems.add(where + ": id '" + def.id() + "' is missing or not plain (letters, digits, . _ -)");
                continue;
            }
            if (!ids.add(def.id())) {
                problems.add(where + ": id '" + def.id() + "' is used by another prompt file");
            }
            if (def.text() == null || def.text().isBlank()) {
                problems.add(where + ": text is empty");
            }
            String shared = null;
            if (def.sharedContextFile() != null) {
                Path sharedFile = dir.resolve(def.sharedContextFile()).normalize();
                try {
                    shared = Files.readString(sharedFile);
                } catch (IOException e) {
                    problems.add(where + ": shared_context_file " + def.sharedContextFile() + " cannot be read ("
                            + e.getMessage() + ")");
                }
            }
            prompts.add(new PromptSpec(def.id(), def.title(), def.genre(), def.text() == null ? null
                    : def.text().strip(), shared));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("prompts in " + dir + " have " + problems.size() + " problem(s):\n  "
                    + String.join("\n  ", problems));
        }
        return prompts;
    }
}
