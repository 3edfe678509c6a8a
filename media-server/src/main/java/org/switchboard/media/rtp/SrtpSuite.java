package org.switchboard.media.rtp;

import java.util.Arrays;
import java.util.Optional;

/** The SDES crypto suites (RFC 4568) this server speaks: AES counter mode with a 128-bit key, HMAC-SHA1 tags. */
public enum SrtpSuite {
    /** An 80-bit RTP authentication tag. */
    AES_CM_128_HMAC_SHA1_80(10),
    /** A 32-bit RTP authentication tag (SRTCP's stays 80 bits). */
    AES_CM_128_HMAC_SHA1_32(4);

    /** Bytes of the master key and the master salt. */
    public static final int KEY_BYTES = 16;
    public static final int SALT_BYTES = 14;

    private final int tagBytes;

    SrtpSuite(int tagBytes) {
        this.tagBytes = tagBytes;
    }

    /** The RTP authentication tag's length in bytes. */
    public int tagBytes() {
        return tagBytes;
    }

    /** The suite of an SDES name, if it is one of ours. */
    public static Optional<SrtpSuite> of(String name) {
        return Arrays.stream(values()).filter(s -> s.name().equals(name)).findFirst();
    }
}
