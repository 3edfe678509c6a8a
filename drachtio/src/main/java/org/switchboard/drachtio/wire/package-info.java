/**
 * The drachtio wire protocol between an application and a drachtio server: frames of
 * {@code <byte length>#<payload>} (the length counts UTF-8 bytes), a payload made of a {@code |}-separated leader
 * and, after the first CRLF, an optional SIP message. {@link org.switchboard.drachtio.wire.DrachtioFrame} is one
 * frame with typed views of every message kind; the decoder and encoder are shared by client and server.
 */
package org.switchboard.drachtio.wire;
