/**
 * SIP transports on Netty (RFC 3261 section 18): UDP, TCP, TLS, WebSocket and secure WebSocket (RFC 7118)
 * listeners on any number of IPv4 and IPv6 addresses, outbound connections reused per transport and remote address
 * and closed when idle, TLS on the JDK's provider ({@link org.switchboard.sip.stack.transport.TlsConfig}),
 * {@code received} and {@code rport} (RFC 3581), the response address rules of section 18.2.2, and the switch from
 * UDP to TCP for large requests. Failures reach the transport user as events.
 */
package org.switchboard.sip.stack.transport;
