/**
 * Runs baresip (Debian's {@code baresip-core}) as a real softphone from tests: headless, with a configuration folder
 * of its own, a WAV file as its microphone, what it hears dumped to a WAV file, and its TCP control socket to dial,
 * key digits and hang up.
 */
package org.switchboard.testing.baresip;
