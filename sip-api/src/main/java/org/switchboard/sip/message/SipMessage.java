package org.switchboard.sip.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.switchboard.sip.SipParseException;

/**
 * A SIP message: a {@link SipRequest} or a {@link SipResponse}, with headers and a body.
 *
 * <p>{@link #parse(byte[], int, int)} reads one from bytes and checks only what framing needs; the
 * typed accessors parse their header on first use, and {@link #validate()} checks everything a
 * transaction layer relies on at once. A parsed message prints back to exactly the bytes it was read
 * from; messages made by builders print in the usual form with a correct Content-Length.
 */
public abstract sealed class SipMessage permits SipRequest, SipResponse {

    /** The only protocol version this model writes. */
    public static final String SIP_2_0 = "SIP/2.0";

    private static final byte[] NO_BODY = new byte[0];

    final String version;
    final Headers headers;
    final byte[] body;
    // the bytes this message was parsed from, null when built
    private final MessageParser.Source source;
    // a problem the parser found but that still leaves the message answerable (bad Content-Length,
    // bad version token), reported by validate()
    final SipParseException deferredError;

    private volatile List<Via> vias;
    private volatile CSeq cseq;
    private volatile NameAddress from;
    private volatile NameAddress to;
    private volatile List<NameAddress> contacts;
    // set once validate() passed: the message is immutable, and each layer a request crosses (the transport's
    // stamp, the transaction layer) asks again
    private volatile boolean valid;

    SipMessage(String version, Headers headers, byte[] body, MessageParser.Source source, SipParseException deferredError) {
        this.version = version;
        this.headers = headers;
        this.body = body == null ? NO_BODY : body;
        this.source = source;
        this.deferredError = deferredError;
    }

    /**
     * Parses one message that fills {@code length} bytes at {@code offset}, as a UDP datagram or a
     * message cut out of a stream by its Content-Length. Octets after the body that Content-Length
     * announces are ignored. Header values are decoded as UTF-8.
     *
     * @throws SipParseException when the bytes cannot be read as a start line and header lines
     */
    public static SipMessage parse(byte[] data, int offset, int length) {
        return MessageParser.parse(data, offset, length);
    }

    /** Parses a whole byte array; see {@link #parse(byte[], int, int)}. */
    public static SipMessage parse(byte[] data) {
        return parse(data, 0, data.length);
    }

    /** Parses text (encoded as UTF-8); see {@link #parse(byte[], int, int)}. */
    public static SipMessage parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The protocol version of the start line as written, normally {@code SIP/2.0}. */
    public String version() {
        return version;
    }

    /** The headers, in order. */
    public Headers headers() {
        return headers;
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /** A copy of the body (empty when there is none). */
    public byte[] body() {
        return body.clone();
    }

    /** The length of the body in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** The body decoded as UTF-8. */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The Call-ID. */
    public Optional<String> callId() {
        return headers.first(HeaderNames.CALL_ID);
    }

    /**
     * The CSeq.
     *
     * @throws SipParseException when it is missing or malformed
     */
    public CSeq cseq() {
        CSeq c = cseq;
        if (c == null) {
            cseq = c = CSeq.parse(required(HeaderNames.CSEQ));
        }
        return c;
    }

    /**
     * The From address.
     *
     * @throws SipParseException when it is missing or malformed
     */
    public NameAddress from() {
        NameAddress f = from;
        if (f == null) {
            from = f = NameAddress.parse(required(HeaderNames.FROM), "From header");
        }
        return f;
    }

    /**
     * The To address.
     *
     * @throws SipParseException when it is missing or malformed
     */
    public NameAddress to() {
        NameAddress t = to;
        if (t == null) {
            to = t = NameAddress.parse(required(HeaderNames.TO), "To header");
        }
        return t;
    }

    /**
     * Every Via value, topmost first.
     *
     * @throws SipParseException when one is malformed
     */
    public List<Via> vias() {
        List<Via> v = vias;
        if (v == null) {
            List<String> values = headers.values(HeaderNames.VIA);
            List<Via> parsed = new ArrayList<>(values.size());
            for (String value : values) {
                parsed.add(Via.parse(value));
            }
            vias = v = List.copyOf(parsed);
        }
        return v;
    }

    /**
     * The topmost Via.
     *
     * @throws SipParseException when there is none or it is malformed
     */
    public Via topVia() {
        List<Via> v = vias();
        if (v.isEmpty()) {
            throw new SipParseException("Via header", -1, "missing");
        }
        return v.get(0);
    }

    /**
     * Every Contact address, in order; a wildcard ({@code *}) Contact gives none, see {@link #isWildcardContact()}.
     *
     * @throws SipParseException when one is malformed
     */
    public List<NameAddress> contacts() {
        List<NameAddress> c = contacts;
        if (c == null) {
            contacts = c = List.copyOf(addresses(HeaderNames.CONTACT));
        }
        return c;
    }

    /** Whether the Contact header is the wildcard {@code *} of a REGISTER that removes all bindings. */
    public boolean isWildcardContact() {
        List<String> values = headers.values(HeaderNames.CONTACT);
        return values.size() == 1 && values.get(0).equals("*");
    }

    /**
     * Every Route address, in order.
     *
     * @throws SipParseException when one is malformed
     */
    public List<NameAddress> routes() {
        return addresses(HeaderNames.ROUTE);
    }

    /**
     * Every Record-Route address, in order.
     *
     * @throws SipParseException when one is malformed
     */
    public List<NameAddress> recordRoutes() {
        return addresses(HeaderNames.RECORD_ROUTE);
    }

    private List<NameAddress> addresses(String name) {
        List<String> values = headers.values(name);
        List<NameAddress> out = new ArrayList<>(values.size());
        for (String value : values) {
            if (!value.equals("*")) {
                out.add(NameAddress.parse(value, name + " header"));
            }
        }
        return out;
    }

    /**
     * The Max-Forwards value, when present.
     *
     * @throws SipParseException when it is not a number
     */
    public OptionalInt maxForwards() {
        return headers.first(HeaderNames.MAX_FORWARDS)
                .map(v -> OptionalInt.of((int) Grammar.number(v, Integer.MAX_VALUE, "Max-Forwards header")))
                .orElse(OptionalInt.empty());
    }

    /**
     * Every value of an authentication header (WWW-Authenticate, Proxy-Authenticate, Authorization,
     * Proxy-Authorization), one per line.
     *
     * @throws SipParseException when one is malformed
     */
    public List<AuthValue> authValues(String headerName) {
        List<String> lines = headers.all(headerName);
        List<AuthValue> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            out.add(AuthValue.parse(line));
        }
        return out;
    }

    /** The Content-Type value, when present. */
    public Optional<String> contentType() {
        return headers.first(HeaderNames.CONTENT_TYPE);
    }

    /**
     * Checks what the transaction layer relies on: one well-formed Call-ID, From, To, CSeq and
     * Max-Forwards at most, well-formed Via and Contact values, a Content-Length that matches the
     * bytes, and for requests a Request-URI and a CSeq method that agrees with the request line.
     *
     * @throws SipParseException naming the first problem
     */
    public void validate() {
        if (valid) {
            return;
        }
        if (deferredError != null) {
            throw deferredError;
        }
        for (String single : new String[] {HeaderNames.CALL_ID, HeaderNames.FROM, HeaderNames.TO,
                HeaderNames.CSEQ}) {
            int n = headers.count(single);
            if (n != 1) {
                throw new SipParseException(single + " header", -1, n == 0 ? "missing" : "appears " + n + " times");
            }
        }
        if (headers.count(HeaderNames.MAX_FORWARDS) > 1) {
            throw new SipParseException("Max-Forwards header", -1, "appears more than once");
        }
        if (callId().orElse("").isEmpty() || callId().get().indexOf(' ') >= 0) {
            throw new SipParseException("Call-ID header", -1, "empty or holds white space");
        }
        if (topVia() == null) {
            throw new SipParseException("Via header", -1, "missing");
        }
        cseq();
        from();
        to();
        maxForwards();
        if (!isWildcardContact()) {
            contacts();
        }
        validateStartLine();
        valid = true;
    }

    abstract void validateStartLine();

    String required(String name) {
        return headers.first(name).orElseThrow(() -> new SipParseException(name + " header", -1, "missing"));
    }

    /** The message as bytes: exactly the parsed bytes when it was parsed, else the usual form. */
    public byte[] toBytes() {
        if (source != null) {
            return source.copy();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + body.length);
        byte[] start = startLine().getBytes(StandardCharsets.UTF_8);
        out.write(start, 0, start.length);
        out.write('\r');
        out.write('\n');
        for (Header h : headers) {
            h.writeTo(out);
            out.write('\r');
            out.write('\n');
        }
        out.write('\r');
        out.write('\n');
        out.write(body, 0, body.length);
        return out.toByteArray();
    }

    /** The start line without CRLF. */
    public abstract String startLine();

    /** The message as text (the body decoded as UTF-8). */
    @Override
    public String toString() {
        return new String(toBytes(), StandardCharsets.UTF_8);
    }

    /**
     * What request and response builders share: header lines and a body. Content-Length is always
     * set from the body when the message is built.
     *
     * @param <B> the concrete builder
     */
    public abstract static class Builder<B extends Builder<B>> {
        String version = SIP_2_0;
        Headers.Builder headers = Headers.builder();
        byte[] body;

        Builder() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Appends a header line. */
        public B addHeader(String name, String value) {
            headers.add(name, value);
            return self();
        }

        /** Puts a header line before the other lines of that header (Via, Route, Record-Route). */
        public B addHeaderFirst(String name, String value) {
            headers.addFirst(name, value);
            return self();
        }

        /** Replaces every line of a header with one. */
        public B setHeader(String name, String value) {
            headers.set(name, value);
            return self();
        }

        /** Removes every line of a header. */
        public B removeHeader(String name) {
            headers.remove(name);
            return self();
        }

        /** Removes the first line of a header. */
        public B removeFirstHeader(String name) {
            headers.removeFirst(name);
            return self();
        }

        /** Replaces all headers. */
        public B headers(Headers headers) {
            this.headers = headers.toBuilder();
            return self();
        }

        /** The body, without changing Content-Type. */
        public B body(byte[] body) {
            this.body = body == null || body.length == 0 ? NO_BODY : Arrays.copyOf(body, body.length);
            return self();
        }

        /** The body as UTF-8 text with its Content-Type. */
        public B body(String contentType, String body) {
            headers.set(HeaderNames.CONTENT_TYPE, contentType);
            this.body = body.getBytes(StandardCharsets.UTF_8);
            return self();
        }

        /** The headers with a Content-Length that matches the body. */
        Headers headersWithLength() {
            Headers built = headers.build();
            String length = Integer.toString(body == null ? 0 : body.length);
            if (built.count(HeaderNames.CONTENT_LENGTH) == 1
                    && built.first(HeaderNames.CONTENT_LENGTH).get().equals(length)) {
                return built;
            }
            return built.toBuilder().set(HeaderNames.CONTENT_LENGTH, length).build();
        }
    }
}
