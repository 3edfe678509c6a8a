/** A WebSocket server for tests of WebSocket clients (the media server's audio forks). */
package org.switchboard.testing.websocket;
