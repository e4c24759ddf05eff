package io.apexaudition.providers;

import org.jboss.logging.Logger;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * An OpenAI batch file spooled to a temporary file, which the REST client's multipart encoder streams from disk. A
 * batch of thousands of bodies is tens of megabytes: held as one array, it outlived a young collection while its
 * upload ran, was promoted, and filled the old generation of a 128 MB heap, a full collection per batch
 * (docs/benchmarks.md, session 23). Each body is asked for once, as it is written. The file is created readable by this
 * user only, holds request bodies (never a key), and is deleted on close. (Anthropic's create is a JSON body, which
 * the REST client sends from a file without its content type and without closing it: it stays an exact array,
 * {@link ExactBytes}.)
 */
final class BatchSpool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BatchSpool.class);
    /** What every spooling error says to do. */
    private static final String FIX = "the dispatcher's temporary directory (java.io.tmpdir) must be writable, with "
            + "room for a batch";

    private final Path path;

    private BatchSpool(Path path) {
        this.path = path;
    }

    /** Spools what {@code write} writes into the temporary directory; nothing is left behind when it throws. */
    static BatchSpool of(Consumer<OutputStream> write) {
        return of(Path.of(System.getProperty("java.io.tmpdir")), write);
    }

    static BatchSpool of(Path directory, Consumer<OutputStream> write) {
        Path path;
        try {
            path = Files.createTempFile(directory, "apex-batch-", ".upload");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool a batch upload into " + directory + " (" + e + "): " + FIX, e);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 64 * 1024)) {
            write.accept(out);
        } catch (IOException e) {
            throw spoolFailed(path, e, e);
        } catch (UncheckedIOException e) {
            // what the JSON writer wraps (a full disk, most likely): named with the file
            throw spoolFailed(path, e.getCause(), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(path, e);
            throw e;
        }
        return new BatchSpool(path);
    }

    private static UncheckedIOException spoolFailed(Path path, IOException cause, Exception thrown) {
        deleteQuietly(path, thrown);
        return new UncheckedIOException("cannot spool a batch upload to " + path + " (" + cause + "): " + FIX, cause);
    }

    /** The spooled bytes, as the REST client takes a file to stream. */
    File file() {
        return path.toFile();
    }

    /**
     * Deletes the file. Never throws: it runs after the upload, whose answer must reach the caller whatever becomes of
     * the file (an exception here would hide a batch that exists).
     */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("A spooled batch upload could not be deleted (%s): delete %s by hand", e, path);
        }
    }

    private static void deleteQuietly(Path path, Throwable cause) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
