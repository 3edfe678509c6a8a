package org.switchboard.sip.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.AuthValue;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.middleware.Exchange;

class DigestTest {

    @Test
    void matchesTheRfc2617Example() {
        assertThat(Digest.response(Digest.Algorithm.MD5, "Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
                "dcd98b7102dd2f0e8b11d0f600bfb0c093", Optional.of("auth"), "00000001", "0a4f113b"))
                .isEqualTo("6629fae49393a05397450978507c4ef1");
    }

    @Test
    void matchesTheRfc7616Examples() {
        String nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
        String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        assertThat(Digest.response(Digest.Algorithm.MD5, "Mufasa", "http-auth@example.org", "Circle of Life", "GET",
                "/dir/index.html", nonce, Optional.of("auth"), "00000001", cnonce)).isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
        assertThat(Digest.response(Digest.Algorithm.SHA_256, "Mufasa", "http-auth@example.org", "Circle of Life", "GET",
                "/dir/index.html", nonce, Optional.of("auth"), "00000001", cnonce))
                .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    @Test
    void theClientAnswerCarriesWhatTheChallengeAsked() {
        AuthValue challenge = AuthValue.parse("Digest realm=\"local\", nonce=\"abc\", qop=\"auth,auth-int\", opaque=\"xyz\", algorithm=SHA-256");
        AuthValue answer = AuthValue.parse(Digest.authorization(challenge, "INVITE", "sip:bob@example.com", "alice", "pw").orElseThrow());
        assertThat(answer.parameter("qop")).contains("auth");
        assertThat(answer.parameter("nc")).contains("00000001");
        assertThat(answer.parameter("opaque")).contains("xyz");
        assertThat(answer.parameter("response")).contains(Digest.response(Digest.Algorithm.SHA_256, "alice", "local", "pw", "INVITE",
                "sip:bob@example.com", "abc", Optional.of("auth"), "00000001", answer.parameter("cnonce").orElseThrow()));
        assertThat(Digest.authorization(AuthValue.parse("Digest realm=\"r\", nonce=\"n\", algorithm=AKAv1-MD5"), "INVITE", "sip:x", "a", "b"))
                .as("unsupported algorithm").isEmpty();
    }

    /** Runs the middleware on one request; returns the response it sent, or null when it let the request through. */
    private static SipResponse run(DigestAuthentication auth, SipRequest request, Map<String, Object> attributes) throws Exception {
        AtomicReference<SipResponse> sent = new AtomicReference<>();
        auth.handle(new Exchange() {
            @Override
            public SipRequest request() {
                return request;
            }

            @Override
            public String application() {
                return "test";
            }

            @Override
            public void proceed() {
            }

            @Override
            public void respond(SipResponse response) {
                sent.set(response);
            }

            @Override
            public boolean isAnswered() {
                return sent.get() != null;
            }

            @Override
            public Map<String, Object> attributes() {
                return attributes;
            }
        });
        return sent.get();
    }

    private static SipRequest register(String authorization) {
        SipRequest.Builder b = SipRequest.builder("REGISTER", "sip:example.com")
                .addHeader("Via", "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1").addHeader("From", "<sip:alice@example.com>;tag=1")
                .addHeader("To", "<sip:alice@example.com>").addHeader("Call-ID", "c1").addHeader("CSeq", "1 REGISTER");
        if (authorization != null) {
            b.addHeader("Authorization", authorization);
        }
        return b.build();
    }

    @Test
    void theMiddlewareChallengesChecksAndExpiresNonces() throws Exception {
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        DigestAuthentication auth = DigestAuthentication.builder().realm("example.com")
                .credentials(CredentialSource.of(Map.of("alice", "wonderland"))).nonceLifetime(Duration.ofMinutes(1)).clock(clock).build();
        SipResponse challenge = run(auth, register(null), new java.util.HashMap<>());
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.headers().all("WWW-Authenticate")).hasSize(2);
        AuthValue md5 = AuthValue.parse(challenge.headers().all("WWW-Authenticate").get(0));
        assertThat(md5.parameter("algorithm")).contains("MD5");

        String good = Digest.authorization(md5, "REGISTER", "sip:example.com", "alice", "wonderland").orElseThrow();
        Map<String, Object> attributes = new java.util.HashMap<>();
        assertThat(run(auth, register(good), attributes)).isNull();
        assertThat(attributes).containsEntry(DigestAuthentication.USER_ATTRIBUTE, "alice");

        String wrong = Digest.authorization(md5, "REGISTER", "sip:example.com", "alice", "rabbit").orElseThrow();
        assertThat(run(auth, register(wrong), new java.util.HashMap<>()).status()).isEqualTo(401);
        String forged = good.replaceAll("nonce=\"[^\"]+\"", "nonce=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"");
        assertThat(run(auth, register(forged), new java.util.HashMap<>()).headers().all("WWW-Authenticate").get(0)).doesNotContain("stale");

        now[0] = now[0].plusSeconds(120);
        SipResponse stale = run(auth, register(good), new java.util.HashMap<>());
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.headers().all("WWW-Authenticate").get(0)).contains("stale=true");
    }
}
