/**
 * URIs as SIP uses them: {@code sip:} and {@code sips:} URIs (RFC 3261 section 19.1), {@code tel:}
 * URIs (RFC 3966) and any other absolute URI, with their parameters. Values are immutable; a parsed
 * URI that is not modified prints back exactly as it was written.
 */
package org.switchboard.sip.uri;
