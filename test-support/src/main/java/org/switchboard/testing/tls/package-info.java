/**
 * Throw-away TLS identities for tests: self-signed certificates made by the JDK's {@code keytool} at test time
 * (never committed), valid, expired or for another host, as PEM files and as a PKCS#12 key store.
 */
package org.switchboard.testing.tls;
