/**
 * An embedded drachtio-compatible server on sip-stack: {@link org.switchboard.drachtio.server.DrachtioServer} (a
 * {@link org.switchboard.lifecycle.Graceful}), its configuration and the {@code ./switchboard sip-server} command
 * are public; inside, the package-private core dispatches network messages and app frames to one piece per concern
 * (routing requests to apps, parked requests, the server as UAS and as UAC for apps, dialogs, proxying, session
 * timers, CDRs, HTTP routing, outbound connections). See docs/drachtio.md.
 */
package org.switchboard.drachtio.server;
