/** SDP (RFC 4566) reading and offer/answer (RFC 3264) for G.711 audio. */
package org.switchboard.media.sdp;
