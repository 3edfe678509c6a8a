package org.switchboard.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.switchboard.sip.message.AuthValue;

/** Digest computations (RFC 7616 section 3.4.1) and the client's answer to a challenge. */
public final class Digest {

    /** A digest algorithm SIP uses. */
    public enum Algorithm {
        /** MD5: what most SIP equipment speaks. */
        MD5("MD5", "MD5"),
        /** SHA-256 (RFC 8760). */
        SHA_256("SHA-256", "SHA-256");

        private final String token;
        private final String jca;

        Algorithm(String token, String jca) {
            this.token = token;
            this.jca = jca;
        }

        /** The name in the {@code algorithm} parameter. */
        public String token() {
            return token;
        }

        /** The algorithm a challenge's {@code algorithm} parameter names (MD5 when absent); empty if unsupported. */
        public static Optional<Algorithm> named(Optional<String> parameter) {
            String name = parameter.orElse("MD5").toUpperCase(Locale.ROOT);
            for (Algorithm a : values()) {
                if (a.token.equals(name)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }

        String hash(String text) {
            try {
                MessageDigest md = MessageDigest.getInstance(jca);
                return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JVM lacks " + jca, e);
            }
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private Digest() {
    }

    /**
     * The {@code response} value: with {@code qop=auth} {@code KD(H(A1), nonce:nc:cnonce:qop:H(A2))}, without qop
     * (RFC 2069) {@code KD(H(A1), nonce:H(A2))}.
     */
    public static String response(Algorithm algorithm, String username, String realm, String password, String method,
                                  String uri, String nonce, Optional<String> qop, String nc, String cnonce) {
        String ha1 = algorithm.hash(username + ":" + realm + ":" + password);
        String ha2 = algorithm.hash(method + ":" + uri);
        return qop.isPresent()
                ? algorithm.hash(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop.get() + ":" + ha2)
                : algorithm.hash(ha1 + ":" + nonce + ":" + ha2);
    }

    /**
     * The Authorization (or Proxy-Authorization) value answering {@code challenge} for a request of
     * {@code method} to {@code uri}; empty when the challenge is not a digest one this class can answer.
     */
    public static Optional<String> authorization(AuthValue challenge, String method, String uri, String username, String password) {
        if (!challenge.isDigest()) {
            return Optional.empty();
        }
        Optional<Algorithm> algorithm = Algorithm.named(challenge.parameter("algorithm"));
        String realm = challenge.parameter("realm").orElse("");
        Optional<String> nonce = challenge.parameter("nonce");
        if (algorithm.isEmpty() || nonce.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> qop = challenge.parameter("qop").flatMap(Digest::authQop);
        if (challenge.parameter("qop").isPresent() && qop.isEmpty()) {
            return Optional.empty(); // only auth-int offered
        }
        String nc = "00000001";
        String cnonce = HexFormat.of().formatHex(randomBytes(8));
        String response = response(algorithm.get(), username, realm, password, method, uri, nonce.get(), qop, nc, cnonce);
        StringBuilder b = new StringBuilder("Digest username=\"").append(quote(username))
                .append("\", realm=\"").append(quote(realm))
                .append("\", nonce=\"").append(quote(nonce.get()))
                .append("\", uri=\"").append(quote(uri))
                .append("\", response=\"").append(response)
                .append("\", algorithm=").append(algorithm.get().token());
        challenge.parameter("opaque").ifPresent(o -> b.append(", opaque=\"").append(quote(o)).append('"'));
        qop.ifPresent(q -> b.append(", qop=").append(q).append(", nc=").append(nc).append(", cnonce=\"").append(cnonce).append('"'));
        return Optional.of(b.toString());
    }

    private static Optional<String> authQop(String offered) {
        for (String q : offered.split(",")) {
            if (q.trim().equalsIgnoreCase("auth")) {
                return Optional.of("auth");
            }
        }
        return Optional.empty();
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
