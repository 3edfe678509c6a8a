package org.switchboard.sip.uri;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.switchboard.sip.SipParseException;

/** The URI grammar of RFC 3261 section 25.1 (and RFC 3966 for tel), strict where it matters. */
final class UriParser {

    // character classes of RFC 3261 section 25.1, indexed by ASCII code
    private static final boolean[] USER = chars("-_.!~*'()&=+$,;?/");
    private static final boolean[] PASSWORD = chars("-_.!~*'()&=+$,");
    private static final boolean[] PARAM = chars("-_.!~*'()[]/:&+$");
    private static final boolean[] HEADER = chars("-_.!~*'()[]/?:+$");
    private static final boolean[] TEL = chars("-_.!~*'()[]/:&+$;=?,@");
    private static final boolean[] OPAQUE = chars("-_.!~*'();/?:@&=+$,%[]#");

    private UriParser() {
    }

    private static boolean[] chars(String extra) {
        boolean[] set = new boolean[128];
        for (char c = '0'; c <= '9'; c++) {
            set[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            set[c] = true;
            set[Character.toUpperCase(c)] = true;
        }
        for (char c : extra.toCharArray()) {
            set[c] = true;
        }
        return set;
    }

    static Uri parse(String text, String where) {
        int colon = schemeEnd(text, where);
        String scheme = text.substring(0, colon);
        if (scheme.equalsIgnoreCase("sip") || scheme.equalsIgnoreCase("sips")) {
            return parseSip(text, colon + 1, scheme.length() == 4, where);
        }
        if (scheme.equalsIgnoreCase("tel")) {
            return parseTel(text, colon + 1, where);
        }
        check(text, colon + 1, text.length(), OPAQUE, where, "URI");
        if (colon + 1 == text.length()) {
            throw new SipParseException(where, colon + 1, "nothing after the scheme");
        }
        return new AbsoluteUri(scheme, text);
    }

    private static int schemeEnd(String text, String where) {
        if (text.isEmpty() || !isAlpha(text.charAt(0))) {
            throw new SipParseException(where, 0, "a URI starts with a scheme, found "
                    + (text.isEmpty() ? "nothing" : "'" + text.charAt(0) + "'"));
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':') {
                return i;
            }
            if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') {
                throw new SipParseException(where, i, "character '" + c + "' in the URI scheme");
            }
        }
        throw new SipParseException(where, text.length(), "no ':' after the scheme");
    }

    private static SipUri parseSip(String text, int start, boolean secure, String where) {
        int end = text.length();
        int query = text.indexOf('?', start);
        int at = text.lastIndexOf('@');
        // a '?' may appear in the user part, so headers start after the user part only
        if (at >= start) {
            query = text.indexOf('?', at);
        }
        int hostStart = start;
        String user = null;
        String password = null;
        if (at >= start) {
            int colon = text.indexOf(':', start);
            int userEnd = colon >= 0 && colon < at ? colon : at;
            check(text, start, userEnd, USER, where, "user part");
            if (userEnd == start) {
                throw new SipParseException(where, start, "empty user part before '@'");
            }
            user = text.substring(start, userEnd);
            if (userEnd < at) {
                check(text, userEnd + 1, at, PASSWORD, where, "password");
                password = text.substring(userEnd + 1, at);
            }
            hostStart = at + 1;
        }
        int paramsEnd = query < 0 ? end : query;
        int pos = hostStart;
        int hostEnd;
        if (pos < paramsEnd && text.charAt(pos) == '[') {
            int close = text.indexOf(']', pos);
            if (close < 0 || close > paramsEnd) {
                throw new SipParseException(where, pos, "IPv6 reference without ']'");
            }
            checkIpv6(text, pos + 1, close, where);
            hostEnd = close + 1;
        } else {
            hostEnd = pos;
            while (hostEnd < paramsEnd && isHostChar(text.charAt(hostEnd))) {
                hostEnd++;
            }
            if (hostEnd == pos) {
                throw new SipParseException(where, pos, "missing host");
            }
            checkHostname(text, pos, hostEnd, where);
        }
        String host = text.substring(pos, hostEnd);
        pos = hostEnd;
        int port = -1;
        if (pos < paramsEnd && text.charAt(pos) == ':') {
            int digitsEnd = pos + 1;
            while (digitsEnd < paramsEnd && isDigit(text.charAt(digitsEnd))) {
                digitsEnd++;
            }
            if (digitsEnd == pos + 1 || digitsEnd - pos - 1 > 5) {
                throw new SipParseException(where, pos + 1, "the port is not a number of 1 to 5 digits");
            }
            port = Integer.parseInt(text, pos + 1, digitsEnd, 10);
            if (port > 65535) {
                throw new SipParseException(where, pos + 1, "port " + port + " is above 65535");
            }
            pos = digitsEnd;
        }
        List<Parameters.Parameter> params = new ArrayList<>(2);
        while (pos < paramsEnd) {
            if (text.charAt(pos) != ';') {
                throw new SipParseException(where, pos, "unexpected character '" + text.charAt(pos) + "' after the host");
            }
            pos = parameter(text, pos + 1, paramsEnd, ';', PARAM, where, params);
        }
        List<Parameters.Parameter> headers = new ArrayList<>(0);
        if (query >= 0) {
            pos = query + 1;
            if (pos == end) {
                throw new SipParseException(where, pos, "empty headers after '?'");
            }
            while (pos < end) {
                pos = parameter(text, pos, end, '&', HEADER, where, headers);
                if (pos < end) {
                    pos++;
                }
            }
        }
        return new SipUri(secure, user, password, host, port,
                Parameters.copyOf(params), Parameters.copyOf(headers), text);
    }

    /** Parses one {@code name[=value]} up to {@code sep} or {@code end}; returns the separator's index. */
    private static int parameter(String text, int pos, int end, char sep, boolean[] allowed,
                                 String where, List<Parameters.Parameter> out) {
        int stop = text.indexOf(sep, pos);
        if (stop < 0 || stop > end) {
            stop = end;
        }
        int eq = text.indexOf('=', pos);
        int nameEnd = eq >= 0 && eq < stop ? eq : stop;
        if (nameEnd == pos) {
            throw new SipParseException(where, pos, "empty parameter name");
        }
        check(text, pos, nameEnd, allowed, where, "parameter name");
        Optional<String> value = Optional.empty();
        if (nameEnd < stop) {
            check(text, nameEnd + 1, stop, allowed, where, "parameter value");
            value = Optional.of(text.substring(nameEnd + 1, stop));
        }
        out.add(new Parameters.Parameter(text.substring(pos, nameEnd), value));
        return stop;
    }

    private static TelUri parseTel(String text, int start, String where) {
        int semi = text.indexOf(';', start);
        int numberEnd = semi < 0 ? text.length() : semi;
        if (numberEnd == start) {
            throw new SipParseException(where, start, "empty telephone number");
        }
        for (int i = start; i < numberEnd; i++) {
            char c = text.charAt(i);
            boolean ok = isDigit(c) || c == '-' || c == '.' || c == '(' || c == ')' || c == '*' || c == '#'
                    || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f') || (c == '+' && i == start);
            if (!ok) {
                throw new SipParseException(where, i, "character '" + c + "' in a telephone number");
            }
        }
        List<Parameters.Parameter> params = new ArrayList<>(1);
        int pos = numberEnd;
        while (pos < text.length()) {
            pos = parameter(text, pos + 1, text.length(), ';', TEL, where, params);
        }
        return new TelUri(text.substring(start, numberEnd), Parameters.copyOf(params), text);
    }

    private static void check(String text, int from, int to, boolean[] allowed, String where, String part) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= to || Character.digit(text.charAt(i + 1), 16) < 0
                        || Character.digit(text.charAt(i + 2), 16) < 0) {
                    throw new SipParseException(where, i, "bad %-escape in the " + part);
                }
                i += 2;
            } else if (c >= 128 || !allowed[c]) {
                throw new SipParseException(where, i, "character " + describe(c) + " is not allowed in the " + part);
            }
        }
    }

    private static void checkHostname(String text, int from, int to, String where) {
        // labels of letters, digits and '-', separated by single dots (a trailing dot is allowed)
        char prev = '.';
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '.' && prev == '.') {
                throw new SipParseException(where, i, "empty label in the host name");
            }
            prev = c;
        }
    }

    private static void checkIpv6(String text, int from, int to, String where) {
        if (from == to) {
            throw new SipParseException(where, from, "empty IPv6 reference");
        }
        // tolerant on purpose: RFC 5118 section 4.10 asks elements to accept the three-colon form
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!(isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.')) {
                throw new SipParseException(where, i, "character " + describe(c) + " in an IPv6 reference");
            }
        }
    }

    private static boolean isHostChar(char c) {
        return isAlpha(c) || isDigit(c) || c == '-' || c == '.';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String describe(char c) {
        return c > ' ' && c < 127 ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
