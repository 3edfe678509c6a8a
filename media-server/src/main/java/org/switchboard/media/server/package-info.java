/**
 * The embedded media server as a whole: its configuration, {@link org.switchboard.media.server.MediaServer} (start,
 * addresses, close) and the {@code ./switchboard media-server} command.
 */
package org.switchboard.media.server;
