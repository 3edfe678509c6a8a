/** Local sockets as the kernel sees them, for tests that wait for a peer process to bind its ports. */
package org.switchboard.testing.net;
