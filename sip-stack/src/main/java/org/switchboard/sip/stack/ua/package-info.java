/**
 * The user agent core on top of the transactions (RFC 3261 sections 8, 12, 13, 15): the stack's one dialog layer
 * ({@link org.switchboard.sip.stack.ua.DialogState}, with {@link org.switchboard.sip.stack.ua.AckWait} for the ACK of
 * a 2xx), a UAS that answers INVITE with SDP and retransmits its 2xx until the ACK (ending the call with BYE
 * when no ACK comes), handles BYE, CANCEL and OPTIONS and rejects what it does not support as the RFC says, and a
 * UAC that places calls, ACKs the 2xx and hangs up. The embedded drachtio server keeps its dialogs in
 * {@code DialogState} too; the media server answers its calls through {@link org.switchboard.sip.stack.ua.UserAgent}.
 */
package org.switchboard.sip.stack.ua;
