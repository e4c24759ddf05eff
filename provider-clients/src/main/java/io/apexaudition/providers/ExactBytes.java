package io.apexaudition.providers;

import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * A batch upload as one array of exactly its length, for a REST client that takes the body whole: written once to
 * count its bytes and once into the array. A batch of thousands of ~10 KB bodies is tens of megabytes, so it is
 * never a String (a UTF-16 copy), nor a growing buffer (up to twice its size while it doubles, then copied again
 * to its length): at most the array itself is held. {@code write} must write the same bytes both times.
 */
final class ExactBytes {
    private ExactBytes() {
    }

    static byte[] of(Consumer<OutputStream> write) {
        Counting counting = new Counting();
        write.accept(counting);
        if (counting.count > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a batch upload of " + counting.count + " bytes does not fit in an array");
        }
        Filling filling = new Filling(new byte[(int) counting.count]);
        write.accept(filling);
        if (filling.position != filling.bytes.length) {
            throw new IllegalStateException("a batch upload came out " + filling.position + " bytes long the second "
                    + "time it was written, " + filling.bytes.length + " the first");
        }
        return filling.bytes;
    }

    private static final class Counting extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private static final class Filling extends OutputStream {
        final byte[] bytes;
        int position;

        Filling(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void write(int b) {
            check(1);
            bytes[position++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            check(len);
            System.arraycopy(b, off, bytes, position, len);
            position += len;
        }

        private void check(int len) {
            if (len > bytes.length - position) {
                throw new IllegalStateException("a batch upload came out longer the second time it was written than "
                        + "the " + bytes.length + " bytes of the first");
            }
        }
    }
}
