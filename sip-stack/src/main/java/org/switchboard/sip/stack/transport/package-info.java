/**
 * SIP transports on Netty (RFC 3261 section 18): UDP and TCP listeners on any number of IPv4 and IPv6
 * addresses, outbound TCP connections reused per remote address and closed when idle, {@code received}
 * and {@code rport} (RFC 3581), the response address rules of section 18.2.2, and the switch from UDP
 * to TCP for large requests. Failures reach the transport user as events.
 */
package org.switchboard.sip.stack.transport;
