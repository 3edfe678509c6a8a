/**
 * What the drachtio and event socket modules share about TCP connections: {@link org.switchboard.connection.TcpListener}
 * for the servers and listen modes, {@link org.switchboard.connection.Backoff} and
 * {@link org.switchboard.connection.Reconnector} for the clients that must find their peer again, and
 * {@link org.switchboard.connection.ClientTls} for the clients that reach their peer over TLS.
 */
package org.switchboard.connection;
