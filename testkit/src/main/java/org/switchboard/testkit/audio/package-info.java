/**
 * What the test kit measures in audio it heard (8 kHz mono linear samples): tones by the Goertzel algorithm,
 * in-band DTMF digits, speech-like energy and silence, and the normalised cross-correlation with a reference
 * recording. Plain functions with no I/O and no threads, usable on any samples.
 */
package org.switchboard.testkit.audio;
