package org.switchboard.testkit;

/** The transport a phone listens on and sends with. */
public enum SipTransport {
    /** SIP over UDP (the transaction layer retransmits). */
    UDP,
    /** SIP over TCP (one connection per peer, opened on demand). */
    TCP
}
