/**
 * The media resource framework: drachtio-fsmrf's model in Java over this project's event socket client.
 * {@link org.switchboard.mrf.Mrf#connect} opens a {@link org.switchboard.sip.media.MediaServer} (one inbound event
 * socket connection per server, plus a listener the server connects back to once per channel); endpoints are made
 * by placing a SIP call through the {@link org.switchboard.mrf.MediaSignaling} the caller supplies and matching the
 * channel's outbound connection to it. See docs/media.md.
 */
package org.switchboard.mrf;
