package org.switchboard.sip.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.sip.SipParseException;

/**
 * The value of an authentication header (WWW-Authenticate, Proxy-Authenticate, Authorization,
 * Proxy-Authorization; RFC 3261 section 25.1, RFC 7616): a scheme such as {@code Digest} and its
 * comma-separated parameters, with quoted values unquoted.
 *
 * @param scheme the scheme as written ({@code Digest})
 * @param parameters parameter names in lower case, in order, to their unquoted values
 */
public record AuthValue(String scheme, Map<String, String> parameters) {

    public AuthValue {
        Objects.requireNonNull(scheme, "scheme");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Parses a value such as {@code Digest realm="atlanta.com", nonce="84a4cc6f", qop="auth,auth-int"}.
     *
     * @throws SipParseException when it is not one
     */
    public static AuthValue parse(String value) {
        String where = "authentication header";
        int pos = Grammar.skipWhite(value, 0);
        int schemeEnd = pos;
        while (schemeEnd < value.length() && Grammar.isTokenChar(value.charAt(schemeEnd))) {
            schemeEnd++;
        }
        if (schemeEnd == pos) {
            throw new SipParseException(where, pos, "missing scheme");
        }
        String scheme = value.substring(pos, schemeEnd);
        Map<String, String> params = new LinkedHashMap<>();
        pos = Grammar.skipWhite(value, schemeEnd);
        while (pos < value.length()) {
            int nameStart = pos;
            while (pos < value.length() && Grammar.isTokenChar(value.charAt(pos))) {
                pos++;
            }
            if (pos == nameStart) {
                throw new SipParseException(where, pos, "expected a parameter name");
            }
            String name = value.substring(nameStart, pos).toLowerCase(Locale.ROOT);
            pos = Grammar.skipWhite(value, pos);
            if (pos >= value.length() || value.charAt(pos) != '=') {
                throw new SipParseException(where, pos, "expected '=' after " + name);
            }
            pos = Grammar.skipWhite(value, pos + 1);
            String paramValue;
            if (pos < value.length() && value.charAt(pos) == '"') {
                int end = Grammar.endOfQuoted(value, pos, where);
                paramValue = value.substring(pos + 1, end - 1).replaceAll("\\\\(.)", "$1");
                pos = end;
            } else {
                int start = pos;
                while (pos < value.length() && value.charAt(pos) != ',' && !Grammar.isWhite(value.charAt(pos))) {
                    pos++;
                }
                paramValue = value.substring(start, pos);
            }
            params.put(name, paramValue);
            pos = Grammar.skipWhite(value, pos);
            if (pos < value.length()) {
                if (value.charAt(pos) != ',') {
                    throw new SipParseException(where, pos, "expected ',' between parameters");
                }
                pos = Grammar.skipWhite(value, pos + 1);
            }
        }
        return new AuthValue(scheme, params);
    }

    /** A parameter's value (names are case-insensitive). */
    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Whether the scheme is Digest. */
    public boolean isDigest() {
        return scheme.equalsIgnoreCase("Digest");
    }
}
