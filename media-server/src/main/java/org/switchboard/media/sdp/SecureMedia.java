package org.switchboard.media.sdp;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a caller's audio may, must or must not be SRTP: FreeSWITCH's {@code rtp_secure_media_inbound} permission.
 * A refused offer gets 488 with a Warning saying why, never a plain answer to an {@code RTP/SAVP} offer.
 */
public enum SecureMedia {
    /** SRTP when the offer asks for it ({@code RTP/SAVP}), plain RTP otherwise: FreeSWITCH's default. */
    DEFAULT,
    /** Only {@code RTP/SAVP} offers are taken ({@code mandatory}, or {@code true}). */
    MANDATORY,
    /** {@code RTP/SAVP} offers are refused ({@code forbidden}, or {@code false}). */
    FORBIDDEN;

    /**
     * The permission FreeSWITCH's variable names: {@code default}, {@code optional} (the same for a caller's offer),
     * {@code mandatory}/{@code true} or {@code forbidden}/{@code false}.
     *
     * @throws IllegalArgumentException for anything else, a list of suites ({@code mandatory:AES_CM_...}) included:
     *     the suites are chosen from the offer's crypto lines
     */
    public static SecureMedia parse(String permission) {
        return switch (permission.trim().toLowerCase(Locale.ROOT)) {
            case "default", "optional" -> DEFAULT;
            case "mandatory", "true" -> MANDATORY;
            case "forbidden", "false" -> FORBIDDEN;
            default -> throw new IllegalArgumentException("secure media is default, optional, mandatory or forbidden"
                    + " (a list of suites is not supported), was '" + permission + "'");
        };
    }

    /** Why an offer whose audio stream uses {@code protocol} is refused, or empty when it is taken. */
    public Optional<String> refusal(String protocol) {
        boolean secure = protocol.equals("RTP/SAVP");
        return switch (this) {
            case DEFAULT -> Optional.empty();
            case MANDATORY -> secure ? Optional.empty() : Optional.of("SRTP is mandatory here: offer RTP/SAVP with SDES keys");
            case FORBIDDEN -> secure ? Optional.of("SRTP is forbidden here: offer RTP/AVP") : Optional.empty();
        };
    }
}
