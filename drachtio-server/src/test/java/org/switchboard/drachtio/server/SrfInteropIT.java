package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * Node's real drachtio-srf apps (src/test/node/apps.js) against the embedded server, with sipp as the SIP
 * network: the same flows drachtio-srf's own test bed runs against drachtio-server.
 */
class SrfInteropIT extends ServerTestBase {

    private static Sipp.Running sippUas(Path scenario, int port, int calls) throws InterruptedException {
        Sipp.Running running = (scenario == null ? Sipp.builtIn("uas") : Sipp.scenario(scenario))
                .args("-i", "127.0.0.1", "-p", Integer.toString(port), "-m", Integer.toString(calls))
                .deadline(Duration.ofSeconds(40)).start();
        return running.awaitUdpBound(port, Duration.ofSeconds(10));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(SrfInteropIT.class.getResource("/sipp/" + name).toURI());
    }

    @Test
    void srfUasAnswersSippCalls() {
        try (NodeApp app = NodeApp.start(server.adminAddress(), "uas")) {
            Sipp.Result r = sipp(Sipp.builtIn("uac"), "-m", "50", "-r", "25", "-d", "100");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(50);
            app.await(l -> l.startsWith("destroyed 50-"), Duration.ofSeconds(5));
            assertThat(app.count("answered", 50)).isEqualTo(50);
            assertThat(server.dialogCount()).isZero();
        }
    }

    @Test
    void srfUacCallsSippUasAndHangsUp() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running uas = sippUas(null, port, 5);
        try (NodeApp app = NodeApp.start(server.adminAddress(), "uac", "target=sip:service@127.0.0.1:" + port,
                "calls=5", "hold=100")) {
            app.await(l -> l.startsWith("uac done"), Duration.ofSeconds(30));
            assertThat(app.output()).contains("uac done 5/5");
        }
        Sipp.Result r = uas.await();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(5);
        assertThat(server.dialogCount()).isZero();
    }

    @Test
    void srfB2buaBridgesTwoSipps() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = sippUas(null, port, 10);
        try (NodeApp app = NodeApp.start(server.adminAddress(), "b2bua", "target=sip:b@127.0.0.1:" + port)) {
            Sipp.Result a = sipp(Sipp.builtIn("uac"), "-m", "10", "-r", "10", "-d", "200");
            assertThat(a.exitCode()).as(a.describe()).isZero();
            assertThat(a.successfulCalls()).isEqualTo(10);
            Sipp.Result r = b.await();
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(10);
            assertThat(app.count("bridged", 10)).isEqualTo(10);
        }
    }

    @Test
    void srfB2buaPassesCancelToTheBLeg() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = sippUas(Interop.path("sipp/uas-cancel.xml"), port, 1);
        try (NodeApp app = NodeApp.start(server.adminAddress(), "b2bua", "target=sip:b@127.0.0.1:" + port)) {
            Sipp.Result a = sipp(Sipp.scenario(Interop.path("sipp/uac-cancel.xml")), "-m", "1");
            assertThat(a.exitCode()).as(a.describe()).isZero();
            Sipp.Result r = b.await();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(server.dialogCount()).isZero();
        }
    }

    @Test
    void srfB2buaPassesA4xxFromTheBLeg() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = sippUas(Interop.path("sipp/uas-404.xml"), port, 1);
        try (NodeApp app = NodeApp.start(server.adminAddress(), "b2bua", "target=sip:b@127.0.0.1:" + port)) {
            Sipp.Result a = sipp(Sipp.scenario(Interop.path("sipp/uac-expect-404.xml")), "-m", "1");
            assertThat(a.exitCode()).as(a.describe()).isZero();
            Sipp.Result r = b.await();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            app.await(l -> l.startsWith("b2bua failed 404"), Duration.ofSeconds(5));
        }
    }

    @Test
    void srfAnswersRegisterAndOptions() throws Exception {
        try (NodeApp app = NodeApp.start(server.adminAddress(), "registrar")) {
            Sipp.Result r = sipp(Sipp.scenario(resource("register-options.xml")), "-m", "3");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.successfulCalls()).isEqualTo(3);
            assertThat(app.count("register", 3)).isEqualTo(3);
        }
    }

    @Test
    void srfAnswersReInviteAndInfoInADialog() throws Exception {
        try (NodeApp app = NodeApp.start(server.adminAddress(), "indialog")) {
            Sipp.Result r = sipp(Sipp.scenario(Interop.path("switchboard-sipp/uac-reinvite-info.xml")), "-m", "2");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.successfulCalls()).isEqualTo(2);
            app.await(l -> l.startsWith("destroyed"), Duration.ofSeconds(5));
            assertThat(app.count("reinvite", 2)).isEqualTo(2);
            assertThat(app.count("info Signal=5", 2)).isEqualTo(2);
        }
    }

    @Test
    void srfSendsAReliableProvisionalAndAnswersAfterPrack() {
        try (NodeApp app = NodeApp.start(server.adminAddress(), "prack")) {
            Sipp.Result r = sipp(Sipp.scenario(Interop.path("sipp/uac-prack.xml")), "-m", "1");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(app.count("prack", 1)).isEqualTo(1);
            app.await(l -> l.startsWith("destroyed"), Duration.ofSeconds(5));
        }
    }

    @Test
    void anInviteNoAppRoutesGets503() {
        Sipp.Result r = sipp(Sipp.scenario(Interop.path("sipp/uac-expect-503.xml")), "-m", "1");
        assertThat(r.exitCode()).as(r.describe()).isZero();
    }

    @Test
    void srfProxyRecordRoutesAndTheDialogFollowsTheRoute() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = sippUas(Interop.path("sipp/uas.xml"), port, 3);
        try (NodeApp app = NodeApp.start(server.adminAddress(), "proxy", "targets=sip:b@127.0.0.1:" + port)) {
            Sipp.Result a = sipp(Sipp.scenario(Interop.path("sipp/uac-proxy.xml")), "-m", "3", "-d", "100");
            assertThat(a.exitCode()).as(a.describe()).isZero();
            Sipp.Result r = b.await();
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(3);
            app.await(l -> l.startsWith("proxied 200"), Duration.ofSeconds(5));
        }
    }

    @Test
    void srfProxyTriesTheNextTargetAfterAFailure() throws Exception {
        int first = FreePorts.udp();
        int second = FreePorts.udp();
        Sipp.Running busy = sippUas(Interop.path("sipp/uas-404.xml"), first, 1);
        Sipp.Running ok = sippUas(Interop.path("sipp/uas.xml"), second, 1);
        try (NodeApp app = NodeApp.start(server.adminAddress(), "proxy",
                "targets=sip:b@127.0.0.1:" + first + ",sip:c@127.0.0.1:" + second)) {
            Sipp.Result a = sipp(Sipp.scenario(Interop.path("sipp/uac-proxy.xml")), "-m", "1", "-d", "100");
            assertThat(a.exitCode()).as(a.describe()).isZero();
            assertThat(busy.await().exitCode()).isZero();
            assertThat(ok.await().successfulCalls()).isEqualTo(1);
            // srf groups both responses (404, then 200) under one entry: its port comparison is inverted (docs/drachtio.md)
            assertThat(app.await(l -> l.startsWith("proxied"), Duration.ofSeconds(5))).startsWith("proxied 200");
        }
    }

    @Test
    void srfProxyForksSimultaneouslyAndCancelsTheLoser() throws Exception {
        int ringing = FreePorts.udp();
        int answering = FreePorts.udp();
        Sipp.Running loser = sippUas(Interop.path("sipp/uas-cancel.xml"), ringing, 1);
        Sipp.Running winner = sippUas(Interop.path("sipp/uas.xml"), answering, 1);
        try (NodeApp app = NodeApp.start(server.adminAddress(), "proxy", "forking=simultaneous",
                "targets=sip:b@127.0.0.1:" + ringing + ",sip:c@127.0.0.1:" + answering)) {
            Poll.await(Duration.ofSeconds(10), "the proxy app's INVITE route", () -> server.routes("invite") > 0);
            Sipp.Result a = sipp(Sipp.scenario(Interop.path("sipp/uac-proxy.xml")), "-m", "1", "-d", "100");
            assertThat(a.exitCode()).as(a.describe()).isZero();
            assertThat(winner.await().successfulCalls()).isEqualTo(1);
            Sipp.Result l = loser.await();
            assertThat(l.exitCode()).as(l.describe()).isZero();
        }
    }
}
