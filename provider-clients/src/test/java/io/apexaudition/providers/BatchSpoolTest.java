package io.apexaudition.providers;

import io.apexaudition.core.RequestBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An OpenAI batch file spooled to disk for the REST client to stream, instead of held in the heap as one array. */
class BatchSpoolTest {

    @Test
    void shouldSpoolExactlyTheBytesTheFileIsMadeOfAndDeleteThemOnClose(@TempDir Path dir) throws IOException {
        // given two lines with non-ASCII bodies
        List<Map.Entry<String, String>> lines = List.of(Map.entry("g1-a1", "{\"model\":\"gpt-4o\",\"t\":\"café — ☕\"}"),
                Map.entry("g2-a1", "{\"model\":\"gpt-4o\",\"t\":\"plain\"}"));

        // when the file is spooled
        File spooled;
        try (BatchSpool spool = BatchSpool.of(dir, out -> RequestBodies.writeOpenAiBatchFile(lines.stream()
                .map(l -> Map.entry(l.getKey(), l.getValue().getBytes(StandardCharsets.UTF_8))).iterator(), out))) {
            spooled = spool.file();

            // then it holds the file, byte for byte, readable by this user only
            assertThat(spooled.toPath().getParent()).isEqualTo(dir);
            assertThat(Files.readAllBytes(spooled.toPath())).isEqualTo(RequestBodies.openAiBatchFile(lines));
            assertThat(Files.getPosixFilePermissions(spooled.toPath()))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }

        // and it is gone once closed
        assertThat(spooled).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void shouldLeaveNothingBehindWhenTheWriteFails(@TempDir Path dir) {
        // given a writer that fails half way (a body that came out different from its claim check)
        // when it is spooled, then the failure comes through as it was, and no file of it is left
        assertThatThrownBy(() -> BatchSpool.of(dir, out -> {
            write(out, "{\"custom_id\":\"g1-a1\"");
            throw new IllegalStateException("the body of g1-a1 came out different");
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("came out different");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void shouldNameTheFileAndTheFixWhenTheDiskRefusesTheWrite(@TempDir Path dir) {
        // given a write that fails as a full disk does, wrapped by the JSON writer
        // when it is spooled, then the error names the file and what to do, and the file is gone
        assertThatThrownBy(() -> BatchSpool.of(dir, out -> {
            write(out, "{\"custom_id\":\"g1-a1\"");
            throw new UncheckedIOException(new IOException("No space left on device"));
        })).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("No space left on device")
                .hasMessageContaining("must be writable, with room for a batch");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void shouldNameTheDirectoryWhenItCannotBeWritten(@TempDir Path dir) {
        // given a temporary directory that is not there
        Path missing = dir.resolve("gone");

        // when a batch is spooled into it, then the error names it and what it must be
        assertThatThrownBy(() -> BatchSpool.of(missing, out -> write(out, "x")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(missing.toString())
                .hasMessageContaining("java.io.tmpdir");
    }

    private static void write(java.io.OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
