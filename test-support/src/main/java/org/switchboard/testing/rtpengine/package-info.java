/**
 * Runs rtpengine (Debian's {@code rtpengine-daemon}) from tests as a real SRTP peer: in user space only, on loopback,
 * driven over its ng control protocol, so that a test's plain RTP reaches a server as SRTP with the keys and suite
 * rtpengine chose, and the server's SRTP comes back decrypted.
 */
package org.switchboard.testing.rtpengine;
