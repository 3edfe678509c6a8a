package org.switchboard.sip.message;

import java.nio.charset.StandardCharsets;
import org.switchboard.sip.SipParseException;

/** What a stream transport needs to cut messages out of a byte stream (RFC 3261 section 18.3). */
public final class SipFraming {

    private SipFraming() {
    }

    /**
     * The Content-Length declared in a header section, or -1 when there is none.
     *
     * @param head the header section (start line and header lines)
     * @throws SipParseException when a value is not a length or two values disagree
     */
    public static long contentLength(byte[] head, int from, int to) {
        long found = -1;
        int pos = from;
        while (pos < to) {
            int lineEnd = pos;
            while (lineEnd < to && head[lineEnd] != '\n') {
                lineEnd++;
            }
            if (isContentLength(head, pos, lineEnd)) {
                int colon = pos;
                while (head[colon] != ':') {
                    colon++;
                }
                String value = new String(head, colon + 1, lineEnd - colon - 1, StandardCharsets.ISO_8859_1).strip();
                long n = MessageParser.contentLength(value);
                if (n < 0) {
                    throw new SipParseException("Content-Length header", colon + 1 - pos, "'" + value + "' is not a length");
                }
                if (found >= 0 && found != n) {
                    throw new SipParseException("Content-Length header", -1,
                            "two Content-Length values disagree: " + found + " and " + n);
                }
                found = n;
            }
            pos = lineEnd + 1;
        }
        return found;
    }

    private static boolean isContentLength(byte[] b, int start, int end) {
        int colon = -1;
        for (int i = start; i < end; i++) {
            if (b[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            return false;
        }
        int nameEnd = colon;
        while (nameEnd > start && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        String name = new String(b, start, nameEnd - start, StandardCharsets.ISO_8859_1);
        return HeaderNames.matches(name, HeaderNames.CONTENT_LENGTH);
    }
}
