package org.switchboard.sip.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.uri.Parameters;

/** Lexical pieces of the header grammar of RFC 3261 section 25.1 shared by the typed headers. */
final class Grammar {

    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "-.!%*_+`'~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private Grammar() {
    }

    static boolean isTokenChar(int c) {
        return c >= 0 && c < 128 && TOKEN[c];
    }

    static boolean isToken(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isWhite(char c) {
        return c == ' ' || c == '\t';
    }

    static int skipWhite(String s, int pos) {
        while (pos < s.length() && isWhite(s.charAt(pos))) {
            pos++;
        }
        return pos;
    }

    /** The index just past the quoted string that starts at {@code pos} (which holds the opening quote). */
    static int endOfQuoted(String s, int pos, String where) {
        for (int i = pos + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        throw new SipParseException(where, pos, "quoted string is never closed");
    }

    /** Splits a list header value at commas outside quotes and angle brackets; empty elements are kept. */
    static void splitList(String value, List<String> out) {
        int start = 0;
        boolean angle = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                int end = value.indexOf('"', i + 1);
                while (end > 0 && value.charAt(end - 1) == '\\' && !escapedBackslash(value, end - 1)) {
                    end = value.indexOf('"', end + 1);
                }
                if (end < 0) {
                    break;
                }
                i = end;
            } else if (c == '<') {
                angle = true;
            } else if (c == '>') {
                angle = false;
            } else if (c == ',' && !angle) {
                out.add(value.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(value.substring(start).strip());
    }

    private static boolean escapedBackslash(String s, int backslash) {
        int n = 0;
        for (int i = backslash; i >= 0 && s.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 0;
    }

    /**
     * Parses {@code *( SEMI generic-param )} from {@code pos} to the end of {@code s}, with white space
     * allowed around {@code ;} and {@code =}. Values are tokens, hosts (IPv6 too) or quoted strings.
     */
    static Parameters parameters(String s, int pos, String where) {
        List<Parameters.Parameter> list = new ArrayList<>(2);
        pos = skipWhite(s, pos);
        while (pos < s.length()) {
            if (s.charAt(pos) != ';') {
                throw new SipParseException(where, pos, "expected ';' before a parameter, found '" + s.charAt(pos) + "'");
            }
            pos = skipWhite(s, pos + 1);
            int nameStart = pos;
            while (pos < s.length() && isTokenChar(s.charAt(pos))) {
                pos++;
            }
            if (pos == nameStart) {
                throw new SipParseException(where, pos, "empty parameter name");
            }
            String name = s.substring(nameStart, pos);
            pos = skipWhite(s, pos);
            Optional<String> value = Optional.empty();
            if (pos < s.length() && s.charAt(pos) == '=') {
                pos = skipWhite(s, pos + 1);
                int valueStart = pos;
                if (pos < s.length() && s.charAt(pos) == '"') {
                    pos = endOfQuoted(s, pos, where);
                } else {
                    while (pos < s.length() && (isTokenChar(s.charAt(pos)) || s.charAt(pos) == ':'
                            || s.charAt(pos) == '[' || s.charAt(pos) == ']')) {
                        pos++;
                    }
                }
                if (pos == valueStart) {
                    throw new SipParseException(where, pos, "parameter " + name + " has '=' but no value");
                }
                value = Optional.of(s.substring(valueStart, pos));
                pos = skipWhite(s, pos);
            }
            list.add(new Parameters.Parameter(name, value));
        }
        return Parameters.copyOf(list);
    }

    /** Parses an unsigned decimal number of at most {@code max}, with leading zeros allowed. */
    static long number(String s, long max, String where) {
        if (s.isEmpty()) {
            throw new SipParseException(where, 0, "expected a number, found nothing");
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new SipParseException(where, i, "expected a number, found '" + c + "'");
            }
            n = n * 10 + (c - '0');
            if (n > max) {
                throw new SipParseException(where, i, s + " exceeds " + max);
            }
        }
        return n;
    }
}
