/**
 * Forking a channel's audio to a WebSocket server, as FreeSWITCH's mod_audio_fork does ({@code uuid_audio_fork}):
 * {@code AudioForks} is the api command and the forks running, {@code AudioFork} one connection on Netty's WebSocket
 * client, {@code ForkMessages} what its server sends, {@code StreamedAudio} the audio streamed back to the caller.
 */
package org.switchboard.media.fork;
