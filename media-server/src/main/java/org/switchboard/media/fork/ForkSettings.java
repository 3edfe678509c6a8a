package org.switchboard.media.fork;

import java.net.URI;
import java.util.Locale;

/**
 * What {@code uuid_audio_fork <uuid> start} asked for.
 *
 * @param url the WebSocket server ({@code ws://}, {@code wss://}; {@code http(s)://} are taken for them, as
 *     mod_audio_fork does)
 * @param mix {@code mono}: what the caller sends; {@code mixed}: that and what the channel sends, summed; {@code stereo}:
 *     the caller left, the channel right
 * @param rate the sample rate of the audio sent, a multiple of 8000
 * @param bugname the fork's name on the channel (several forks may run under different names)
 * @param metadata the text sent in the first frame after the connection opens, or null
 * @param returnRate the sample rate of the L16 audio the server sends back in binary frames (0: the fork's rate);
 *     -1 when the start turned the return direction off
 */
record ForkSettings(URI url, Mix mix, int rate, String bugname, String metadata, int returnRate) {

    /** mod_audio_fork's bug name when the command gives none. */
    static final String DEFAULT_BUGNAME = "audio_fork";

    /** How the two directions are put into the stream. */
    enum Mix {
        MONO, MIXED, STEREO;

        int channels() {
            return this == STEREO ? 2 : 1;
        }

        static Mix parse(String s) {
            return switch (s) {
                case "mono" -> MONO;
                case "mixed" -> MIXED;
                case "stereo" -> STEREO;
                default -> throw new IllegalArgumentException("invalid mix type: " + s + ", must be mono, mixed, or stereo");
            };
        }
    }

    /** {@code 8k}, {@code 16k} or a number of Hz that is a multiple of 8000, up to 64000. */
    static int parseRate(String s) {
        int rate = switch (s) {
            case "8k" -> 8000;
            case "16k" -> 16000;
            default -> {
                try {
                    yield Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    yield -1;
                }
            }
        };
        if (rate < 8000 || rate > 64000 || rate % 8000 != 0) {
            throw new IllegalArgumentException("invalid sample rate: " + s);
        }
        return rate;
    }

    /** The WebSocket URI of {@code s}, with {@code http(s)} read as {@code ws(s)}. */
    static URI parseUrl(String s) {
        URI uri = URI.create(s);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String ws = switch (scheme) {
            case "ws", "http" -> "ws";
            case "wss", "https" -> "wss";
            default -> throw new IllegalArgumentException("invalid websocket uri: " + s);
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("invalid websocket uri: " + s);
        }
        return URI.create(ws + s.substring(scheme.length()));
    }

    boolean secure() {
        return url.getScheme().equals("wss");
    }

    int port() {
        return url.getPort() > 0 ? url.getPort() : secure() ? 443 : 80;
    }
}
