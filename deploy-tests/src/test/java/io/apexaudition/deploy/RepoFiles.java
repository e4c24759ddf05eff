package io.apexaudition.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Files of the repository, found from the build's root (the apex.repo.root system property) or the working dir. */
final class RepoFiles {
    static final Path ROOT = findRoot();

    private RepoFiles() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + relative + " under " + ROOT, e);
        }
    }

    private static Path findRoot() {
        String configured = System.getProperty("apex.repo.root");
        Path start = configured != null ? Paths.get(configured) : Paths.get("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No repository root (with docker-compose.yml and deploy/) above " + start);
    }
}
