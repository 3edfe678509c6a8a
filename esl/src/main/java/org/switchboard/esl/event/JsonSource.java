package org.switchboard.esl.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code text/event-json} event. FreeSWITCH writes one flat object without white space whose values are strings
 * (or arrays of strings, for multi-valued headers), the body as {@code _body}. Two ways in:
 * <ul>
 * <li>{@link #seek}, for dispatch: one header found straight away without indexing the fields before it;</li>
 * <li>{@link #scanOne}: one pass over the text finds where every name and value begins and ends (the end of a
 * string searched eight bytes at a time for a quote, backslash, control or non-ASCII byte).</li>
 * </ul>
 * Strings are made only when read: ASCII without escapes is copied, common escapes are decoded here; non-ASCII text,
 * {@code \}{@code u} escapes beyond Latin-1 and arrays are read by Jackson, so the text is the same as
 * {@link EslEvent#parseJson} gives. Anything else (white space between tokens, numbers, objects, malformed input)
 * hands the whole event to {@link EslEvent#parseJson}, which reads it as a whole or throws.
 */
final class JsonSource extends Source {

    // per string: an escape, a non-ASCII byte; a name's bits, then (shifted) its value's
    private static final int ESCAPED = 1;
    private static final int HIGH = 2;
    private static final int VALUE = 2;
    private static final int ARRAY = 16;

    private int bodyFrom = -1;
    private int bodyTo;
    private int bodyFlags;
    private EslEvent.Parsed parsed;

    // what stringEnd saw in the last string
    private int stringFlags;
    // while readAll runs: the strings made so far (index records spans when these are null)
    private String[] madeNames;
    private String[] madeValues;
    private int made;

    JsonSource(byte[] text) {
        super(text);
    }

    @Override
    List<EslEvent.Header> whole() {
        return parsed == null ? null : parsed.headers();
    }

    @Override
    void scanOne() {
        if (!index()) {
            readByJackson();
        }
        done = true;
    }

    // the index records every field at once: as many as FreeSWITCH's fields of about 40 bytes would be
    @Override
    int expectedHeaders() {
        return Math.max(16, b.length >>> 5);
    }

    /** The index's pass making every name and value as it goes instead of recording where they are. */
    @Override
    HeaderList readAll() {
        int capacity = expectedHeaders();
        madeNames = new String[capacity];
        madeValues = new String[capacity];
        made = 0;
        try {
            if (index()) {
                done = true;
                return new HeaderList(madeNames, madeValues, made);
            }
        } finally {
            madeNames = null;
            madeValues = null;
        }
        readByJackson();
        done = true;
        return null;
    }

    private void readByJackson() {
        count = 0;
        bodyFrom = -1;
        parsed = EslEvent.parseJson(b); // throws when malformed
    }

    /** Indexes every field; false when the text is not written as FreeSWITCH writes it (then Jackson reads it). */
    private boolean index() {
        bodyFrom = -1;
        byte[] t = b;
        int n = t.length;
        while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == '\t')) {
            n--;
        }
        if (n < 2 || t[0] != '{' || t[n - 1] != '}') {
            return false;
        }
        if (n == 2) {
            return true; // {}
        }
        int last = n - 1;
        int p = 1;
        while (true) {
            if (t[p] != '"') {
                return false;
            }
            int nameFrom = p + 1;
            int nameTo = stringEnd(t, nameFrom, last);
            if (nameTo < 0 || t[nameTo + 1] != ':') {
                return false;
            }
            int flags = stringFlags;
            int v = nameTo + 2;
            int valueFrom;
            int valueTo;
            int after;
            if (t[v] == '"') {
                valueFrom = v + 1;
                valueTo = stringEnd(t, valueFrom, last);
                if (valueTo < 0) {
                    return false;
                }
                flags |= stringFlags << VALUE;
                after = valueTo + 1;
            } else if (t[v] == '[') {
                // kept with its brackets, for Jackson
                int a = v + 1;
                while (t[a] != ']') {
                    int close = t[a] == '"' ? stringEnd(t, a + 1, last) : -1;
                    if (close < 0) {
                        return false;
                    }
                    a = close + 1;
                    if (t[a] == ',') {
                        a++;
                    } else if (t[a] != ']') {
                        return false;
                    }
                }
                valueFrom = v;
                valueTo = a + 1;
                flags |= ARRAY;
                after = valueTo;
            } else {
                return false;
            }
            // the common field kept small enough to compile into this loop: the rest is a call
            int nameLength = nameTo - nameFrom;
            if (flags != 0 || nameLength == "_body".length() || nameLength == "Content-Length".length()) {
                field(nameFrom, nameTo, valueFrom, valueTo, flags);
            } else if (madeNames == null) {
                add(nameFrom, nameTo, valueFrom, valueTo, 0);
            } else {
                made(ascii(nameFrom, nameTo), ascii(valueFrom, valueTo));
            }
            if (after == last) {
                return true;
            }
            if (t[after] != ',') {
                return false;
            }
            p = after + 1;
        }
    }

    /** Records a field, or makes its strings: the body and Content-Length are no headers. */
    private void field(int nameFrom, int nameTo, int valueFrom, int valueTo, int flags) {
        boolean body;
        boolean length;
        String name = null;
        if ((flags & (ESCAPED | HIGH)) != 0) {
            name = string(nameFrom, nameTo, flags & (ESCAPED | HIGH));
            body = name.equals("_body");
            length = name.equalsIgnoreCase("Content-Length");
        } else {
            body = nameTo - nameFrom == 5 && isBody(b, nameFrom);
            length = latin1EqualsIgnoreCase(b, nameFrom, nameTo, "Content-Length");
        }
        if (body) {
            if (bodyFrom >= 0) {
                value(bodyFrom, bodyTo, bodyFlags); // a second _body: the first is dropped, but refused if malformed
            }
            bodyFrom = valueFrom;
            bodyTo = valueTo;
            bodyFlags = flags >>> VALUE;
        } else if (length) {
            if ((flags >>> VALUE) != 0) {
                value(valueFrom, valueTo, flags >>> VALUE); // dropped, but refused if malformed, as Jackson does
            }
        } else if (madeNames == null) {
            add(nameFrom, nameTo, valueFrom, valueTo, flags);
        } else {
            made(name != null ? name : string(nameFrom, nameTo, 0), value(valueFrom, valueTo, flags >>> VALUE));
        }
    }

    private void made(String name, String value) {
        if (made == madeNames.length) {
            madeNames = Arrays.copyOf(madeNames, made * 2);
            madeValues = Arrays.copyOf(madeValues, made * 2);
        }
        madeNames[made] = name;
        madeValues[made] = value;
        made++;
    }

    /**
     * Looks for {@code "name":"} straight away, the name in any case. In valid JSON an unescaped quote only opens
     * or closes a string, so those bytes after a comma or the opening brace can only be that key and its value,
     * and the first of them is the first such header: the fields before it need no indexing (dispatch reads
     * Unique-ID, the 18th field of a channel event, this way). Gives up (null: the fields are indexed) where an
     * earlier field could have the same name unseen: a backslash before the match (a name may be escaped), or the
     * name with an array value.
     */
    @Override
    String seek(String name) {
        int len = name.length();
        if (parsed != null || len == 0 || len > 64 || name.equalsIgnoreCase("Content-Length") || name.equals("_body")) {
            return null; // the scan leaves these two out of the headers
        }
        for (int i = 0; i < len; i++) {
            if (name.charAt(i) >= 0x80) {
                return null; // compared with UTF-8 bytes only by the index
            }
        }
        byte[] t = b;
        int n = t.length;
        // candidates: the first character in either case (with some other byte for a non-letter), or a backslash
        byte folded = (byte) (name.charAt(0) | 0x20);
        for (int i = 1; ; i++) {
            i = Swar.indexOfFoldedOr(t, i, n, folded, (byte) '\\');
            int valueFrom = i + len + 3;
            if (valueFrom >= n || t[i] == '\\') {
                return null;
            }
            if (t[i - 1] == '"' && t[i + len] == '"' && t[i + len + 1] == ':' && latin1EqualsIgnoreCase(t, i, i + len, name)
                    && keyStart(t, i - 2)) {
                if (len == 5 && isBody(t, i)) {
                    continue; // the body, asked for as _BODY or so
                }
                if (t[i + len + 2] != '"') {
                    return null;
                }
                int valueTo = stringEnd(t, valueFrom, n);
                return valueTo < 0 ? null : string(valueFrom, valueTo, stringFlags);
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

    /**
     * The index of the quote that ends the string starting at {@code from}, with what it holds in {@link #stringFlags};
     * -1 when unterminated or a raw control character comes first.
     */
    private int stringEnd(byte[] t, int from, int n) {
        int flags = 0;
        int i = from;
        while (true) {
            i = Swar.jsonSpecial(t, i, n);
            if (i >= n) {
                return -1;
            }
            int c = t[i];
            if (c == '"') {
                stringFlags = flags;
                return i;
            }
            if (c == '\\') {
                flags |= ESCAPED;
                i += 2;
            } else if (c < 0) {
                flags |= HIGH;
                i++;
            } else {
                return -1; // a raw control character, which Jackson refuses
            }
        }
    }

    @Override
    String decodeName(int i) {
        return string(span(i, NAME_FROM), span(i, NAME_TO), span(i, FLAGS) & (ESCAPED | HIGH));
    }

    @Override
    String decodeValue(int i) {
        return value(span(i, VALUE_FROM), span(i, VALUE_TO), span(i, FLAGS) >>> VALUE);
    }

    private String value(int from, int to, int flags) {
        return (flags & (ARRAY >>> VALUE)) != 0 ? jacksonString(from, to) : string(from, to, flags);
    }

    /** The text of the string in {@code b[from..to)} (between its quotes). */
    private String string(int from, int to, int flags) {
        if (flags == 0) {
            return ascii(from, to);
        }
        String s = flags == ESCAPED ? JsonEscapes.decode(b, from, to) : null;
        return s != null ? s : jacksonString(from - 1, to + 1);
    }

    /**
     * {@code b[from..to)}, ASCII, as a string. The constructor with a high byte of 0 decodes Latin-1 without the
     * charset dispatch of {@code new String(b, from, length, ISO_8859_1)}, which is too large to compile into the
     * caller: reading every header of an event costs 6 to 9% less with it.
     */
    @SuppressWarnings("deprecation")
    private String ascii(int from, int to) {
        return new String(b, 0, from, to - from);
    }

    @Override
    boolean nameIs(int i, String name) {
        if ((span(i, FLAGS) & (ESCAPED | HIGH)) != 0) {
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
        EslEvent.requireUtf8(b, from, to);
        try (JsonParser p = EslEvent.JSON.createParser(b, from, to - from)) {
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
