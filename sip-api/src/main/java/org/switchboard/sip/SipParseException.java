package org.switchboard.sip;

/**
 * Input that does not follow the SIP grammar (RFC 3261 section 25 and its extensions).
 *
 * <p>The message says what was wrong; {@link #where()} says where, as a short description
 * such as {@code "Via header"} or {@code "Request-URI"}, and {@link #offset()} gives the
 * character or byte offset inside that element when it is known.
 */
public class SipParseException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String where;
    private final int offset;

    /**
     * A parse error.
     *
     * @param where the element that failed to parse, such as {@code "CSeq header"}
     * @param offset the offset inside that element, or -1 when not known
     * @param reason what was wrong
     */
    public SipParseException(String where, int offset, String reason) {
        super(where + (offset >= 0 ? " at offset " + offset : "") + ": " + reason);
        this.where = where;
        this.offset = offset;
    }

    /** The element that failed to parse, such as {@code "Via header"}. */
    public String where() {
        return where;
    }

    /** The offset inside that element, or -1 when not known. */
    public int offset() {
        return offset;
    }

    /** What was wrong, without the location. */
    public String reason() {
        String message = getMessage();
        return message.substring(message.indexOf(": ") + 2);
    }
}
