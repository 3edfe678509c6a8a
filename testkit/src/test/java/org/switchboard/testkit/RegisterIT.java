package org.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.switchboard.sip.auth.Digest;
import org.switchboard.sip.message.AuthValue;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/** A phone registers with digest authentication at another phone playing a registrar that checks the digest. */
class RegisterIT {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final String REALM = "switchboard.test";
    static final String NONCE = "a1b2c3d4";
    SipPhone registrar;
    SipPhone alice;

    @AfterEach
    void close() {
        alice.close();
        registrar.close();
    }

    /** 401 with a challenge, then 200 only for the right digest response. */
    static SipResponse registrarAnswer(SipRequest request) {
        Optional<AuthValue> credentials = request.authValues("Authorization").stream().findFirst();
        if (credentials.isEmpty()) {
            return SipResponse.forRequest(request, 401)
                    .addHeader("WWW-Authenticate", "Digest realm=\"" + REALM + "\", nonce=\"" + NONCE + "\", qop=\"auth\", algorithm=MD5")
                    .build();
        }
        AuthValue c = credentials.get();
        String expected = Digest.response(Digest.Algorithm.MD5, c.parameter("username").orElse(""), REALM, "s3cret",
                request.method(), c.parameter("uri").orElse(""), NONCE, c.parameter("qop"), c.parameter("nc").orElse(""),
                c.parameter("cnonce").orElse(""));
        if (!expected.equals(c.parameter("response").orElse(""))) {
            return SipResponse.forRequest(request, 403).build();
        }
        return SipResponse.forRequest(request, 200)
                .addHeader("Contact", request.headers().first("Contact").orElseThrow() + ";expires=60").build();
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void registersWithDigestAuthentication(SipTransport transport) {
        registrar = SipPhone.builder().transport(transport).user("registrar").build();
        registrar.handle("REGISTER", RegisterIT::registrarAnswer);
        alice = SipPhone.builder().transport(transport).user("alice").domain(REALM).credentials("alice", "s3cret").build();
        String registrarUri = "sip:" + registrar.uri().substring(registrar.uri().indexOf('@') + 1);

        SipResponse ok = alice.register(registrarUri, Duration.ofSeconds(60));

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Contact")).hasValueSatisfying(c -> assertThat(c).contains(alice.uri()));
        SipRequest authenticated = registrar.assertReceived("REGISTER",
                Map.of("Authorization", "username=\"alice\"", "To", "sip:alice@" + REALM, "Expires", "60"), WAIT);
        assertThat(authenticated.cseq().number()).isEqualTo(2);
        assertThat(registrar.received()).filteredOn(r -> r.isMethod("REGISTER")).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void aWrongPasswordFailsWithTheLadder(SipTransport transport) {
        registrar = SipPhone.builder().transport(transport).user("registrar").build();
        registrar.handle("REGISTER", RegisterIT::registrarAnswer);
        alice = SipPhone.builder().transport(transport).user("alice").credentials("alice", "wrong").build();
        String registrarUri = "sip:" + registrar.uri().substring(registrar.uri().indexOf('@') + 1);

        assertThatThrownBy(() -> alice.register(registrarUri, Duration.ofSeconds(60)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("was answered SIP/2.0 403")
                .hasMessageContaining("SIP/2.0 401 Unauthorized")
                .hasMessageContaining("REGISTER " + registrarUri);
    }
}
