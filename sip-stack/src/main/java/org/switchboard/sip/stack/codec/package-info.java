/**
 * Netty codecs that cut SIP messages out of TCP and TLS streams (Content-Length framing, RFC 5626 keep-alives),
 * UDP datagrams and WebSocket messages (RFC 7118, one message each), within configured size limits. Malformed
 * input becomes a {@link org.switchboard.sip.stack.codec.Inbound.Malformed} event, never an exception.
 */
package org.switchboard.sip.stack.codec;
