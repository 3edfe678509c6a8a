package org.switchboard.container.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.drachtio.server.DrachtioServerConfig;
import org.switchboard.drachtio.server.SipServerMain;
import org.switchboard.sip.app.B2buaOptions;
import org.switchboard.sip.app.RequestOptions;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * One core connected to two drachtio servers: a B2BUA's B leg goes out through the server its A leg came from, so
 * that both legs of a call live on one server (each holds the call's two dialogs, the other none).
 */
@Timeout(120)
class ServerLinksIT {

    @Test
    void aB2buaSendsItsBLegThroughTheServerOfItsALeg() throws Exception {
        SrfIT.ScriptedApp app = new SrfIT.ScriptedApp();
        int sipA = FreePorts.udp();
        int sipB = FreePorts.udp();
        try (DrachtioServer a = server(sipA);
                DrachtioServer b = server(sipB);
                SipCore core = core(app)) {
            DrachtioClient toA = connect(core, a);
            DrachtioClient toB = connect(core, b);
            try (toA; toB) {
                Poll.await(Duration.ofSeconds(10), "the routes on both servers", () -> a.routes("invite") == 1 && b.routes("invite") == 1);
                Srf srf = core.srf(app);
                int callee = FreePorts.udp();
                app.onRequest = invite -> srf.createB2bua(invite, B2buaOptions.to(RequestOptions.to("sip:bob@127.0.0.1:" + callee)
                        .build()));

                bridge(sipB, callee, () -> b.dialogCount() == 2 && a.dialogCount() == 0);
                bridge(sipA, callee, () -> a.dialogCount() == 2 && b.dialogCount() == 0);

                boolean idle = Poll.until(Duration.ofSeconds(20), () -> core.isIdle() && toA.busyCalls() == 0
                        && toB.busyCalls() == 0 && a.holdsNoCall() && b.holdsNoCall());
                assertThat(idle).as("core: %s; servers: %s, %s", core.stats(), a.perCallState(), b.perCallState()).isTrue();
            }
        }
    }

    /** One call to the server at {@code sipPort}, bridged to a callee on {@code callee}; {@code legs} holds while it is up. */
    private static void bridge(int sipPort, int callee, java.util.function.BooleanSupplier legs) throws Exception {
        Sipp.Running bob = Sipp.builtIn("uas").args("-i", "127.0.0.1", "-p", Integer.toString(callee), "-m", "1")
                .deadline(Duration.ofSeconds(30)).start().awaitUdpBound(callee, Duration.ofSeconds(10));
        Sipp.Running alice = Sipp.builtIn("uac").target("127.0.0.1:" + sipPort)
                .args("-i", "127.0.0.1", "-p", "0", "-s", "bob", "-m", "1", "-d", "3000").deadline(Duration.ofSeconds(30)).start();
        Poll.await(Duration.ofSeconds(15), "both legs on the server called", legs);
        Sipp.Result r = alice.await();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        assertThat(bob.await().successfulCalls()).isEqualTo(1);
    }

    private static DrachtioServer server(int sipPort) {
        return DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .sip(new SipStackConfig(SipServerMain.transports(List.of("sip:127.0.0.1:" + sipPort + ";transport=udp"), 1500),
                        TimerConfig.DEFAULTS))
                .build());
    }

    private static SipCore core(SrfIT.ScriptedApp app) {
        return new SipCore(SrfIT.routerTo(app, Set.of("invite")), List.of(), List.of(), Duration.ofSeconds(10), false,
                org.switchboard.metrics.Meters.none());
    }

    private static DrachtioClient connect(SipCore core, DrachtioServer server) throws Exception {
        DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                .port(server.adminAddress().getPort()).peerFrameLimit(1 << 20).build(), core.listener()).get(10, TimeUnit.SECONDS);
        core.attach(client, true);
        return client;
    }
}
