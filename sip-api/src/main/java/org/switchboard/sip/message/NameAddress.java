package org.switchboard.sip.message;

import java.util.Objects;
import java.util.Optional;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.uri.Parameters;
import org.switchboard.sip.uri.Uri;

/**
 * An address with an optional display name and header parameters, as in From, To, Contact, Route and
 * Record-Route: {@code "Alice" <sip:alice@atlanta.com>;tag=1928301774}. The addr-spec form without angle
 * brackets is understood too; parameters after it belong to the header, not to the URI.
 */
public final class NameAddress {

    private final Optional<String> displayName;
    private final Uri uri;
    private final Parameters parameters;
    private final String text;

    private NameAddress(Optional<String> displayName, Uri uri, Parameters parameters, String text) {
        this.displayName = displayName;
        this.uri = uri;
        this.parameters = parameters;
        this.text = text;
    }

    /** An address for a URI, without display name or parameters. */
    public static NameAddress of(Uri uri) {
        return of(Optional.empty(), uri, Parameters.of());
    }

    /** An address with a display name (written as a quoted string), URI and parameters. */
    public static NameAddress of(Optional<String> displayName, Uri uri, Parameters parameters) {
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(parameters, "parameters");
        StringBuilder out = new StringBuilder(64);
        displayName.ifPresent(d -> out.append('"').append(d.replace("\\", "\\\\").replace("\"", "\\\"")).append("\" "));
        out.append('<').append(uri).append('>');
        parameters.appendTo(out);
        return new NameAddress(displayName, uri, parameters, out.toString());
    }

    /**
     * Parses a name-addr or addr-spec with its parameters.
     *
     * @throws SipParseException when it breaks the grammar
     */
    public static NameAddress parse(String value) {
        return parse(value, "address");
    }

    static NameAddress parse(String value, String where) {
        int pos = Grammar.skipWhite(value, 0);
        if (pos == value.length()) {
            throw new SipParseException(where, pos, "empty address");
        }
        Optional<String> display = Optional.empty();
        int lt;
        if (value.charAt(pos) == '"') {
            int end = Grammar.endOfQuoted(value, pos, where);
            display = Optional.of(unquote(value.substring(pos + 1, end - 1)));
            lt = Grammar.skipWhite(value, end);
            if (lt >= value.length() || value.charAt(lt) != '<') {
                throw new SipParseException(where, lt, "expected '<' after the quoted display name");
            }
        } else {
            lt = value.indexOf('<', pos);
            if (lt >= 0) {
                String tokens = value.substring(pos, lt).strip();
                for (int i = 0; i < tokens.length(); i++) {
                    char c = tokens.charAt(i);
                    if (!Grammar.isTokenChar(c) && !Grammar.isWhite(c)) {
                        throw new SipParseException(where, pos + i,
                                "character '" + c + "' in an unquoted display name");
                    }
                }
                if (!tokens.isEmpty()) {
                    display = Optional.of(tokens);
                }
            }
        }
        Uri uri;
        int after;
        if (lt >= 0) {
            int gt = value.indexOf('>', lt);
            if (gt < 0) {
                throw new SipParseException(where, lt, "'<' is never closed by '>'");
            }
            uri = parseUri(value.substring(lt + 1, gt), where, lt + 1);
            after = gt + 1;
        } else {
            // addr-spec: the URI ends at the first ';' and may not hold '?', ',' or white space
            int end = pos;
            while (end < value.length() && value.charAt(end) != ';' && !Grammar.isWhite(value.charAt(end))) {
                end++;
            }
            String spec = value.substring(pos, end);
            if (spec.indexOf('?') >= 0) {
                throw new SipParseException(where, pos + spec.indexOf('?'),
                        "a URI with headers must be enclosed in '<' '>'");
            }
            uri = parseUri(spec, where, pos);
            after = end;
        }
        Parameters params = Grammar.parameters(value, after, where);
        return new NameAddress(display, uri, params, value.strip());
    }

    private static Uri parseUri(String text, String where, int offset) {
        try {
            return Uri.parse(text);
        } catch (SipParseException e) {
            throw new SipParseException(where, offset + Math.max(e.offset(), 0), e.reason());
        }
    }

    private static String unquote(String quoted) {
        if (quoted.indexOf('\\') < 0) {
            return quoted;
        }
        StringBuilder out = new StringBuilder(quoted.length());
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length()) {
                c = quoted.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The display name, unquoted. */
    public Optional<String> displayName() {
        return displayName;
    }

    /** The URI. */
    public Uri uri() {
        return uri;
    }

    /** The header parameters (tag, expires, q, ...). */
    public Parameters parameters() {
        return parameters;
    }

    /** The tag parameter. */
    public Optional<String> tag() {
        return parameters.get("tag");
    }

    /** This address with a parameter set ({@code null} value for a flag). */
    public NameAddress withParameter(String name, String value) {
        return of(displayName, uri, parameters.with(name, value));
    }

    /** This address with a tag. */
    public NameAddress withTag(String tag) {
        return withParameter("tag", tag);
    }

    /** The address as written, or in name-addr form when built. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NameAddress n && uri.equals(n.uri) && parameters.equals(n.parameters)
                && displayName.equals(n.displayName);
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }
}
