/** Runs Debian's stunnel from tests: a real TLS front before a plain TCP server on loopback. */
package org.switchboard.testing.stunnel;
