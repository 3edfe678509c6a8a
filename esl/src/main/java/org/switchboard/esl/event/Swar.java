package org.switchboard.esl.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte searches eight bytes at a time (SIMD within a register): the inner loops of the event scanners. */
final class Swar {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final long ONES = 0x0101010101010101L;
    static final long HIGH = 0x8080808080808080L;
    private static final long LF = 0x0A0A0A0A0A0A0A0AL;
    private static final long QUOTE = 0x2222222222222222L;
    private static final long BACKSLASH = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACE = 0x2020202020202020L;
    private static final long COLON = 0x3A3A3A3A3A3A3A3AL;

    private Swar() {
    }

    static long word(byte[] b, int at) {
        return (long) LONGS.get(b, at);
    }

    /** High bit set in each byte of the result where some byte of {@code w} is zero (exact for the lowest such byte). */
    static long zeroBytes(long w) {
        return (w - ONES) & ~w & HIGH;
    }

    /** The index of the first {@code \n} in {@code b[from..to)}, or {@code to}. */
    static int lineEnd(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long hit = zeroBytes(word(b, i) ^ LF);
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return to;
    }

    /**
     * The index of the first byte in {@code b[from..to)} that needs a look inside a JSON string: a quote, a
     * backslash, a control character (below 0x20) or a non-ASCII byte; {@code to} when there is none.
     */
    static int jsonSpecial(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = word(b, i);
            // the lowest byte flagged is always a true hit: borrows only run upwards
            long q = w ^ QUOTE;
            long s = w ^ BACKSLASH;
            // zero bytes of q and s, bytes below a space, bytes with the high bit: one mask for the four
            long hit = ((q - ONES) & ~q | (s - ONES) & ~s | (w - SPACE) | w) & HIGH;
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            int c = b[i];
            if (c == '"' || c == '\\' || c < 0x20) {
                return i;
            }
        }
        return to;
    }

    /**
     * The index of the first byte in {@code b[from..to)} that is {@code y} or, with bit 0x20 set, {@code folded} (both
     * cases of an ASCII letter, in one comparison), or {@code to}.
     */
    static int indexOfFoldedOr(byte[] b, int from, int to, byte folded, byte y) {
        long px = ONES * (folded & 0xff);
        long py = ONES * (y & 0xff);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = word(b, i);
            long hit = zeroBytes((w | SPACE) ^ px) | zeroBytes(w ^ py);
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            if ((b[i] | 0x20) == folded || b[i] == y) {
                return i;
            }
        }
        return to;
    }

    /** The index of the first {@code x} in {@code b[from..to)}, or {@code to}. */
    static int indexOf(byte[] b, int from, int to, byte x) {
        long px = ONES * (x & 0xff);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long hit = zeroBytes(word(b, i) ^ px);
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return to;
    }

    /** The index of the first {@code :} or {@code \n} in {@code b[from..to)}, or {@code to}. */
    static int colonOrLineEnd(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = word(b, i);
            long hit = zeroBytes(w ^ COLON) | zeroBytes(w ^ LF);
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == ':' || b[i] == '\n') {
                return i;
            }
        }
        return to;
    }
}
