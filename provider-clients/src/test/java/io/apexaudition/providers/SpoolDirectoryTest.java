package io.apexaudition.providers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A spool left by a dispatcher that was killed is deleted by the next one; a live dispatcher's is not. The other
 * dispatcher is a real second JVM, killed with SIGKILL: only the kernel's release of its lock tells the two apart.
 */
class SpoolDirectoryTest {

    @Test
    void shouldDeleteTheSpoolOfAKilledProcessAndKeepALiveOnes(@TempDir Path base) throws Exception {
        // given another process spooling in the same temporary directory, alive
        Process other = spoolingProcess(base);
        try {
            Path theirs = awaitSpool(other);
            Path ours = SpoolDirectory.in(base);

            // when this process sweeps while the other lives, then its spool stays
            assertThat(SpoolDirectory.sweep(base, ours, Duration.ZERO)).isZero();
            assertThat(theirs).exists();

            // when the other is killed mid-call and this one sweeps, then its spool is gone, and ours is kept
            other.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(SpoolDirectory.sweep(base, ours, Duration.ZERO)).isEqualTo(1);
            assertThat(theirs.getParent()).doesNotExist();
            assertThat(ours.resolve(SpoolDirectory.OWNER)).exists();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void shouldLeaveAYoungSpoolWithoutAnOwnerForItsProcessToClaim(@TempDir Path base) throws IOException {
        // given a spool directory just made, its owner file not yet there, and an old one left the same way
        Path young = Files.createDirectory(base.resolve(SpoolDirectory.PREFIX + "young"));
        Path old = Files.createDirectory(base.resolve(SpoolDirectory.PREFIX + "old"));
        Files.writeString(old.resolve("apex-batch-1.upload"), "{}");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        Path unrelated = Files.createDirectory(base.resolve("someone-else"));

        // when swept with the grace of a minute
        int deleted = SpoolDirectory.sweep(base, base.resolve("none"), SpoolDirectory.GRACE);

        // then only the old one goes
        assertThat(deleted).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(young).exists();
        assertThat(unrelated).exists();
    }

    @Test
    void shouldMakeItsDirectoryAgainWhenSomethingDeletedIt(@TempDir Path base) throws IOException {
        // given this process's spool directory, deleted from outside (a /tmp cleaner)
        Path first = SpoolDirectory.in(base);
        Files.delete(first.resolve(SpoolDirectory.OWNER));
        Files.delete(first);

        // when it spools again, then it has a directory of its own to spool in
        Path second = SpoolDirectory.in(base);
        assertThat(second).isDirectory();
        assertThat(second.resolve(SpoolDirectory.OWNER)).exists();
    }

    @Test
    void shouldKeepOneDirectoryWhateverPathReachesTheTemporaryDirectory(@TempDir Path dir) throws Exception {
        // given a temporary directory also reached through a link to it
        Path base = Files.createDirectory(dir.resolve("tmp"));
        Path alias = Files.createSymbolicLink(dir.resolve("alias"), base);

        // when this process spools through both paths, then it has one directory, whose lock the second path did not
        // drop: a second process sweeping leaves it alone
        Path ours = SpoolDirectory.in(base);
        assertThat(SpoolDirectory.in(alias)).isEqualTo(ours);
        Process other = spoolingProcess(base);
        try {
            awaitSpool(other);
            assertThat(ours.resolve(SpoolDirectory.OWNER)).exists();
        } finally {
            other.destroyForcibly();
        }
    }

    /** A second JVM that takes a spool directory in {@code base}, spools into it, says where, and waits. */
    private static Process spoolingProcess(Path base) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                Spooling.class.getName(), base.toString())).redirectErrorStream(true).start();
    }

    /** Where the other process spooled, once it says so (within 60 s, or the test fails rather than hangs). */
    private static Path awaitSpool(Process process) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8));
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("SPOOLED ")) {
                        return Path.of(line.substring("SPOOLED ".length()));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new AssertionError("the spooling process ended before it spooled");
        }).get(60, TimeUnit.SECONDS);
    }

    /** The other dispatcher: spools a file as a batch call would, then waits to be killed. */
    public static final class Spooling {
        public static void main(String[] args) throws Exception {
            Path directory = SpoolDirectory.in(Path.of(args[0]));
            Path spooled = Files.writeString(directory.resolve("apex-batch-1.upload"), "{\"requests\":[]}");
            System.out.println("SPOOLED " + spooled);
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
