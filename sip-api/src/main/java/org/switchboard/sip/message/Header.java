package org.switchboard.sip.message;

import java.util.Objects;

/**
 * One header line: its name as written and its value with line folding undone and surrounding
 * white space removed. A header read from the wire also remembers its exact bytes, so that a message
 * that keeps it prints it back unchanged.
 */
public final class Header {

    private final String name;
    // decoded on first use: most headers of a relayed message are never read, only printed
    private String value;
    // the exact line (without CRLF) in the source message, when the header was parsed
    private final byte[] source;
    private final int start;
    private final int end;
    private final int valueStart;
    private final boolean folded;

    private Header(String name, String value, byte[] source, int start, int valueStart, int end, boolean folded) {
        this.name = name;
        this.value = value;
        this.source = source;
        this.start = start;
        this.valueStart = valueStart;
        this.end = end;
        this.folded = folded;
    }

    /**
     * A header with that name and value.
     *
     * @throws IllegalArgumentException when the name is not a token or the value holds a line break
     */
    public static Header of(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || !Grammar.isToken(name, 0, name.length())) {
            throw new IllegalArgumentException("header name '" + name + "' is not a token");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("the value of header " + name + " holds a line break");
        }
        return new Header(name, value.strip(), null, 0, 0, 0, false);
    }

    static Header parsed(String name, byte[] source, int start, int valueStart, int end, boolean folded) {
        return new Header(name, null, source, start, valueStart, end, folded);
    }

    /** The name as written (possibly a compact form such as {@code v}). */
    public String name() {
        return name;
    }

    /** The value, unfolded and trimmed. */
    public String value() {
        String v = value;
        if (v == null) {
            // a benign race: every thread decodes the same immutable string
            value = v = MessageParser.value(source, valueStart, end, folded);
        }
        return v;
    }

    /** Whether this header is the named one (ignoring case, understanding compact forms). */
    public boolean is(String headerName) {
        return HeaderNames.matches(name, headerName);
    }

    void writeTo(java.io.ByteArrayOutputStream out) {
        if (source != null) {
            out.write(source, start, end - start);
        } else {
            byte[] bytes = (name + ": " + value()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
        }
    }

    @Override
    public String toString() {
        return name + ": " + value();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header other && HeaderNames.matches(name, other.name) && value().equals(other.value());
    }

    @Override
    public int hashCode() {
        return HeaderNames.canonical(name).toLowerCase(java.util.Locale.ROOT).hashCode() * 31 + value().hashCode();
    }
}
