package io.apexaudition.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with the real Kustomize: {@code kubectl kustomize DIR} (kubectl ships Kustomize), or
 * a standalone {@code kustomize build DIR} when {@code APEX_KUSTOMIZE} names that binary. Fails, never skips,
 * when neither is installed: a manifest test that silently skips proves nothing.
 */
final class Kustomize {
    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** The YAML stream of {@code deploy/<dir>}, rendered once per test JVM. */
    static String render(String dir) {
        return RENDERED.computeIfAbsent(dir, Kustomize::run);
    }

    private static String run(String dir) {
        Path path = RepoFiles.path(dir);
        List<String> command = new ArrayList<>();
        String standalone = System.getenv("APEX_KUSTOMIZE");
        if (standalone != null && !standalone.isBlank()) {
            command.addAll(List.of(standalone, "build", path.toString()));
        } else {
            command.addAll(List.of("kubectl", "kustomize", path.toString()));
        }
        try {
            Path err = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("Rendering " + dir + " with '" + String.join(" ", command) + "' failed: "
                        + Files.readString(err) + "\nFix the kustomization in " + dir + ".");
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("Cannot run '" + String.join(" ", command) + "' to render " + dir
                    + ": install kubectl (it ships Kustomize), or set APEX_KUSTOMIZE to a kustomize binary", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while rendering " + dir, e);
        }
    }
}
