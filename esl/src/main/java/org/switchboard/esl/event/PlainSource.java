package org.switchboard.esl.event;

import java.nio.charset.StandardCharsets;
import org.switchboard.esl.codec.PercentCoding;

/**
 * A {@code text/event-plain} event read a line at a time: {@code Name: value} lines (percent-encoded values,
 * {@code _undef_} for empty ones) up to an empty line, then {@code Content-Length} bytes of body. Gives the
 * same headers and body as reading every line at once did.
 */
final class PlainSource extends Source {

    private static final String UNDEF = "_undef_";
    private static final int NO_VALUE = 1;

    private int bodyLength = -1;

    PlainSource(byte[] text) {
        super(text);
    }

    // dispatch indexes up to Unique-ID, among the first twenty lines
    @Override
    int expectedHeaders() {
        return 24;
    }

    @Override
    void scanOne() {
        byte[] t = b;
        int n = t.length;
        int p = pos;
        if (p >= n) {
            done = true;
            return;
        }
        // the name up to the first ": ", then the value up to the line end
        int sep = -1;
        int eol = n;
        for (int i = p; i < n; i++) {
            i = Swar.colonOrLineEnd(t, i, n);
            if (i >= n) {
                break;
            }
            if (t[i] == '\n') {
                eol = i;
                break;
            }
            if (i + 1 < n && t[i + 1] == ' ') {
                sep = i;
                eol = lineEnd(t, i + 2, n);
                break;
            }
        }
        if (eol == p) {
            pos = p + 1; // the body follows the empty line
            done = true;
            return;
        }
        int nameTo = sep < 0 ? eol : sep;
        int valueFrom = sep < 0 ? eol : sep + 2;
        if (nameTo - p == 14 && latin1EqualsIgnoreCase(t, p, nameTo, "Content-Length")) {
            String value = sep < 0 ? "" : PercentCoding.decode(t, valueFrom, eol);
            bodyLength = Integer.parseInt(value.strip());
        } else {
            add(p, nameTo, valueFrom, eol, sep < 0 ? NO_VALUE : 0);
        }
        pos = eol + 1;
    }

    private static int lineEnd(byte[] t, int from, int n) {
        return Swar.lineEnd(t, from, n);
    }

    @Override
    String decodeName(int i) {
        int from = span(i, NAME_FROM);
        // UTF-8 like the values and the body, so that an event prints back as it was read (names are ASCII in practice)
        return new String(b, from, span(i, NAME_TO) - from, StandardCharsets.UTF_8);
    }

    @Override
    String decodeValue(int i) {
        if ((span(i, FLAGS) & NO_VALUE) != 0) {
            return "";
        }
        String value = PercentCoding.decode(b, span(i, VALUE_FROM), span(i, VALUE_TO));
        return value.equals(UNDEF) ? "" : value;
    }

    @Override
    boolean nameIs(int i, String name) {
        return latin1EqualsIgnoreCase(b, span(i, NAME_FROM), span(i, NAME_TO), name);
    }

    @Override
    String decodeBody() {
        int n = b.length;
        return bodyLength >= 0 && pos < n ? new String(b, pos, Math.min(bodyLength, n - pos), StandardCharsets.UTF_8) : "";
    }
}
