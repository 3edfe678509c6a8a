package org.switchboard.sip.uri;

import java.util.Locale;

/**
 * An absolute URI of a scheme SIP gives no structure to ({@code http:}, {@code urn:}, {@code isbn:}, ...):
 * a scheme and the opaque rest, kept as written.
 */
public final class AbsoluteUri implements Uri {

    private final String scheme;
    private final String text;

    AbsoluteUri(String scheme, String text) {
        this.scheme = scheme.toLowerCase(Locale.ROOT);
        this.text = text;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    /** Everything after the first colon, as written. */
    public String schemeSpecificPart() {
        return text.substring(text.indexOf(':') + 1);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AbsoluteUri other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
