/** Runs Kamailio as a real SIP peer from tests: a record-routing relay between UDP, TCP and TLS on loopback. */
package org.switchboard.testing.kamailio;
