package io.apexaudition.providers;

import io.apexaudition.events.ErrorKind;
import org.jboss.logging.Logger;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A batch upload spooled to a temporary file, which the REST client streams from disk: the OpenAI batch file through
 * its multipart encoder, the Anthropic create as a stream {@link #open opened} afresh for each attempt, its length
 * stated (the content type is the REST client's {@code application/json}). A batch of thousands of bodies is
 * tens of megabytes: held as one array, it outlived a young collection while its call ran, was promoted, and filled
 * the old generation of a 128 MB heap, a full collection per batch (docs/benchmarks.md, sessions 23 and 24); the
 * REST client also copies a byte[] body into a growing buffer, then copies that again. Each body is asked for once,
 * as it is written. The file is created readable by this user only, in this process's {@link SpoolDirectory}, holds
 * request bodies (never a key), and is deleted on close; one a killed process left is deleted by the next.
 */
final class BatchSpool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BatchSpool.class);
    /** What every spooling error says to do. */
    private static final String FIX = "the dispatcher's temporary directory (java.io.tmpdir) must be writable, with "
            + "room for a batch";

    private final Path path;
    private final long size;

    private BatchSpool(Path path, long size) {
        this.path = path;
        this.size = size;
    }

    /**
     * Spools run {@code runId}'s batch into the temporary directory. A spool that fails made no call: it is refused
     * as {@link ErrorKind#NOT_SENT}, which settles the batch's intent at once (a bare exception left the intent in
     * doubt for the listing's window, and the lane group was tried again under new intents while the disk stayed
     * full). Nothing is left behind.
     */
    static BatchSpool forBatch(String runId, Consumer<OutputStream> write) {
        Path directory;
        try {
            // this process's own directory, so that a spool left by a killed one can be told apart and deleted
            directory = SpoolDirectory.in(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (UncheckedIOException e) {
            throw notSent(runId, e.getMessage() + ": " + FIX);
        }
        try {
            return of(directory, write);
        } catch (UncheckedIOException e) {
            throw notSent(runId, e.getMessage());
        }
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
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw spoolFailed(path, e, e);
        }
        return new BatchSpool(path, size);
    }

    private static UncheckedIOException spoolFailed(Path path, IOException cause, Exception thrown) {
        deleteQuietly(path, thrown);
        return new UncheckedIOException("cannot spool a batch upload to " + path + " (" + cause + "): " + FIX, cause);
    }

    /** The spooled bytes, as the REST client takes a file to stream in a multipart upload. */
    File file() {
        return path.toFile();
    }

    /** How many bytes were spooled: a streamed body's Content-Length. */
    long size() {
        return size;
    }

    /**
     * The spooled bytes from the start, for one attempt of a call that streams them; the caller closes it. A spool
     * that cannot be read back is a call never made: {@link ErrorKind#NOT_SENT} (only a 429, which creates nothing,
     * lets a create be attempted again).
     */
    InputStream open(String runId) {
        try {
            return Files.newInputStream(path);
        } catch (IOException e) {
            throw notSent(runId, "cannot read the spooled batch " + path + " back (" + e + "): " + FIX);
        }
    }

    /** Closes a stream {@link #open} gave, after its call; never throws (the call's answer must reach the caller). */
    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            LOG.warnf("A spooled batch's stream could not be closed (%s)", e);
        }
    }

    private static ProviderCallException notSent(String runId, String why) {
        return new ProviderCallException(-1, ErrorKind.NOT_SENT, "the batch was not sent: " + why
                + "; then `apex retry " + runId + "` sends these generations");
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
