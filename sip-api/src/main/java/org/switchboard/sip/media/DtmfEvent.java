package org.switchboard.sip.media;

import java.util.Objects;

/**
 * A digit the far end sent.
 *
 * @param digit {@code 0}-{@code 9}, {@code *}, {@code #}, {@code A}-{@code D}
 * @param durationSamples how long it was pressed, in samples (8000 a second)
 * @param source how it came ({@code RTP} for RFC 4733 events, {@code INBAND_AUDIO}, {@code ENDPOINT} for SIP INFO)
 */
public record DtmfEvent(String digit, int durationSamples, String source) {

    /** Checks the digit and source are present. */
    public DtmfEvent {
        Objects.requireNonNull(digit, "digit");
        Objects.requireNonNull(source, "source");
    }
}
