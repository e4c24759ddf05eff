package io.apexaudition.simulator.domain;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Bytes the simulator keeps for as long as a provider would (files, results), deflated at the fastest level:
 * a 100,000-generation audition with 20 KB outputs is ~3 GB of JSONL as text and a fraction of that packed,
 * and the providers it stands in for keep results for 29-30 days, so it must not forget them.
 */
public final class Packed {
    private final byte[] deflated;
    private final int size;

    private Packed(byte[] deflated, int size) {
        this.deflated = deflated;
        this.size = size;
    }

    public static Packed of(byte[] content) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(content);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, content.length / 3));
            byte[] buffer = new byte[64 * 1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return new Packed(out.toByteArray(), content.length);
        } finally {
            deflater.end();
        }
    }

    public static Packed of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The original length in bytes, as the Files API reports it. */
    public int size() {
        return size;
    }

    /** What the simulator holds for it. */
    public int packedSize() {
        return deflated.length;
    }

    public byte[] bytes() {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(deflated);
            byte[] content = new byte[size];
            int read = 0;
            while (read < size && !inflater.finished()) {
                int n = inflater.inflate(content, read, size - read);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break; // truncated: reported below rather than looping
                }
                read += n;
            }
            if (read != size) {
                throw new IllegalStateException("Packed content inflated to " + read + " of " + size + " bytes");
            }
            return content;
        } catch (DataFormatException e) {
            throw new IllegalStateException("Packed content is corrupt: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }
}
