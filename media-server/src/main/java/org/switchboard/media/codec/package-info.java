/** Audio codecs: G.711 μ-law and A-law, G.722 and Opus, behind one {@link org.switchboard.media.codec.Codec} type. */
package org.switchboard.media.codec;
