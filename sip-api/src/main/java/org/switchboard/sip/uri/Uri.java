package org.switchboard.sip.uri;

import org.switchboard.sip.SipParseException;

/**
 * A URI as it appears in a Request-URI or a name-addr: a {@link SipUri}, a {@link TelUri}, or any
 * other {@link AbsoluteUri}. {@link #toString()} gives the URI as written.
 */
public sealed interface Uri permits SipUri, TelUri, AbsoluteUri {

    /** The scheme, in lower case ({@code sip}, {@code sips}, {@code tel}, ...). */
    String scheme();

    /**
     * Parses a URI.
     *
     * @throws SipParseException when the text is not a URI
     */
    static Uri parse(String text) {
        return UriParser.parse(text, "URI");
    }
}
