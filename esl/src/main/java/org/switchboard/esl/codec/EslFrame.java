package org.switchboard.esl.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One unit of the event socket: its header lines (switch to controller: {@code Name: value}; controller
 * to switch: a command line, then headers) and its body. Header values are kept as written: the envelope
 * of an outbound {@code connect} reply is percent-encoded, see {@link #decodedHeader}.
 *
 * <p>A frame read by {@link EslFrameDecoder} keeps its header block as the bytes received and makes the
 * {@link #lines} only when they are asked for; {@link #header} and {@link #contentType} read the bytes directly.
 * Immutable; the body array is the frame's own and must not be modified.
 */
public final class EslFrame {

    // either lines is set (frames built from lines), or head is (frames read from the wire); lines is then made on demand
    private volatile List<String> lines;
    private final byte[] head;
    private final byte[] body;

    /**
     * A frame of header lines and body bytes.
     *
     * @param lines the header block's lines, without line ends
     * @param body the body bytes (empty when there is none)
     */
    public EslFrame(List<String> lines, byte[] body) {
        this.lines = List.copyOf(lines);
        this.head = null;
        this.body = Objects.requireNonNull(body, "body");
    }

    /** A frame read from the wire: its header block as received (line ends included) and its body. */
    EslFrame(byte[] head, byte[] body) {
        this.head = head;
        this.body = body;
    }

    /** A frame of header lines and a UTF-8 body. */
    public static EslFrame of(List<String> lines, String body) {
        return new EslFrame(lines, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The header block's lines, without line ends (empty lines and {@code \r} are dropped). */
    public List<String> lines() {
        List<String> l = lines;
        if (l == null) {
            List<String> out = new ArrayList<>();
            for (String line : new String(head, StandardCharsets.UTF_8).split("\n")) {
                String s = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
            lines = l = List.copyOf(out);
        }
        return l;
    }

    /** The body bytes (empty when there is none); the frame's own array. */
    public byte[] body() {
        return body;
    }

    /** The value of the first header line of that name (case-insensitive), as written. */
    public Optional<String> header(String name) {
        if (head == null || !isAscii(name)) {
            return headerOfLines(name);
        }
        // straight from the bytes: the same answer as from the lines, without making them
        int n = head.length;
        int len = name.length();
        for (int pos = 0; pos < n; ) {
            int eol = pos;
            while (eol < n && head[eol] != '\n') {
                eol++;
            }
            int end = eol > pos && head[eol - 1] == '\r' ? eol - 1 : eol;
            int colon = -1;
            for (int i = pos; i < end; i++) {
                if (head[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon - pos == len && asciiRegionMatches(head, pos, name)) {
                int start = colon + 1 < end && head[colon + 1] == ' ' ? colon + 2 : colon + 1;
                return Optional.of(new String(head, start, end - start, StandardCharsets.UTF_8));
            }
            pos = eol + 1;
        }
        return Optional.empty();
    }

    private Optional<String> headerOfLines(String name) {
        for (String line : lines()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.regionMatches(true, 0, name, 0, name.length()) && colon == name.length()) {
                int start = colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
                return Optional.of(line.substring(start));
            }
        }
        return Optional.empty();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** Whether {@code b[from..]} spells the ASCII {@code name}, ignoring case. */
    static boolean asciiRegionMatches(byte[] b, int from, String name) {
        for (int i = 0; i < name.length(); i++) {
            int x = b[from + i];
            int y = name.charAt(i);
            if (x != y && !(isLetter(y) && (x | 0x20) == (y | 0x20))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetter(int c) {
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }

    /** A header value with strict percent-decoding applied (values without a valid {@code %XX} are returned as written). */
    public Optional<String> decodedHeader(String name) {
        return header(name).map(PercentCoding::decode);
    }

    /** The Content-Type, in lower case. */
    public Optional<String> contentType() {
        return header("Content-Type").map(t -> t.strip().toLowerCase(Locale.ROOT));
    }

    /** The first line, which for a command is the command itself. */
    public String firstLine() {
        List<String> l = lines();
        return l.isEmpty() ? "" : l.get(0);
    }

    /** The body as UTF-8 text. */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Every header as name and raw value, in order (lines without {@code ": "} have an empty value). */
    public List<String[]> headerPairs() {
        List<String> l = lines();
        List<String[]> out = new ArrayList<>(l.size());
        for (String line : l) {
            int sep = line.indexOf(": ");
            if (sep < 0) {
                int colon = line.indexOf(':');
                out.add(colon < 0 ? new String[] {line, ""} : new String[] {line.substring(0, colon), line.substring(colon + 1)});
            } else {
                out.add(new String[] {line.substring(0, sep), line.substring(sep + 2)});
            }
        }
        return out;
    }

    /** The frame as it goes on the wire: lines, empty line, body. */
    public byte[] toBytes() {
        List<String> l = lines();
        StringBuilder text = new StringBuilder(64 * (l.size() + 1));
        for (String line : l) {
            text.append(line).append('\n');
        }
        text.append('\n');
        byte[] h = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    @Override
    public String toString() {
        return String.join("\n", lines()) + (body.length > 0 ? "\n\n[" + body.length + " bytes]" : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EslFrame f && lines().equals(f.lines()) && Arrays.equals(body, f.body);
    }

    @Override
    public int hashCode() {
        return lines().hashCode() * 31 + Arrays.hashCode(body);
    }
}
