/**
 * Real-peer data for tests (RFC 4475/5118 torture messages, sipp scenarios and captures, byte-exact
 * transcripts of FreeSWITCH and drachtio-server), kept under {@code interop/} in this module's
 * resources, exactly as received; see {@code interop/README.md} there.
 */
package org.switchboard.testing.interop;
