/**
 * Framing of the event socket in both directions: a block of lines ended by an empty line, then as many
 * body bytes as its {@code Content-Length} says ({@link org.switchboard.esl.codec.EslFrameDecoder}), and the
 * encoder for commands. Malformed input becomes a {@link org.switchboard.esl.codec.EslProtocolException}.
 */
package org.switchboard.esl.codec;
