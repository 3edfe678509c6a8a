package org.switchboard.sip.message;

import java.util.Objects;
import org.switchboard.sip.SipParseException;

/**
 * The CSeq header: a sequence number (0 to 2<sup>32</sup>-1) and a method.
 *
 * @param number the sequence number
 * @param method the method, case preserved
 */
public record CSeq(long number, String method) {

    /** The largest sequence number RFC 3261 allows. */
    public static final long MAX_NUMBER = 0xFFFF_FFFFL;

    public CSeq {
        Objects.requireNonNull(method, "method");
        if (number < 0 || number > MAX_NUMBER) {
            throw new IllegalArgumentException("CSeq number must be 0.." + MAX_NUMBER + ", was " + number);
        }
        if (!Grammar.isToken(method, 0, method.length())) {
            throw new IllegalArgumentException("CSeq method '" + method + "' is not a token");
        }
    }

    /**
     * Parses a CSeq value such as {@code 314159 INVITE}.
     *
     * @throws SipParseException when it is not one
     */
    public static CSeq parse(String value) {
        String where = "CSeq header";
        int pos = Grammar.skipWhite(value, 0);
        int digits = pos;
        while (digits < value.length() && !Grammar.isWhite(value.charAt(digits))) {
            digits++;
        }
        long number = Grammar.number(value.substring(pos, digits), MAX_NUMBER, where);
        int methodStart = Grammar.skipWhite(value, digits);
        if (methodStart == digits) {
            throw new SipParseException(where, digits, "no white space between number and method");
        }
        int end = value.length();
        while (end > methodStart && Grammar.isWhite(value.charAt(end - 1))) {
            end--;
        }
        if (!Grammar.isToken(value, methodStart, end)) {
            throw new SipParseException(where, methodStart, "method '" + value.substring(methodStart, end) + "' is not a token");
        }
        return new CSeq(number, value.substring(methodStart, end));
    }

    @Override
    public String toString() {
        return number + " " + method;
    }
}
