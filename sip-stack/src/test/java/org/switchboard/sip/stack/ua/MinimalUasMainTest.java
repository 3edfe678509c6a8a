package org.switchboard.sip.stack.ua;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code ./switchboard uas} with a wrong command line: the message names the flag, the value and what it wants. */
class MinimalUasMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws InterruptedException {
        return MinimalUasMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aHostThatDoesNotResolve() throws Exception {
        assertThat(run("--udp", "notaport")).isEqualTo(MinimalUasMain.USAGE);
        assertThat(err()).isEqualTo("uas: --udp: the host 'notaport' does not resolve; expected host:port, e.g. 127.0.0.1:5060\n");
    }

    @Test
    void aPortThatIsNotANumber() throws Exception {
        assertThat(run("--tcp", "127.0.0.1:abc")).isEqualTo(MinimalUasMain.USAGE);
        assertThat(err()).contains("uas: --tcp: '127.0.0.1:abc' has no port number after the colon (0..65535)");
        assertThat(run("--udp", "127.0.0.1:70000")).isEqualTo(MinimalUasMain.USAGE);
    }

    @Test
    void numbersSayTheirUnit() throws Exception {
        assertThat(run("--t1", "x")).isEqualTo(MinimalUasMain.USAGE);
        assertThat(run("--ring", "-5")).isEqualTo(MinimalUasMain.USAGE);
        assertThat(run("--t1")).isEqualTo(MinimalUasMain.USAGE);
        assertThat(err()).contains("uas: --t1: 'x' is not a duration in milliseconds (e.g. 500), at least 1",
                "uas: --ring: '-5' is not a duration in milliseconds", "uas: --t1 needs a value").doesNotContain("For input string");
    }

    @Test
    void anAddressInUseIsSaidWithoutAStackTrace() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            assertThat(run("--udp", "127.0.0.1:" + taken.getLocalPort())).isEqualTo(MinimalUasMain.UNAVAILABLE);
        }
        assertThat(err()).startsWith("uas: cannot listen on UDP 127.0.0.1:")
                .contains("the address is in use (another process listens there); --udp and --tcp choose where it listens")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void hostsAndPortsAreRead() {
        assertThat(MinimalUasMain.hostPort("--udp", "127.0.0.1:5070")).isEqualTo(new InetSocketAddress("127.0.0.1", 5070));
        assertThat(MinimalUasMain.hostPort("--udp", "[::1]:5071").getPort()).isEqualTo(5071);
        assertThat(MinimalUasMain.hostPort("--udp", "::1").getPort()).isEqualTo(5060);
        assertThat(MinimalUasMain.hostPort("--udp", "localhost").getPort()).isEqualTo(5060);
    }
}
