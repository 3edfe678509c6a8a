/**
 * A SIP phone for plain JUnit 5 tests: {@link org.switchboard.testkit.SipPhone} registers, calls and answers on
 * the project's own SIP stack over UDP or TCP on a free loopback port; each {@link org.switchboard.testkit.Call}
 * sends G.711 audio (a WAV file, a tone, silence) and RFC 4733 or in-band DTMF paced by the media server's clock,
 * and its {@link org.switchboard.testkit.Ear} records what it hears and asserts on it with a deadline. Every wait
 * has a deadline; a failure says what was heard instead and shows the call's SIP ladder. No Netty type appears in
 * this API.
 */
package org.switchboard.testkit;
