/**
 * The application side of the drachtio protocol: {@link org.switchboard.drachtio.client.DrachtioClient} connects
 * to a drachtio server, authenticates, registers routes, sends frames with deadlines and delivers the server's
 * frames off the I/O threads, one call's frames in order; it reconnects with capped back-off and registers its
 * routes again.
 */
package org.switchboard.drachtio.client;
