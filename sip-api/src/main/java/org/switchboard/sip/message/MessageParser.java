package org.switchboard.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.switchboard.sip.SipParseException;

/**
 * Reads a start line, header lines and a body from bytes. Only what framing needs is checked here;
 * the typed accessors and {@link SipMessage#validate()} check the rest, so that a request with a
 * malformed header can still be answered with 400.
 */
final class MessageParser {

    /** The bytes a message was parsed from: {@code bytes[start..end)}. */
    record Source(byte[] bytes, int start, int end) {
        byte[] copy() {
            return Arrays.copyOfRange(bytes, start, end);
        }
    }

    private MessageParser() {
    }

    static SipMessage parse(byte[] input, int offset, int length) {
        // the message keeps its own copy: header lines print back from it, byte for byte
        byte[] data = Arrays.copyOfRange(input, offset, offset + length);
        int end = data.length;
        int pos = 0;
        // RFC 3261 7.5: CRLFs before the start line are ignored
        while (pos < end && (data[pos] == '\r' || data[pos] == '\n')) {
            pos++;
        }
        int messageStart = pos;
        int lineEnd = lineEnd(data, pos, end);
        if (lineEnd == end) {
            throw new SipParseException("start line", 0, pos == end ? "empty message" : "no line end after the start line");
        }
        String startLine = new String(data, pos, contentEnd(data, pos, lineEnd) - pos, StandardCharsets.UTF_8);
        pos = next(data, lineEnd);

        List<Header> headers = new ArrayList<>(16);
        pos = readHeaders(data, pos, end, headers);
        int headerEnd = pos;

        // the body: Content-Length decides where it ends; without one it is the rest of the datagram
        SipParseException deferredError = null;
        int available = end - headerEnd;
        int bodyLength = available;
        String declared = null;
        for (Header h : headers) {
            if (h.is(HeaderNames.CONTENT_LENGTH)) {
                if (declared == null) {
                    declared = h.value();
                } else if (!declared.equals(h.value()) && deferredError == null) {
                    deferredError = new SipParseException("Content-Length header", -1,
                            "two Content-Length values disagree: " + declared + " and " + h.value());
                }
            }
        }
        if (declared != null && deferredError == null) {
            long n = contentLength(declared);
            if (n < 0) {
                deferredError = new SipParseException("Content-Length header", 0, "'" + declared + "' is not a length");
            } else if (n > available) {
                deferredError = new SipParseException("Content-Length header", -1,
                        "announces " + n + " bytes but " + available + " follow");
            } else {
                bodyLength = (int) n;
            }
        }
        byte[] body = Arrays.copyOfRange(data, headerEnd, headerEnd + bodyLength);
        Source source = new Source(data, messageStart, headerEnd + bodyLength);
        Headers parsedHeaders = Headers.wrap(headers);
        return startLine.startsWith("SIP/")
                ? response(startLine, parsedHeaders, body, source, deferredError)
                : request(startLine, parsedHeaders, body, source, deferredError);
    }

    private static SipResponse response(String line, Headers headers, byte[] body, Source source, SipParseException deferredError) {
        int sp1 = line.indexOf(' ');
        if (sp1 < 0) {
            throw new SipParseException("status line", line.length(), "no status code");
        }
        int sp2 = line.indexOf(' ', sp1 + 1);
        String code = line.substring(sp1 + 1, sp2 < 0 ? line.length() : sp2);
        if (code.length() != 3 || !isDigits(code) || code.charAt(0) < '1' || code.charAt(0) > '6') {
            throw new SipParseException("status line", sp1 + 1, "status code '" + code + "' is not 100..699");
        }
        checkVersion(line.substring(0, sp1), "status line", 0);
        return new SipResponse(Integer.parseInt(code), sp2 < 0 ? "" : line.substring(sp2 + 1),
                line.substring(0, sp1), headers, body, source, deferredError);
    }

    private static SipRequest request(String line, Headers headers, byte[] body, Source source, SipParseException deferredError) {
        // method SP Request-URI SP version; anything odd between the outer spaces fails the URI check later
        int sp1 = line.indexOf(' ');
        int sp2 = line.lastIndexOf(' ');
        if (sp1 <= 0 || sp2 == sp1) {
            throw new SipParseException("request line", Math.max(sp1, 0), "expected 'method Request-URI SIP-version'");
        }
        String method = line.substring(0, sp1);
        if (!Grammar.isToken(method, 0, method.length())) {
            throw new SipParseException("request line", 0, "method '" + method + "' is not a token");
        }
        String version = line.substring(sp2 + 1);
        if (deferredError == null && !isVersion(version)) {
            deferredError = new SipParseException("request line", sp2 + 1, "'" + version + "' is not a SIP version");
        }
        return new SipRequest(method, line.substring(sp1 + 1, sp2), version, headers, body, source, deferredError);
    }

    private static void checkVersion(String version, String where, int offset) {
        if (!isVersion(version)) {
            throw new SipParseException(where, offset, "'" + version + "' is not a SIP version");
        }
    }

    private static boolean isVersion(String version) {
        int slash = version.indexOf('/');
        int dot = version.indexOf('.');
        return slash == 3 && version.regionMatches(true, 0, "SIP", 0, 3) && dot >= slash + 2
                && dot < version.length() - 1
                && isDigits(version.substring(slash + 1, dot)) && isDigits(version.substring(dot + 1));
    }

    /** Reads header lines (with folding) up to the empty line or the end; returns where the body starts. */
    private static int readHeaders(byte[] data, int pos, int end, List<Header> out) {
        while (pos < end) {
            int lineEnd = lineEnd(data, pos, end);
            int contentEnd = contentEnd(data, pos, lineEnd);
            if (contentEnd == pos) {
                return next(data, lineEnd);
            }
            // a header may continue on lines that start with white space
            int last = lineEnd;
            int lastContentEnd = contentEnd;
            while (last < end) {
                int n = next(data, last);
                if (n >= end || (data[n] != ' ' && data[n] != '\t')) {
                    break;
                }
                last = lineEnd(data, n, end);
                lastContentEnd = contentEnd(data, n, last);
            }
            out.add(header(data, pos, contentEnd, lastContentEnd));
            if (last >= end) {
                return end;
            }
            pos = next(data, last);
        }
        return end;
    }

    private static Header header(byte[] data, int start, int firstLineEnd, int end) {
        int colon = -1;
        for (int i = start; i < firstLineEnd; i++) {
            if (data[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            throw new SipParseException("header line", start,
                    "no ':' in '" + new String(data, start, Math.min(firstLineEnd - start, 40), StandardCharsets.UTF_8) + "'");
        }
        int nameEnd = colon;
        while (nameEnd > start && (data[nameEnd - 1] == ' ' || data[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        for (int i = start; i < nameEnd; i++) {
            if (!Grammar.isTokenChar(data[i])) {
                throw new SipParseException("header line", start, "header name holds '" + (char) (data[i] & 0xff) + "'");
            }
        }
        if (nameEnd == start) {
            throw new SipParseException("header line", start, "empty header name");
        }
        String name = new String(data, start, nameEnd - start, StandardCharsets.ISO_8859_1);
        int v = colon + 1;
        while (v < end && (data[v] == ' ' || data[v] == '\t')) {
            v++;
        }
        return Header.parsed(name, data, start, v, end, end > firstLineEnd);
    }

    /** A header value from its bytes: UTF-8, folding undone, trimmed. */
    static String value(byte[] data, int from, int to, boolean folded) {
        String value = new String(data, from, to - from, StandardCharsets.UTF_8);
        return (folded ? unfold(value) : value).strip();
    }

    private static String unfold(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean white = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
                white = true;
            } else {
                if (white && out.length() > 0) {
                    out.append(' ');
                }
                white = false;
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Index of the LF that ends the line starting at {@code pos}, or {@code end}. */
    private static int lineEnd(byte[] data, int pos, int end) {
        for (int i = pos; i < end; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return end;
    }

    /** The end of a line's content: before its CR LF (or bare LF). */
    private static int contentEnd(byte[] data, int pos, int lineEnd) {
        return lineEnd > pos && data[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
    }

    /** Where the line after the one ending at {@code lineEnd} starts; the end when the last line has no LF. */
    private static int next(byte[] data, int lineEnd) {
        return Math.min(lineEnd + 1, data.length);
    }

    /** A Content-Length value as a number, or -1 when it is not one. */
    static long contentLength(String value) {
        if (value.isEmpty() || value.length() > 10 || !isDigits(value)) {
            return -1;
        }
        return Long.parseLong(value);
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
