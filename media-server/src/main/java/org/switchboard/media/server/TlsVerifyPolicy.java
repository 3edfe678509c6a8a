package org.switchboard.media.server;

import java.util.Locale;

/**
 * Which TLS peers' certificates the SIP profile checks, as sofia's {@code tls-verify-policy} names it: a
 * {@code |}-separated list of {@code none}, {@code in} (a client connecting to the TLS listener must present a
 * certificate that chains to {@code cafile.pem}, or its connection is refused), {@code out} (the server certificate
 * of a connection this server opens is checked against {@code cafile.pem}), {@code all} (both),
 * {@code subjects_in} ({@code in}, and the client certificate must also name one of {@code tls-verify-in-subjects}),
 * {@code subjects_out} and {@code subjects_all}.
 *
 * @param incoming whether clients of the TLS listener must present a trusted certificate
 * @param outgoing whether the connections this server opens check the server certificate against {@code cafile.pem}
 * @param subjectsIn whether a client certificate must also name one of the accepted subjects
 * @param subjectsOut whether the certificate of a server connected to must name the host connected to
 */
public record TlsVerifyPolicy(boolean incoming, boolean outgoing, boolean subjectsIn, boolean subjectsOut) {

    /** sofia's default: no certificate is asked of clients. */
    public static final TlsVerifyPolicy NONE = new TlsVerifyPolicy(false, false, false, false);

    /** Checks that the subject checks come with the certificate checks they extend, as sofia's values imply. */
    public TlsVerifyPolicy {
        if (subjectsIn && !incoming || subjectsOut && !outgoing) {
            throw new IllegalArgumentException("a subject check needs the certificate check of the same direction");
        }
    }

    /**
     * sofia's value, such as {@code in}, {@code all} or {@code subjects_in|out}.
     *
     * @throws IllegalArgumentException naming a word that is none of sofia's
     */
    public static TlsVerifyPolicy parse(String value) {
        boolean in = false;
        boolean out = false;
        boolean subjectsIn = false;
        boolean subjectsOut = false;
        for (String word : value.strip().toLowerCase(Locale.ROOT).split("\\s*\\|\\s*")) {
            switch (word) {
                case "none" -> { }
                case "in" -> in = true;
                case "out" -> out = true;
                case "all" -> {
                    in = true;
                    out = true;
                }
                case "subjects_in" -> subjectsIn = in = true;
                case "subjects_out" -> subjectsOut = out = true;
                case "subjects_all" -> subjectsIn = subjectsOut = in = out = true;
                default -> throw new IllegalArgumentException("tls-verify-policy '" + value + "': '" + word
                        + "' is not one of none, in, out, all, subjects_in, subjects_out, subjects_all (joined by |)");
            }
        }
        return new TlsVerifyPolicy(in, out, subjectsIn, subjectsOut);
    }

    /** Whether any certificate is checked against {@code cafile.pem}, which then must exist. */
    public boolean verifies() {
        return incoming || outgoing;
    }

    @Override
    public String toString() {
        if (!verifies()) {
            return "none";
        }
        String in = subjectsIn ? "subjects_in" : incoming ? "in" : "";
        String out = subjectsOut ? "subjects_out" : outgoing ? "out" : "";
        return in.isEmpty() || out.isEmpty() ? in + out : in + "|" + out;
    }
}
