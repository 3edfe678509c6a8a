package org.switchboard.sip.stack.codec;

/**
 * Size limits of the SIP decoders.
 *
 * @param maxMessageBytes the largest message (headers and body) accepted
 * @param maxHeaderBytes the largest header section (start line and headers) accepted
 */
public record FramingLimits(int maxMessageBytes, int maxHeaderBytes) {

    /** Default largest message: 64 KiB, the largest UDP payload. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 65_535;
    /** Default largest header section: 16 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 16_384;
    /** The defaults. */
    public static final FramingLimits DEFAULTS = new FramingLimits(DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_HEADER_BYTES);

    public FramingLimits {
        if (maxHeaderBytes < 256) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 256 bytes, was " + maxHeaderBytes);
        }
        if (maxMessageBytes < maxHeaderBytes) {
            throw new IllegalArgumentException("maxMessageBytes (" + maxMessageBytes
                    + " bytes) must not be below maxHeaderBytes (" + maxHeaderBytes + " bytes)");
        }
    }
}
