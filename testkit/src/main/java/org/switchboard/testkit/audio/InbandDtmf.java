package org.switchboard.testkit.audio;

import org.switchboard.media.dtmf.DtmfDetector;

/** DTMF digits sent as tones inside the audio, found by the media server's own Goertzel detector. */
public final class InbandDtmf {

    /** Row frequencies, then column frequencies, in Hz. */
    private static final double[] ROWS = {697, 770, 852, 941};
    private static final double[] COLUMNS = {1209, 1336, 1477, 1633};
    private static final String KEYS = "123A456B789C*0#D";

    private InbandDtmf() {
    }

    /** The digits in {@code samples[from..to)}, each key press once, in order. */
    public static String detect(short[] samples, int from, int to) {
        StringBuilder digits = new StringBuilder();
        new DtmfDetector(digits::append).process(samples, from, to - from);
        return digits.toString();
    }

    /** The two frequencies of a DTMF key ({@code 0-9 * # A-D}), row first. */
    public static double[] frequencies(char digit) {
        int key = KEYS.indexOf(Character.toUpperCase(digit));
        if (key < 0) {
            throw new IllegalArgumentException("'" + digit + "' is not a DTMF key (0-9, *, #, A-D)");
        }
        return new double[] {ROWS[key / 4], COLUMNS[key % 4]};
    }
}
