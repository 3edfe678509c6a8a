package org.switchboard.media.rtp;

/**
 * An RFC 4733 telephone-event payload (DTMF named events 0..15): the event, the end bit, the volume (0 to -63 dBm0,
 * as a positive number) and the duration so far in timestamp units.
 *
 * @param event 0-9 digits, 10 '*', 11 '#', 12-15 'A'-'D'
 * @param end whether this packet ends the event
 * @param volume 0..63
 * @param duration 0..65535 timestamp units
 */
public record TelephoneEvent(int event, boolean end, int volume, int duration) {

    /** The payload size. */
    public static final int BYTES = 4;
    private static final String DIGITS = "0123456789*#ABCD";

    public TelephoneEvent {
        if (event < 0 || event > 255 || volume < 0 || volume > 63 || duration < 0 || duration > 0xFFFF) {
            throw new IllegalArgumentException("telephone event " + event + "/" + volume + "/" + duration + " is out of range");
        }
    }

    /** Reads a 4-byte payload. */
    public static TelephoneEvent parse(byte[] payload) {
        if (payload.length < BYTES) {
            throw new IllegalArgumentException("a telephone-event payload has 4 bytes, this one " + payload.length);
        }
        return new TelephoneEvent(payload[0] & 0xFF, (payload[1] & 0x80) != 0, payload[1] & 0x3F,
                (payload[2] & 0xFF) << 8 | payload[3] & 0xFF);
    }

    /** The event for a DTMF digit (0-9, *, #, A-D). */
    public static int eventOf(char digit) {
        int i = DIGITS.indexOf(Character.toUpperCase(digit));
        if (i < 0) {
            throw new IllegalArgumentException("'" + digit + "' is not a DTMF digit");
        }
        return i;
    }

    /** The DTMF digit of this event, or '?' for events above 15. */
    public char digit() {
        return event < DIGITS.length() ? DIGITS.charAt(event) : '?';
    }

    /** The 4-byte payload. */
    public byte[] toBytes() {
        return new byte[] {(byte) event, (byte) ((end ? 0x80 : 0) | volume), (byte) (duration >> 8), (byte) duration};
    }
}
