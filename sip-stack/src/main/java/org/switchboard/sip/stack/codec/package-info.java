/**
 * Netty codecs that cut SIP messages out of TCP streams (Content-Length framing, RFC 5626 keep-alives)
 * and UDP datagrams, within configured size limits. Malformed input becomes a {@link
 * org.switchboard.sip.stack.codec.Inbound.Malformed} event, never an exception.
 */
package org.switchboard.sip.stack.codec;
