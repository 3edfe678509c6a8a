package org.switchboard.esl.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.switchboard.esl.codec.PercentCoding;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A FreeSWITCH event: ordered headers (names compare case-insensitively, case is preserved) and an
 * optional body. The same event read as plain, JSON or XML gives the same headers and body. Immutable;
 * {@link #builder} makes new ones.
 */
public final class EslEvent {

    // Jackson's name table pads a name's last bytes with 0xFF, so an invalid name ("\xff:") can be taken for one
    // read earlier (":"): what a name reads as must not depend on the events before it
    static final JsonFactory JSON =
            JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();
    private static final String UNDEF = "_undef_";

    /** One header: a name and its value (multi-valued headers use FreeSWITCH's {@code ARRAY::a|:b} form). */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    // built events have both from the start; received ones get them on the first whole-event read
    private volatile List<Header> headers;
    private volatile String body;
    // received events: the bytes as received, decoded a header at a time as they are asked for
    private final Source source;

    // callers hand over a list nobody else keeps
    private EslEvent(List<Header> headers, String body) {
        this.headers = java.util.Collections.unmodifiableList(headers);
        this.body = body;
        this.source = null;
    }

    private EslEvent(Source source) {
        this.source = source;
    }

    /** A builder for an event of that name ({@code Event-Name} is the first header). */
    public static Builder builder(String eventName) {
        return new Builder().header("Event-Name", eventName);
    }

    /**
     * Reads the text of a {@code text/event-plain} message: percent-encoded headers, then an optional body.
     * Lazy: the event keeps {@code text} (which must not be modified afterwards) and finds, percent-decodes and
     * makes strings of headers only as they are read. A {@code Content-Length} that is not a number makes the
     * read that reaches it throw {@link NumberFormatException}.
     */
    public static EslEvent fromPlain(byte[] text) {
        return new EslEvent(new PlainSource(text));
    }

    /**
     * Reads the text of a {@code text/event-json} message. Lazy: the event keeps {@code text} (which must not be
     * modified afterwards); a lookup finds its header straight away where it can, any other read indexes every
     * field in one pass, and values are decoded when read. Anything but a flat object of string and string-array
     * values without white space (what FreeSWITCH sends) is read by Jackson in one go. Malformed JSON makes the
     * read that reaches the fault throw {@link IllegalArgumentException}.
     */
    public static EslEvent fromJson(byte[] text) {
        return new EslEvent(new JsonSource(text));
    }

    /** The whole JSON event at once, by Jackson: the reference for {@link JsonSource}, and its fallback. */
    static Parsed parseJson(byte[] text) {
        requireUtf8(text, 0, text.length);
        List<Header> headers = new ArrayList<>();
        String body = "";
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a JSON event must be an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                String value;
                if (t == JsonToken.START_ARRAY) {
                    List<String> items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(p.getValueAsString(""));
                    }
                    value = "ARRAY::" + String.join("|:", items);
                } else if (t == JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                } else {
                    value = p.getValueAsString("");
                }
                if (name.equals("_body")) {
                    body = value;
                } else if (!name.equalsIgnoreCase("Content-Length")) {
                    headers.add(new Header(name, value));
                }
            }
            // one object and nothing after it (white space aside): the lazy reader's direct seek of a header relies
            // on the whole text being JSON, so text after the object must not pass here either
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("malformed JSON event: text after the object");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON event: " + e.getMessage(), e);
        }
        return new Parsed(headers, body);
    }

    record Parsed(List<Header> headers, String body) {
    }

    /**
     * Refuses text that is not well-formed UTF-8. Jackson checks the bytes of values but, without its name table,
     * reads an invalid name as U+FFFD: checked first, names and values are refused alike.
     */
    static void requireUtf8(byte[] text, int from, int to) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(text, from, to - from));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("malformed JSON event: not UTF-8 (" + e.getMessage() + ")", e);
        }
    }

    /** Reads the text of a {@code text/event-xml} message. */
    public static EslEvent fromXml(byte[] text) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(text));
            Element root = doc.getDocumentElement();
            List<Header> headers = new ArrayList<>();
            String body = "";
            for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n.getNodeType() != Node.ELEMENT_NODE) {
                    continue;
                }
                if (n.getNodeName().equals("headers")) {
                    for (Node h = n.getFirstChild(); h != null; h = h.getNextSibling()) {
                        if (h.getNodeType() == Node.ELEMENT_NODE) {
                            headers.add(new Header(h.getNodeName(), PercentCoding.decode(h.getTextContent())));
                        }
                    }
                } else if (n.getNodeName().equals("body")) {
                    body = n.getTextContent();
                }
            }
            return new EslEvent(headers, body);
        } catch (Exception e) {
            throw new IllegalArgumentException("malformed XML event: " + e.getMessage(), e);
        }
    }

    /** The event's name ({@code CHANNEL_EXECUTE_COMPLETE}, {@code CUSTOM}, ...). */
    public String eventName() {
        return header("Event-Name").orElse("");
    }

    /** The subclass of a CUSTOM event ({@code conference::maintenance}). */
    public Optional<String> eventSubclass() {
        return header("Event-Subclass");
    }

    /** The channel the event is about. */
    public Optional<String> uniqueId() {
        return header("Unique-ID");
    }

    /** The Job-UUID of a BACKGROUND_JOB. */
    public Optional<String> jobUuid() {
        return header("Job-UUID");
    }

    /** The Application-UUID of CHANNEL_EXECUTE and CHANNEL_EXECUTE_COMPLETE. */
    public Optional<String> applicationUuid() {
        return header("Application-UUID");
    }

    /** A channel variable ({@code variable_<name>}). */
    public Optional<String> variable(String name) {
        return header("variable_" + name);
    }

    /** The value of the first header of that name (case-insensitive). */
    public Optional<String> header(String name) {
        if (source != null) {
            return Optional.ofNullable(source.find(name));
        }
        for (Header h : headers) {
            if (h.name.equalsIgnoreCase(name)) {
                return Optional.of(h.value);
            }
        }
        return Optional.empty();
    }

    /** The values of a header: several for an {@code ARRAY::} value, else one. */
    public List<String> headerValues(String name) {
        return header(name).map(v -> v.startsWith("ARRAY::") ? Arrays.asList(v.substring(7).split("\\|:", -1)) : List.of(v))
                .orElse(List.of());
    }

    /** All headers, in order. */
    public List<Header> headers() {
        List<Header> h = headers;
        if (h == null) {
            headers = h = source.all();
        }
        return h;
    }

    /** The body (empty when there is none). */
    public String body() {
        String b = body;
        if (b == null) {
            body = b = source.body();
        }
        return b;
    }

    /** The event in plain format, as FreeSWITCH serializes it (values percent-encoded, empty as {@code _undef_}). */
    public String toPlain() {
        List<Header> headers = headers();
        String body = body();
        StringBuilder out = new StringBuilder(64 * headers.size() + body.length());
        for (Header h : headers) {
            out.append(h.name).append(": ").append(h.value.isEmpty() ? UNDEF : PercentCoding.encode(h.value)).append('\n');
        }
        if (!body.isEmpty()) {
            out.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\n\n").append(body);
        } else {
            out.append('\n');
        }
        return out.toString();
    }

    /** The event in JSON format: one object, values as strings, the body as {@code _body}. */
    public String toJson() {
        List<Header> headers = headers();
        String body = body();
        StringWriter w = new StringWriter(64 * headers.size() + body.length());
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (Header h : headers) {
                if (h.value.startsWith("ARRAY::")) {
                    g.writeArrayFieldStart(h.name);
                    for (String v : headerValues(h.name)) {
                        g.writeString(v);
                    }
                    g.writeEndArray();
                } else {
                    g.writeStringField(h.name, h.value);
                }
            }
            if (!body.isEmpty()) {
                g.writeStringField("Content-Length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
                g.writeStringField("_body", body);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** The event in XML format: percent-encoded values, XML-escaped. */
    public String toXml() {
        List<Header> headers = headers();
        String body = body();
        StringBuilder out = new StringBuilder(96 * headers.size() + body.length());
        out.append("<event>\n  <headers>\n");
        for (Header h : headers) {
            out.append("    <").append(h.name).append('>').append(xmlEscape(PercentCoding.encode(h.value)))
                    .append("</").append(h.name).append(">\n");
        }
        out.append("  </headers>\n");
        if (!body.isEmpty()) {
            out.append("  <Content-Length>").append(body.getBytes(StandardCharsets.UTF_8).length).append("</Content-Length>\n");
            out.append("  <body>").append(xmlEscape(body)).append("</body>\n");
        }
        return out.append("</event>").toString();
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EslEvent e && headers().equals(e.headers()) && body().equals(e.body());
    }

    @Override
    public int hashCode() {
        return headers().hashCode() * 31 + body().hashCode();
    }

    @Override
    public String toString() {
        return eventName().toLowerCase(Locale.ROOT) + uniqueId().map(u -> " " + u).orElse("") + " (" + headers().size() + " headers)";
    }

    /** Builds an {@link EslEvent}. */
    public static final class Builder {
        private final List<Header> headers = new ArrayList<>();
        private String body = "";

        private Builder() {
        }

        /** Appends a header. */
        public Builder header(String name, String value) {
            headers.add(new Header(name, value));
            return this;
        }

        /** The body. */
        public Builder body(String body) {
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        /** The event. */
        public EslEvent build() {
            return new EslEvent(new ArrayList<>(headers), body);
        }
    }
}
