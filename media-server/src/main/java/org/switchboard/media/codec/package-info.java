/** Audio codecs: G.711 μ-law and A-law. */
package org.switchboard.media.codec;
