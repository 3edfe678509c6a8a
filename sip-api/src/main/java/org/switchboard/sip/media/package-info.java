/**
 * Media for applications: a {@link org.switchboard.sip.media.MediaServer} (a FreeSWITCH or the embedded media
 * server, reached over the event socket and SIP) hands out {@link org.switchboard.sip.media.Endpoint}s, one media
 * channel each, that play, collect digits, record, bridge and run any dialplan application. Only interfaces and
 * immutable values live here; the implementation is the {@code mrf-cdi} module. Every operation returns a
 * {@link java.util.concurrent.CompletionStage} that completes within the endpoint's command deadline, failing with a
 * {@link org.switchboard.sip.media.MediaException} when the deadline passes, the call hangs up or the event
 * socket connection is lost. Callbacks and completions run off the I/O threads, one endpoint's in order.
 */
package org.switchboard.sip.media;
