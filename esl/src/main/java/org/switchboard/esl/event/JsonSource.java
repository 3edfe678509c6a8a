package org.switchboard.esl.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code text/event-json} event scanned a field at a time. FreeSWITCH sends one flat object whose values
 * are strings (or arrays of strings, for multi-valued headers), the body as {@code _body}: the scanner only
 * finds where each name and value begin and end. A value that is plain ASCII without escapes becomes a string
 * directly; one with escapes, non-ASCII bytes or an array is read by Jackson, so the text is the same as
 * {@link EslEvent#parseJson} gives. Anything else (numbers, objects, malformed input) hands the whole event to
 * {@link EslEvent#parseJson}, which reads it as before or throws.
 */
final class JsonSource extends Source {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int NAME_SLOW = 1;
    private static final int VALUE_SLOW = 2;

    private boolean started;
    private int bodyFrom = -1;
    private int bodyTo;
    private int bodyFlags;
    private EslEvent.Parsed parsed;
    // set by stringEnd: whether the string scanned holds an escape or a non-ASCII byte
    private boolean slow;

    JsonSource(byte[] text) {
        super(text);
    }

    @Override
    List<EslEvent.Header> whole() {
        return parsed == null ? null : parsed.headers();
    }

    @Override
    void scanOne() {
        if (!step()) {
            readWhole();
        }
    }

    private void readWhole() {
        parsed = EslEvent.parseJson(b); // throws when malformed
        done = true;
    }

    /** Indexes one field; false when the input is not what FreeSWITCH writes (then Jackson reads it all). */
    private boolean step() {
        byte[] t = b;
        int n = t.length;
        int p = pos;
        if (!started) {
            p = ws(t, p, n);
            if (p >= n || t[p] != '{') {
                return false;
            }
            p = ws(t, p + 1, n);
            started = true;
            if (p < n && t[p] == '}') {
                done = true;
                return true;
            }
        }
        if (p >= n || t[p] != '"') {
            return false;
        }
        int nameFrom = p + 1;
        int nameTo = stringEnd(t, nameFrom, n);
        if (nameTo < 0) {
            return false;
        }
        int flags = slow ? NAME_SLOW : 0;
        if (nameTo + 2 < n && t[nameTo + 1] == ':' && t[nameTo + 2] == '"') {
            p = nameTo + 2; // "name":"value", as FreeSWITCH writes it
        } else {
            p = ws(t, nameTo + 1, n);
            if (p >= n || t[p] != ':') {
                return false;
            }
            p = ws(t, p + 1, n);
            if (p >= n) {
                return false;
            }
        }
        int valueFrom;
        int valueTo;
        if (t[p] == '"') {
            valueFrom = p + 1;
            valueTo = stringEnd(t, valueFrom, n);
            if (valueTo < 0) {
                return false;
            }
            if (slow) {
                flags |= VALUE_SLOW;
            }
            p = valueTo + 1;
        } else if (t[p] == '[') {
            // an array of strings; kept with its brackets for Jackson
            valueFrom = p;
            p = ws(t, p + 1, n);
            if (p < n && t[p] != ']') {
                while (true) {
                    if (p >= n || t[p] != '"') {
                        return false;
                    }
                    int end = stringEnd(t, p + 1, n);
                    if (end < 0) {
                        return false;
                    }
                    p = ws(t, end + 1, n);
                    if (p < n && t[p] == ',') {
                        p = ws(t, p + 1, n);
                    } else {
                        break;
                    }
                }
            }
            if (p >= n || t[p] != ']') {
                return false;
            }
            p++;
            valueTo = p;
            flags |= VALUE_SLOW;
        } else {
            return false;
        }
        boolean last;
        if (p + 1 < n && t[p] == ',' && t[p + 1] == '"') {
            p++;
            last = false;
        } else if ((p = ws(t, p, n)) >= n) {
            return false;
        } else if (t[p] == ',') {
            p = ws(t, p + 1, n);
            last = false;
        } else if (t[p] == '}') {
            last = true;
        } else {
            return false;
        }
        String name = (flags & NAME_SLOW) != 0 ? jacksonString(nameFrom - 1, nameTo + 1) : null;
        if (name != null ? name.equals("_body") : nameTo - nameFrom == 5 && isBody(t, nameFrom)) {
            bodyFrom = valueFrom;
            bodyTo = valueTo;
            bodyFlags = flags;
        } else if (!(name != null ? name.equalsIgnoreCase("Content-Length")
                : latin1EqualsIgnoreCase(t, nameFrom, nameTo, "Content-Length"))) {
            add(nameFrom, nameTo, valueFrom, valueTo, flags);
        }
        pos = p;
        done = last;
        return true;
    }

    /**
     * Looks for {@code "name":"} straight away, the name in any case. In valid JSON an unescaped quote only opens
     * or closes a string, so those bytes after a comma or the opening brace can only be that key and its value,
     * and the first of them is the first such header: the fields before it need no indexing (dispatch reads
     * Unique-ID, the 18th field of a channel event, this way). Not seen this way, and so possibly passed over for
     * a later field of the same name: a name written with escapes, or an earlier value that is an array.
     */
    @Override
    String seek(String name) {
        int len = name.length();
        if (parsed != null || len == 0 || len > 64 || name.equalsIgnoreCase("Content-Length") || name.equals("_body")) {
            return null; // the scan leaves these two out of the headers
        }
        byte[] t = b;
        int n = t.length;
        char first = name.charAt(0);
        if (first >= 0x80) {
            return null;
        }
        byte upper = (byte) Character.toUpperCase(first);
        byte lower = (byte) Character.toLowerCase(first);
        for (int i = Math.max(pos, 1); ; i++) {
            i = Swar.indexOfEither(t, i, n, upper, lower);
            int valueFrom = i + len + 3;
            if (valueFrom >= n) {
                return null;
            }
            if (t[i - 1] == '"' && t[i + len] == '"' && t[i + len + 1] == ':' && t[i + len + 2] == '"'
                    && latin1EqualsIgnoreCase(t, i, i + len, name) && keyStart(t, i - 2)) {
                int valueTo = stringEnd(t, valueFrom, n);
                return valueTo < 0 ? null : value(valueFrom, valueTo, slow ? VALUE_SLOW : 0);
            }
        }
    }

    /** Whether the last non-blank byte at or before {@code at} is a comma or the opening brace. */
    private static boolean keyStart(byte[] t, int at) {
        int p = at;
        while (p >= 0 && (t[p] == ' ' || t[p] == '\n' || t[p] == '\r' || t[p] == '\t')) {
            p--;
        }
        return p >= 0 && (t[p] == ',' || t[p] == '{');
    }

    private static boolean isBody(byte[] t, int from) {
        return t[from] == '_' && t[from + 1] == 'b' && t[from + 2] == 'o' && t[from + 3] == 'd' && t[from + 4] == 'y';
    }

    private static int ws(byte[] t, int p, int n) {
        while (p < n && (t[p] == ' ' || t[p] == '\n' || t[p] == '\r' || t[p] == '\t')) {
            p++;
        }
        return p;
    }

    /** The index of the quote that ends the string starting at {@code from}, or -1 (unterminated, or a raw control character). */
    private int stringEnd(byte[] t, int from, int n) {
        boolean s = false;
        int i = from;
        while (true) {
            i = Swar.jsonSpecial(t, i, n);
            if (i >= n) {
                return -1;
            }
            int c = t[i];
            if (c == '"') {
                slow = s;
                return i;
            }
            s = true;
            if (c == '\\') {
                i += 2;
            } else if (c >= 0) {
                return -1; // a raw control character, which Jackson refuses
            } else {
                i++; // a byte of a multi-byte UTF-8 character
            }
        }
    }

    @Override
    String decodeName(int i) {
        int from = span(i, NAME_FROM);
        int to = span(i, NAME_TO);
        return (span(i, FLAGS) & NAME_SLOW) != 0 ? jacksonString(from - 1, to + 1)
                : new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    @Override
    String decodeValue(int i) {
        return value(span(i, VALUE_FROM), span(i, VALUE_TO), span(i, FLAGS));
    }

    private String value(int from, int to, int flags) {
        if ((flags & VALUE_SLOW) == 0) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1); // ASCII
        }
        return b[from] == '[' ? jacksonString(from, to) : jacksonString(from - 1, to + 1);
    }

    @Override
    boolean nameIs(int i, String name) {
        if ((span(i, FLAGS) & NAME_SLOW) != 0) {
            return decodeName(i).equalsIgnoreCase(name);
        }
        return latin1EqualsIgnoreCase(b, span(i, NAME_FROM), span(i, NAME_TO), name);
    }

    @Override
    String decodeBody() {
        if (parsed != null) {
            return parsed.body();
        }
        return bodyFrom < 0 ? "" : value(bodyFrom, bodyTo, bodyFlags);
    }

    /** A string or an array of strings in {@code b[from..to)}, read by Jackson as {@link EslEvent#parseJson} reads values. */
    private String jacksonString(int from, int to) {
        try (JsonParser p = JSON.createParser(b, from, to - from)) {
            if (p.nextToken() == JsonToken.START_ARRAY) {
                List<String> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(p.getValueAsString(""));
                }
                return "ARRAY::" + String.join("|:", items);
            }
            return p.getValueAsString("");
        } catch (IOException e) {
            // the whole event gives the same error as before the scanner existed
            EslEvent.parseJson(b);
            throw new IllegalArgumentException("malformed JSON event: " + e.getMessage(), e);
        }
    }
}
