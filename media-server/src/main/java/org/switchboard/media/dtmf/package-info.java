/** DTMF: in-band tone detection for callers that send no RFC 4733 events. */
package org.switchboard.media.dtmf;
