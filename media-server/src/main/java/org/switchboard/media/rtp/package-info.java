/** RTP packets (RFC 3550) and RFC 4733 telephone events. */
package org.switchboard.media.rtp;
