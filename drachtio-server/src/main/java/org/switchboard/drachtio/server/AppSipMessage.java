package org.switchboard.drachtio.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.switchboard.sip.message.SipMessage;

/**
 * The SIP text an app puts in a {@code sip} frame: a start line, the headers it cares about and a body. It is
 * read leniently (docs/drachtio.md): lines end at CR or LF, lines without a colon or with a bad name are dropped, the
 * app's Content-Length is ignored (drachtio-srf counts UTF-16 units), and the body is whatever follows the
 * first empty line.
 */
final class AppSipMessage {

    /** Headers an app may never set: the stack owns them. */
    private static final Set<String> NEVER_SETTABLE = Set.of("via", "v", "route", "record-route", "rseq",
            "content-length", "l");

    /** Headers whose app value replaces the one the server would generate; the rest are appended as custom. */
    private static final Map<String, String> WELL_KNOWN = Stream.of("From", "To", "Call-ID", "CSeq", "Contact",
            "Max-Forwards", "Expires", "Require", "Supported", "Allow", "Allow-Events", "Event", "Subscription-State",
            "User-Agent", "Server", "Subject", "Session-Expires", "Min-SE", "Refer-To", "Referred-By", "Replaces",
            "Reason", "Authorization", "Proxy-Authorization", "WWW-Authenticate", "Proxy-Authenticate",
            "P-Asserted-Identity", "P-Preferred-Identity", "Remote-Party-ID", "Privacy", "RAck", "Content-Type",
            "Content-Disposition", "Content-Encoding", "Content-Language", "Accept", "Accept-Encoding",
            "Accept-Language", "Date", "Priority", "Warning", "Path", "Service-Route", "Alert-Info", "Call-Info",
            "Reply-To", "SIP-ETag", "SIP-If-Match", "Security-Client", "Security-Server", "Security-Verify",
            "Organization", "In-Reply-To", "MIME-Version", "Timestamp", "Error-Info", "Retry-After", "Min-Expires",
            "Unsupported", "Proxy-Require")
            .collect(Collectors.toUnmodifiableMap(n -> n.toLowerCase(Locale.ROOT), n -> n));

    private static final Map<String, String> COMPACT = Map.of("f", "From", "t", "To", "i", "Call-ID", "m", "Contact",
            "c", "Content-Type", "k", "Supported", "s", "Subject", "o", "Event", "r", "Refer-To", "b", "Referred-By");

    /** Headers in which {@code user@localhost} means "this server's SIP address". */
    private static final Set<String> LOCALHOST_REWRITTEN = Set.of("From", "To", "Contact", "P-Asserted-Identity");

    /**
     * One header line as the app gave it, with the name in the case the server will send.
     *
     * @param name canonical name of a well-known header, or the re-cased custom name
     * @param value the trimmed value
     * @param wellKnown whether the value replaces a generated one
     */
    record Line(String name, String value, boolean wellKnown) {
    }

    private final String startLine;
    private final List<Line> headers;
    private final byte[] body;

    private AppSipMessage(String startLine, List<Line> headers, byte[] body) {
        this.startLine = startLine;
        this.headers = headers;
        this.body = body;
    }

    /** Reads the SIP part of an app frame; {@code preserved} lists custom names (lower-case) kept as written. */
    static AppSipMessage parse(String text, Set<String> preserved) {
        int split = text.indexOf("\r\n\r\n");
        int bodyAt = split < 0 ? -1 : split + 4;
        int lf = text.indexOf("\n\n");
        if (lf >= 0 && (split < 0 || lf < split)) {
            split = lf;
            bodyAt = lf + 2;
        }
        String head = split < 0 ? text : text.substring(0, split);
        byte[] body = bodyAt < 0 ? new byte[0] : text.substring(bodyAt).getBytes(StandardCharsets.UTF_8);
        List<String> lines = lines(head);
        String start = lines.isEmpty() ? "" : lines.get(0).strip();
        List<Line> headers = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            if (!isToken(name)) {
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (NEVER_SETTABLE.contains(lower)) {
                continue;
            }
            String value = line.substring(colon + 1).strip();
            String canonical = COMPACT.getOrDefault(lower, WELL_KNOWN.get(lower));
            if (canonical != null) {
                headers.add(new Line(canonical, value, true));
            } else {
                headers.add(new Line(preserved.contains(lower) ? name : recase(name), value, false));
            }
        }
        return new AppSipMessage(start, List.copyOf(headers), body);
    }

    /**
     * The lines of {@code head}, each ended by CRLF, CR or LF (as a regular-expression split would give them, without
     * its cost: this runs for every frame an app sends).
     */
    static List<String> lines(String head) {
        List<String> out = new ArrayList<>(16);
        int from = 0;
        int n = head.length();
        for (int i = 0; i < n; i++) {
            char c = head.charAt(i);
            if (c == '\r' || c == '\n') {
                out.add(head.substring(from, i));
                if (c == '\r' && i + 1 < n && head.charAt(i + 1) == '\n') {
                    i++;
                }
                from = i + 1;
            }
        }
        if (from < n) {
            out.add(head.substring(from));
        }
        return out;
    }

    /** {@code my-header} becomes {@code My-Header}; {@code X-} names keep the app's case. */
    static String recase(String name) {
        if (name.length() > 1 && (name.charAt(0) == 'x' || name.charAt(0) == 'X') && name.charAt(1) == '-') {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return out.toString();
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-.!%*_+`'~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    String startLine() {
        return startLine;
    }

    /** Whether the start line is a status line. */
    boolean isResponse() {
        return startLine.startsWith("SIP/");
    }

    /** For a request: the method. */
    String method() {
        int sp = startLine.indexOf(' ');
        return sp < 0 ? startLine : startLine.substring(0, sp);
    }

    /** For a request: the Request-URI text. */
    String requestUri() {
        String[] parts = startLine.split(" +");
        return parts.length == 3 && parts[2].equals(SipMessage.SIP_2_0) ? parts[1] : "";
    }

    /** For a response: the status code, or -1 when the status line is malformed. */
    int status() {
        String[] parts = startLine.split(" ", 3);
        try {
            int code = parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
            return code >= 100 && code <= 699 ? code : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** For a response: the reason phrase, if the app gave one. */
    Optional<String> reason() {
        String[] parts = startLine.split(" ", 3);
        return parts.length == 3 && !parts[2].isBlank() ? Optional.of(parts[2].strip()) : Optional.empty();
    }

    /** The first value of a header (any case, compact forms resolved). */
    Optional<String> header(String name) {
        return headers.stream().filter(l -> l.name().equalsIgnoreCase(name)).map(Line::value).findFirst();
    }

    List<Line> headers() {
        return headers;
    }

    byte[] body() {
        return body;
    }

    boolean hasBody() {
        return body.length > 0;
    }

    /**
     * Writes the app's headers onto {@code builder}: well-known ones replace what is there (later lines of the
     * same name are added), custom ones are appended, {@code skip} names are left alone, and
     * {@code user@localhost} in From/To/Contact/P-Asserted-Identity becomes {@code localhost}'s replacement.
     */
    <B extends SipMessage.Builder<B>> B applyTo(B builder, Set<String> skip, UnaryOperator<String> localhost) {
        Set<String> seen = new java.util.HashSet<>();
        for (Line line : headers) {
            if (skip.contains(line.name())) {
                continue;
            }
            String value = MessageRules.asNameAddr(line.name(),
                    LOCALHOST_REWRITTEN.contains(line.name()) ? localhost.apply(line.value()) : line.value());
            if (line.wellKnown() && seen.add(line.name())) {
                builder.setHeader(line.name(), value);
            } else {
                builder.addHeader(line.name(), value);
            }
        }
        return builder;
    }
}
