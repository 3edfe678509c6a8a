/** What channels play: files, silence and tone streams, as 8 kHz frames. */
package org.switchboard.media.source;
