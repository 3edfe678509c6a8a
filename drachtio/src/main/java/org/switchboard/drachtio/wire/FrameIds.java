package org.switchboard.drachtio.wire;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fresh message ids for frames, written as version-4 UUIDs like drachtio-server's and drachtio-srf's. An id only
 * has to be unique among one connection's pending requests, so it is drawn from the calling thread's own
 * generator: {@link UUID#randomUUID()} draws from the one shared {@code SecureRandom}, whose lock every I/O and
 * callback thread took about ten times per call (the most contended monitor of a call through the container).
 */
public final class FrameIds {

    private FrameIds() {
    }

    /** A new random id in the UUID text form ({@code xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx}). */
    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }
}
