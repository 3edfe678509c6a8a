package org.switchboard.sip.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipParseException;

class UriTest {

    @Test
    void sipUriParts() {
        SipUri uri = SipUri.parse("sips:alice:secret@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent");
        assertThat(uri.isSecure()).isTrue();
        assertThat(uri.user()).hasValue("alice");
        assertThat(uri.password()).hasValue("secret");
        assertThat(uri.host()).isEqualTo("atlanta.com");
        assertThat(uri.port()).hasValue(5061);
        assertThat(uri.transport()).hasValue("tcp");
        assertThat(uri.parameters().contains("lr")).isTrue();
        assertThat(uri.parameter("lr")).isEmpty();
        assertThat(uri.headers().get("subject")).hasValue("project%20x");
        assertThat(uri.toString()).isEqualTo("sips:alice:secret@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent");
    }

    @Test
    void ipv6References() {
        SipUri ambiguous = SipUri.parse("sip:[2001:db8::10:5070]");
        assertThat(ambiguous.host()).isEqualTo("[2001:db8::10:5070]");
        assertThat(ambiguous.port()).isEmpty();
        SipUri withPort = SipUri.parse("sip:user@[2001:db8::10]:5070");
        assertThat(withPort.host()).isEqualTo("[2001:db8::10]");
        assertThat(withPort.port()).hasValue(5070);
        assertThatThrownBy(() -> SipUri.parse("sip:user@2001:db8::10")).isInstanceOf(SipParseException.class);
    }

    @Test
    void userPartMayHoldSemicolonsAndEscapes() {
        SipUri uri = SipUri.parse("sip:user;par=u%40example.net@example.com");
        assertThat(uri.user()).hasValue("user;par=u%40example.net");
        assertThat(uri.decodedUser()).hasValue("user;par=u@example.net");
        assertThat(uri.host()).isEqualTo("example.com");
    }

    @Test
    void equalityFollowsRfc3261() {
        assertThat(SipUri.parse("sip:%61lice@atlanta.com;transport=TCP"))
                .isEqualTo(SipUri.parse("sip:alice@AtLanTa.CoM;Transport=tcp"));
        assertThat(SipUri.parse("sip:carol@chicago.com;security=on"))
                .isEqualTo(SipUri.parse("sip:carol@chicago.com"));
        assertThat(SipUri.parse("sip:alice@atlanta.com")).isNotEqualTo(SipUri.parse("sip:ALICE@atlanta.com"));
        assertThat(SipUri.parse("sip:bob@biloxi.com")).isNotEqualTo(SipUri.parse("sip:bob@biloxi.com:5060"));
        assertThat(SipUri.parse("sip:bob@biloxi.com;transport=udp")).isNotEqualTo(SipUri.parse("sip:bob@biloxi.com"));
    }

    @Test
    void telAndOtherSchemes() {
        Uri tel = Uri.parse("tel:+1-201-555-0123;phone-context=example.com");
        assertThat(tel).isInstanceOf(TelUri.class);
        assertThat(((TelUri) tel).isGlobal()).isTrue();
        assertThat(((TelUri) tel).parameters().get("phone-context")).hasValue("example.com");
        assertThat(tel).isEqualTo(Uri.parse("tel:+12015550123;phone-context=example.com"));
        Uri urn = Uri.parse("urn:service:sos");
        assertThat(urn).isInstanceOf(AbsoluteUri.class);
        assertThat(urn.scheme()).isEqualTo("urn");
    }

    @Test
    void badUrisSayWhatAndWhere() {
        assertThatThrownBy(() -> Uri.parse("sip:user@example.com; lr"))
                .isInstanceOf(SipParseException.class).hasMessageContaining("offset 21");
        assertThatThrownBy(() -> Uri.parse("<sip:user@example.com>")).hasMessageContaining("scheme");
        assertThatThrownBy(() -> Uri.parse("sip:example.com:99999")).hasMessageContaining("65535");
        assertThatThrownBy(() -> Uri.parse("sip:us er@example.com")).isInstanceOf(SipParseException.class);
    }

    @Test
    void builderWritesWhatItIsGivenAndChecksIt() {
        SipUri uri = SipUri.builder().user(Escaping.escapeUser("a b")).host("2001:db8::1").port(5080)
                .parameter("transport", "tcp").parameter("lr", null).build();
        assertThat(uri.toString()).isEqualTo("sip:a%20b@[2001:db8::1]:5080;transport=tcp;lr");
        assertThat(uri.decodedUser()).hasValue("a b");
        assertThat(uri.toBuilder().port(-1).removeParameter("lr").build().toString())
                .isEqualTo("sip:a%20b@[2001:db8::1];transport=tcp");
        assertThatThrownBy(() -> SipUri.builder().host("bad host").build()).isInstanceOf(SipParseException.class);
    }
}
