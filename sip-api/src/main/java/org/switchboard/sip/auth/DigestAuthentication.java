package org.switchboard.sip.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.AuthValue;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.middleware.Exchange;
import org.switchboard.sip.middleware.Middleware;

/**
 * A middleware that lets a request through only with valid digest credentials (RFC 7616, RFC 3261 section 22).
 * A request without them is challenged (401, or 407 in proxy mode) once per configured algorithm, in order of
 * preference; wrong or stale credentials are challenged again. On success the user name is left in the
 * exchange's attributes under {@value #USER_ATTRIBUTE}. ACK and CANCEL pass untouched (they cannot be
 * challenged). Nonces carry their issue time and an HMAC under a key made at start-up, so they need no memory
 * and expire after the configured lifetime.
 *
 * <p>To use it, a bean such as {@code @Dependent @Priority(10) @Mount({"REGISTER", "INVITE"}) class Auth extends
 * DigestAuthentication { Auth() { super(DigestAuthentication.builder().realm("example.com").credentials(src)); } }}.
 */
public class DigestAuthentication implements Middleware {

    /** The attribute that holds the authenticated user name. */
    public static final String USER_ATTRIBUTE = "user";

    private final String realm;
    private final CredentialSource credentials;
    private final List<Digest.Algorithm> algorithms;
    private final boolean proxy;
    private final Duration nonceLifetime;
    private final Clock clock;
    private final SecretKeySpec key = new SecretKeySpec(Digest.randomBytes(32), "HmacSHA256");

    /** A middleware configured by {@code builder}. */
    protected DigestAuthentication(Builder builder) {
        this.realm = Objects.requireNonNull(builder.realm, "realm");
        this.credentials = Objects.requireNonNull(builder.credentials, "credentials");
        this.algorithms = List.copyOf(builder.algorithms);
        this.proxy = builder.proxy;
        this.nonceLifetime = builder.nonceLifetime;
        this.clock = builder.clock;
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one algorithm");
        }
    }

    /** A builder; realm and credentials are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        SipRequest request = exchange.request();
        if (request.isMethod("ACK") || request.isMethod("CANCEL")) {
            exchange.proceed();
            return;
        }
        Verdict verdict = verify(request);
        if (verdict.user != null) {
            exchange.attributes().put(USER_ATTRIBUTE, verdict.user);
            exchange.proceed();
        } else {
            exchange.respond(challenge(verdict.stale));
        }
    }

    private record Verdict(String user, boolean stale) {
    }

    private Verdict verify(SipRequest request) {
        String header = proxy ? "Proxy-Authorization" : "Authorization";
        List<AuthValue> values;
        try {
            values = request.authValues(header);
        } catch (SipParseException malformed) {
            return new Verdict(null, false);
        }
        for (AuthValue v : values) {
            if (!v.isDigest() || !v.parameter("realm").orElse("").equals(realm)) {
                continue;
            }
            Optional<Digest.Algorithm> algorithm = Digest.Algorithm.named(v.parameter("algorithm")).filter(algorithms::contains);
            Optional<String> user = v.parameter("username");
            Optional<String> nonce = v.parameter("nonce");
            Optional<String> uri = v.parameter("uri");
            Optional<String> given = v.parameter("response");
            if (algorithm.isEmpty() || user.isEmpty() || nonce.isEmpty() || uri.isEmpty() || given.isEmpty()) {
                continue;
            }
            Optional<String> qop = v.parameter("qop");
            if (qop.isPresent() && !qop.get().equalsIgnoreCase("auth")) {
                continue;
            }
            NonceState state = nonceState(nonce.get());
            if (state == NonceState.FORGED) {
                continue;
            }
            Optional<String> password = credentials.password(user.get(), realm);
            if (password.isEmpty()) {
                continue;
            }
            String expected = Digest.response(algorithm.get(), user.get(), realm, password.get(), request.method(), uri.get(),
                    nonce.get(), qop, v.parameter("nc").orElse(""), v.parameter("cnonce").orElse(""));
            boolean match = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    given.get().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
            if (match) {
                return state == NonceState.FRESH ? new Verdict(user.get(), false) : new Verdict(null, true);
            }
        }
        return new Verdict(null, false);
    }

    private SipResponse challenge(boolean stale) {
        SipResponse.Builder b = SipResponse.builder(proxy ? 407 : 401);
        String nonce = newNonce();
        for (Digest.Algorithm a : algorithms) {
            b.addHeader(proxy ? "Proxy-Authenticate" : "WWW-Authenticate", "Digest realm=\"" + Digest.quote(realm)
                    + "\", nonce=\"" + nonce + "\", algorithm=" + a.token() + ", qop=\"auth\"" + (stale ? ", stale=true" : ""));
        }
        return b.build();
    }

    private enum NonceState { FRESH, STALE, FORGED }

    private String newNonce() {
        ByteBuffer buf = ByteBuffer.allocate(8 + 16);
        long now = clock.millis();
        buf.putLong(now).put(mac(now));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
    }

    private NonceState nonceState(String nonce) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return NonceState.FORGED;
        }
        if (raw.length != 24) {
            return NonceState.FORGED;
        }
        long issued = ByteBuffer.wrap(raw, 0, 8).getLong();
        if (!MessageDigest.isEqual(mac(issued), Arrays.copyOfRange(raw, 8, 24))) {
            return NonceState.FORGED;
        }
        return clock.millis() - issued <= nonceLifetime.toMillis() ? NonceState.FRESH : NonceState.STALE;
    }

    private byte[] mac(long issued) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(ByteBuffer.allocate(8).putLong(issued).array()), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Builds the configuration of a {@link DigestAuthentication}. */
    public static final class Builder {
        private String realm;
        private CredentialSource credentials;
        private List<Digest.Algorithm> algorithms = new ArrayList<>(List.of(Digest.Algorithm.MD5, Digest.Algorithm.SHA_256));
        private boolean proxy;
        private Duration nonceLifetime = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The realm challenges name. */
        public Builder realm(String value) {
            this.realm = value;
            return this;
        }

        /** Where passwords come from. */
        public Builder credentials(CredentialSource source) {
            this.credentials = source;
            return this;
        }

        /**
         * The algorithms offered, most preferred first; MD5 then SHA-256 unless given (MD5 first because many
         * clients, sipp among them, answer only the first challenge). Browser SIP stacks (SIP.js, JsSIP) keep only the
         * last challenge and answer only MD5: to serve them, offer MD5 alone.
         */
        public Builder algorithms(Digest.Algorithm... preferred) {
            this.algorithms = List.of(preferred);
            return this;
        }

        /** Challenge as a proxy: 407 and Proxy-Authenticate. */
        public Builder proxy(boolean asProxy) {
            this.proxy = asProxy;
            return this;
        }

        /** How long a nonce stays fresh; 5 minutes unless given. */
        public Builder nonceLifetime(Duration lifetime) {
            this.nonceLifetime = lifetime;
            return this;
        }

        /** The clock nonces are dated with. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** The middleware. */
        public DigestAuthentication build() {
            return new DigestAuthentication(this);
        }
    }
}
