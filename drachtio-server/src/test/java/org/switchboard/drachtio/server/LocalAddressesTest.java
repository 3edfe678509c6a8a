package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.uri.Uri;

/** This server's own addresses: what names it, and how it names itself to peers and apps. */
class LocalAddressesTest {

    private final FakeNetwork network = new FakeNetwork(CoreFixture.LOCAL);
    private final ListenPoint udp = new ListenPoint(Transport.UDP, CoreFixture.LOCAL);

    @Test
    void aUriNamesThisServerByItsAddressAndPortOrTheExternalIp() {
        LocalAddresses local = new LocalAddresses(Optional.empty(), network);
        assertThat(local.isOwnUri(Uri.parse("sip:127.0.0.1:5060;lr"))).isTrue();
        assertThat(local.isOwnUri(Uri.parse("sip:127.0.0.1:5061"))).isFalse();
        assertThat(local.isOwnUri(Uri.parse("tel:+15551234"))).isFalse();

        LocalAddresses behindNat = new LocalAddresses(Optional.of("203.0.113.7"), network);
        assertThat(behindNat.isOwnUri(Uri.parse("sip:203.0.113.7"))).isTrue();
    }

    @Test
    void theAdvertisedHostIsTheExternalIpWhenThereIsOne() {
        LocalAddresses behindNat = new LocalAddresses(Optional.of("203.0.113.7"), network);

        assertThat(behindNat.contact(udp)).isEqualTo("<sip:203.0.113.7:5060>");
        assertThat(behindNat.localhost(udp).apply("<sip:app@localhost>;tag=1")).isEqualTo("<sip:app@203.0.113.7:5060>;tag=1");
        assertThat(behindNat.hostports()).containsExactly("udp/203.0.113.7:5060", "udp/127.0.0.1:5060");
    }

    @Test
    void onlyAHostOfLocalhostIsRewritten() {
        LocalAddresses local = new LocalAddresses(Optional.empty(), network);

        assertThat(local.localhost(udp).apply("<sip:app@localhost.example.com>")).isEqualTo("<sip:app@localhost.example.com>");
        assertThat(local.localhost(udp).apply("sip:app@localhost")).isEqualTo("sip:app@127.0.0.1:5060");
    }
}
