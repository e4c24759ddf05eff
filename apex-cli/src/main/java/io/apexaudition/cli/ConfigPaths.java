package io.apexaudition.cli;

import java.nio.file.Path;

/**
 * Where the shipped configuration lives: {@code $APEX_ROOT/config} (./apex sets APEX_ROOT; a system property of that
 * name wins, for tests and embedding), else ./config.
 */
public final class ConfigPaths {
    private ConfigPaths() {
    }

    public static Path configDir() {
        String root = System.getProperty("APEX_ROOT", System.getenv("APEX_ROOT"));
        return root == null || root.isBlank() ? Path.of("config") : Path.of(root, "config");
    }

    static Path orDefault(Path given, String name) {
        return given != null ? given : configDir().resolve(name);
    }
}
