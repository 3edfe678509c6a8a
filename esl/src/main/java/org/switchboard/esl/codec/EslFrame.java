package org.switchboard.esl.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One unit of the event socket: its header lines (switch to controller: {@code Name: value}; controller
 * to switch: a command line, then headers) and its body. Header values are kept as written: the envelope
 * of an outbound {@code connect} reply is percent-encoded, see {@link #decodedHeader}.
 *
 * @param lines the header block's lines, without line ends
 * @param body the body bytes (empty when there is none)
 */
public record EslFrame(List<String> lines, byte[] body) {

    public EslFrame {
        lines = List.copyOf(lines);
        Objects.requireNonNull(body, "body");
    }

    /** A frame of header lines and a UTF-8 body. */
    public static EslFrame of(List<String> lines, String body) {
        return new EslFrame(lines, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The value of the first header line of that name (case-insensitive), as written. */
    public Optional<String> header(String name) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.regionMatches(true, 0, name, 0, name.length()) && colon == name.length()) {
                int start = colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
                return Optional.of(line.substring(start));
            }
        }
        return Optional.empty();
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
        return lines.isEmpty() ? "" : lines.get(0);
    }

    /** The body as UTF-8 text. */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Every header as name and raw value, in order (lines without {@code ": "} have an empty value). */
    public List<String[]> headerPairs() {
        List<String[]> out = new ArrayList<>(lines.size());
        for (String line : lines) {
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
        StringBuilder head = new StringBuilder(64 * (lines.size() + 1));
        for (String line : lines) {
            head.append(line).append('\n');
        }
        head.append('\n');
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    @Override
    public String toString() {
        return String.join("\n", lines) + (body.length > 0 ? "\n\n[" + body.length + " bytes]" : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EslFrame f && lines.equals(f.lines) && java.util.Arrays.equals(body, f.body);
    }

    @Override
    public int hashCode() {
        return lines.hashCode() * 31 + java.util.Arrays.hashCode(body);
    }
}
