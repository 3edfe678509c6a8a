package org.switchboard.media.esl;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The SIP profile as {@code sofia status} reports it: its name, addresses and listeners. A profile with a TLS
 * listener and no UDP one is sofia's {@code tls-only}: only its TLS line is listed, as mod_sofia lists it.
 *
 * @param name the profile's name
 * @param sipIp the address SIP listens on
 * @param rtpIp the address RTP is sent from
 * @param udpPort the UDP listener's port; empty with {@code tls-only}
 * @param tlsPort the TLS listener's port, when there is one
 */
public record SofiaProfile(String name, String sipIp, String rtpIp, Optional<Integer> udpPort, Optional<Integer> tlsPort) {

    private static final String RULE = "=".repeat(97) + "\n";
    private static final String LINE = "%25s\t%s\t  %40s\t%s (%d)%s\n";
    private static final String FIELD = "%-17s\t%s\n";

    /** Checks that the profile listens somewhere. */
    public SofiaProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sipIp, "sipIp");
        Objects.requireNonNull(rtpIp, "rtpIp");
        if (udpPort.isEmpty() && tlsPort.isEmpty()) {
            throw new IllegalArgumentException("a SIP profile listens on UDP, TLS or both");
        }
    }

    /** A profile listening on UDP only. */
    public static SofiaProfile udp(String name, String sipIp, int port) {
        return new SofiaProfile(name, sipIp, sipIp, Optional.of(port), Optional.empty());
    }

    /**
     * {@code sofia status}: a line per listener (the TLS one ending {@code (TLS)}, which is how drachtio-fsmrf finds it);
     * {@code sofia status profile <name>}: the profile's addresses (mod_sofia's other fields, such as its codecs and
     * call counts, are not listed); other forms answer an error. The number in parentheses stays 0: calls are not
     * counted per profile here.
     */
    String answer(String args) {
        String[] words = args.strip().split("\\s+");
        if (args.isBlank() || words.length == 1 && words[0].equals("status")) {
            return String.format(Locale.ROOT, "%25s\t%7s\t%42s\t%s\n", "Name", "Type", "Data", "State") + RULE
                    + udpPort.map(p -> String.format(Locale.ROOT, LINE, name, "profile", url(p), "RUNNING", 0, ""))
                            .orElse("")
                    + tlsPort.map(p -> String.format(Locale.ROOT, LINE, name, "profile", url(p), "RUNNING", 0,
                            " (TLS)")).orElse("")
                    + RULE + "1 profile 0 aliases\n";
        }
        if (words.length == 3 && words[0].equals("status") && words[1].equals("profile")) {
            return words[2].equals(name) ? details() : "Invalid Profile!\n";
        }
        return "-ERR sofia " + args + " is not supported here\n";
    }

    private String details() {
        StringBuilder out = new StringBuilder(RULE).append(field("Name", name)).append(field("RTP-IP", rtpIp))
                .append(field("SIP-IP", sipIp));
        udpPort.ifPresent(p -> out.append(field("URL", url(p))).append(field("BIND-URL", url(p) + ";transport=udp")));
        tlsPort.ifPresent(p -> out.append(field("TLS-URL", url(p)))
                .append(field("TLS-BIND-URL", "sips:mod_sofia@" + host() + ":" + p + ";transport=tls")));
        return out.append(RULE).toString();
    }

    private String url(int port) {
        return "sip:mod_sofia@" + host() + ":" + port;
    }

    private String host() {
        return sipIp.contains(":") ? "[" + sipIp + "]" : sipIp;
    }

    private static String field(String name, String value) {
        return String.format(Locale.ROOT, FIELD, name, value);
    }
}
