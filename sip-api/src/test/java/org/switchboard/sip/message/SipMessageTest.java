package org.switchboard.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.uri.SipUri;

class SipMessageTest {

    static final String INVITE = "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
            + "v: SIP/2.0/TCP proxy.example.com:5070 ;branch=z9hG4bKnashds8;received=192.0.2.1;rport=5071,"
            + " SIP/2.0/UDP [2001:db8::9]:5060;branch=z9hG4bK1\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: Bob <sip:bob@biloxi.com>\r\n"
            + "f: \"Alice \\\"A\\\"\" <sip:alice@atlanta.com>;tag=1928301774\r\n"
            + "i: a84b4c76e66710@pc33.atlanta.com\r\n"
            + "CSeq: 314159\r\n  INVITE\r\n"
            + "m: <sip:alice@pc33.atlanta.com>, sip:alice@192.0.2.4;expires=60\r\n"
            + "Content-Type: application/sdp\r\n"
            + "l: 5\r\n"
            + "\r\n"
            + "v=0\r\n";

    @Test
    void readsRequestAndTypedHeaders() {
        SipRequest req = (SipRequest) SipMessage.parse(INVITE);
        req.validate();
        assertThat(req.method()).isEqualTo("INVITE");
        assertThat(req.requestUri()).isEqualTo(SipUri.parse("sip:bob@biloxi.com"));
        assertThat(req.callId()).hasValue("a84b4c76e66710@pc33.atlanta.com");
        assertThat(req.header("call-id")).hasValue("a84b4c76e66710@pc33.atlanta.com");
        assertThat(req.cseq()).isEqualTo(new CSeq(314159, "INVITE"));
        assertThat(req.from().displayName()).hasValue("Alice \"A\"");
        assertThat(req.from().tag()).hasValue("1928301774");
        assertThat(req.to().displayName()).hasValue("Bob");
        assertThat(req.to().tag()).isEmpty();
        assertThat(req.vias()).hasSize(3);
        assertThat(req.vias().get(1).transport()).isEqualTo("TCP");
        assertThat(req.vias().get(1).port()).hasValue(5070);
        assertThat(req.vias().get(1).received()).hasValue("192.0.2.1");
        assertThat(req.vias().get(1).rport()).hasValue(5071);
        assertThat(req.vias().get(2).host()).isEqualTo("[2001:db8::9]");
        assertThat(req.topVia().hasRfc3261Branch()).isTrue();
        assertThat(req.contacts()).hasSize(2);
        assertThat(req.contacts().get(1).parameters().get("expires")).hasValue("60");
        assertThat(req.contacts().get(1).uri().toString()).isEqualTo("sip:alice@192.0.2.4");
        assertThat(req.maxForwards()).hasValue(70);
        assertThat(req.bodyAsString()).isEqualTo("v=0\r\n");
        assertThat(req.headers().values("Via")).hasSize(3);
        assertThat(req.headers().all("Via")).hasSize(2);
    }

    @Test
    void crlfsBeforeTheStartLineAreSkipped() {
        // RFC 3261 7.5; found by the fuzzer: the start line was cut by the count of the CRLFs skipped
        SipRequest req = (SipRequest) SipMessage.parse("\r\n\r\n" + INVITE);

        assertThat(req.method()).isEqualTo("INVITE");
        assertThat(req.requestUri().toString()).isEqualTo(((SipRequest) SipMessage.parse(INVITE)).requestUri().toString());
        req.validate();
    }

    @Test
    void printsBackTheSameBytesAndUnchangedLinesWhenModified() {
        SipRequest req = (SipRequest) SipMessage.parse(INVITE);
        assertThat(new String(req.toBytes(), StandardCharsets.UTF_8)).isEqualTo(INVITE);
        SipRequest changed = req.toBuilder().setHeader("Max-Forwards", "69").build();
        String text = changed.toString();
        assertThat(text).contains("CSeq: 314159\r\n  INVITE\r\n");
        assertThat(text).contains("\r\nMax-Forwards: 69\r\n");
        assertThat(text).contains("v: SIP/2.0/TCP proxy.example.com:5070 ;branch=z9hG4bKnashds8");
    }

    @Test
    void buildsResponseForRequest() {
        SipRequest req = (SipRequest) SipMessage.parse(INVITE);
        SipResponse ok = SipResponse.forRequest(req, 200)
                .setHeader("To", req.to().withTag("a6c85cf").toString())
                .addHeader("Contact", "<sip:bob@192.0.2.4>")
                .body("application/sdp", "v=0\r\n")
                .build();
        SipResponse back = (SipResponse) SipMessage.parse(ok.toBytes());
        back.validate();
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.reason()).isEqualTo("OK");
        assertThat(back.vias()).isEqualTo(req.vias());
        assertThat(back.to().tag()).hasValue("a6c85cf");
        assertThat(back.header("Content-Length")).hasValue("5");
        assertThat(back.cseq()).isEqualTo(req.cseq());
        assertThat(back.bodyAsString()).isEqualTo("v=0\r\n");
    }

    @Test
    void builtRequestHasContentLength() {
        SipRequest req = SipRequest.builder("OPTIONS", "sip:carol@chicago.com")
                .addHeader("Via", "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx")
                .addHeader("From", "<sip:a@b>;tag=1").addHeader("To", "<sip:carol@chicago.com>")
                .addHeader("Call-ID", "c1").addHeader("CSeq", "1 OPTIONS").addHeader("Max-Forwards", "70")
                .build();
        assertThat(req.toString()).endsWith("Content-Length: 0\r\n\r\n").startsWith("OPTIONS sip:carol@chicago.com SIP/2.0\r\n");
        req.validate();
    }

    @Test
    void malformedPartsAreReportedByValidate() {
        String bad = INVITE.replace("CSeq: 314159\r\n  INVITE", "CSeq: 4294967296 INVITE");
        SipMessage m = SipMessage.parse(bad);
        assertThatThrownBy(m::validate).isInstanceOf(SipParseException.class)
                .hasMessageContaining("CSeq header").hasMessageContaining("4294967295");
        String mismatch = INVITE.replace("CSeq: 314159\r\n  INVITE", "CSeq: 1 OPTIONS");
        assertThatThrownBy(SipMessage.parse(mismatch)::validate).hasMessageContaining("does not match");
        String noColon = INVITE.replace("Max-Forwards: 70", "Max-Forwards 70");
        assertThatThrownBy(() -> SipMessage.parse(noColon)).hasMessageContaining("no ':'");
    }

    @Test
    void authenticationHeadersParseToSchemeAndParameters() {
        SipResponse challenge = SipResponse.builder(401)
                .addHeader("WWW-Authenticate", "Digest realm=\"atlanta.com\", domain=\"sip:boxesbybob.com\", "
                        + "qop=\"auth,auth-int\", nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=FALSE, algorithm=MD5")
                .build();
        AuthValue v = ((SipResponse) SipMessage.parse(challenge.toBytes())).authValues("www-authenticate").get(0);
        assertThat(v.isDigest()).isTrue();
        assertThat(v.parameter("realm")).hasValue("atlanta.com");
        assertThat(v.parameter("QOP")).hasValue("auth,auth-int");
        assertThat(v.parameter("opaque")).hasValue("");
        assertThat(v.parameter("stale")).hasValue("FALSE");
        assertThat(v.parameters().keySet()).containsExactly("realm", "domain", "qop", "nonce", "opaque", "stale", "algorithm");
        assertThatThrownBy(() -> AuthValue.parse("Digest realm")).isInstanceOf(SipParseException.class);
        assertThatThrownBy(() -> AuthValue.parse("Digest realm=\"x")).hasMessageContaining("never closed");
    }

    @Test
    void compactAndFullNamesMatch() {
        assertThat(HeaderNames.matches("i", "Call-ID")).isTrue();
        assertThat(HeaderNames.matches("CALL-ID", "i")).isTrue();
        assertThat(HeaderNames.matches("k", "Supported")).isTrue();
        assertThat(HeaderNames.matches("x", "session-expires")).isTrue();
        assertThat(HeaderNames.matches("v", "From")).isFalse();
        assertThat(HeaderNames.canonical("call-id")).isEqualTo("Call-ID");
    }

    @Test
    void contentLengthFramingHelper() {
        byte[] head = "INVITE sip:a@b SIP/2.0\r\nl : 12\r\nContent-Length: 12\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(SipFraming.contentLength(head, 0, head.length)).isEqualTo(12);
        byte[] twice = "INVITE sip:a@b SIP/2.0\r\nl: 12\r\nContent-Length: 13\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> SipFraming.contentLength(twice, 0, twice.length)).hasMessageContaining("disagree");
        byte[] none = "INVITE sip:a@b SIP/2.0\r\nTo: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(SipFraming.contentLength(none, 0, none.length)).isEqualTo(-1);
    }
    @Test
    void aMessageFoundInvalidStaysInvalidAndAValidOneKeepsItsContacts() {
        // validate() remembers only a pass: a message is immutable, and every layer a request crosses asks again
        SipMessage bad = SipMessage.parse(INVITE.replace("i: a84b4c76e66710@pc33.atlanta.com\r\n", ""));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(bad::validate).isInstanceOf(SipParseException.class).hasMessageContaining("Call-ID");
        }
        SipMessage good = SipMessage.parse(INVITE);
        good.validate();
        good.validate();
        assertThat(good.contacts()).isSameAs(good.contacts()).hasSize(2);
        assertThatThrownBy(() -> good.contacts().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
