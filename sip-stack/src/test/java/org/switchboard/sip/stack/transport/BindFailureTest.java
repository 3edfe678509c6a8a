package org.switchboard.sip.stack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;

/** Why a listen point could not be bound, in words: never the {@code null} message some causes carry. */
class BindFailureTest {

    private static final ListenPoint FOO = new ListenPoint(Transport.UDP, InetSocketAddress.createUnresolved("foo", 5060));

    @Test
    void causesAreSaidInWords() {
        assertThat(TransportLayer.why(FOO, new UnresolvedAddressException())).isEqualTo("the host 'foo' does not resolve");
        assertThat(TransportLayer.why(FOO, new BindException("Address already in use")))
                .isEqualTo("the address is in use (another process listens there)");
        assertThat(TransportLayer.why(FOO, new BindException("Cannot assign requested address")))
                .isEqualTo("no interface of this host has that address");
        assertThat(TransportLayer.why(FOO, new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
