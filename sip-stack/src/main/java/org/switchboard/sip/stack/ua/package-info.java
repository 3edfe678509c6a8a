/**
 * The user agent core on top of the transactions (RFC 3261 sections 8, 12, 13, 15): dialogs, a UAS
 * that answers INVITE with SDP and retransmits its 2xx until the ACK (ending the call with BYE when no
 * ACK comes), handles BYE, CANCEL and OPTIONS and rejects what it does not support as the RFC says, and
 * a UAC that places calls, ACKs the 2xx and hangs up. The embedded drachtio server and the media
 * server build their signalling on it.
 */
package org.switchboard.sip.stack.ua;
