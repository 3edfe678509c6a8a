/**
 * RFC 3261 transactions (section 17) with the RFC 6026 Accepted state: the client and server state
 * machines for INVITE and non-INVITE requests, timers A to M on one hashed-wheel timer, request
 * matching by branch (section 17.2.3) with the RFC 2543 fallback, CANCEL matched to its INVITE,
 * 100 Trying for INVITE, the ACK for non-2xx responses, and absorption of retransmissions.
 */
package org.switchboard.sip.stack.transaction;
