/** Audio: linear PCM buffers, resampling, WAV files. */
package org.switchboard.media.audio;
