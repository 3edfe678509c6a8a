package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * Apps that fail the hard way: a drachtio-srf app killed with {@code kill -9} while 50 of its calls are up, and an
 * app that stops reading its connection. The server ends the dead app's calls itself (its callers get BYE) and
 * keeps nothing of them; an app that does not read slows no other app's calls.
 */
class AppFaultsIT extends ServerTestBase {

    private static final int CALLS = 50;

    private Sipp.Running held(int calls) {
        return Sipp.scenario(Interop.path("sipp/uac-until-bye.xml")).target(TestServers.sipTarget(server))
                .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-m", Integer.toString(calls),
                        "-r", "50")
                .deadline(Duration.ofSeconds(40)).start();
    }

    @Test
    void theCallsOfAKilledNodeAppEndWithByeAndTheNextAppTakesCallsAgain() throws Exception {
        NodeApp app = NodeApp.start(server.adminAddress(), "uas");
        Sipp.Running callers;
        try {
            callers = held(CALLS);
            Poll.await(Duration.ofSeconds(30), CALLS + " calls answered by the app", () -> app.count("answered") == CALLS);
            app.kill();
        } finally {
            app.close();
        }
        // each caller's call ends only with a BYE from the server (the app's own BYE died with it)
        Sipp.Result ended = callers.await();
        assertThat(ended.successfulCalls()).as(ended.describe()).isEqualTo(CALLS);
        Poll.await(Duration.ofSeconds(10), "the server keeps nothing of the dead app's calls",
                () -> server.registries().empty());

        try (NodeApp next = NodeApp.start(server.adminAddress(), "uas")) {
            Sipp.Result r = sipp(Sipp.builtIn("uac"), "-m", "100", "-r", "50", "-d", "100");
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(100);
            Poll.await(Duration.ofSeconds(10), "nothing left after the next 100 calls", () -> server.registries().empty());
        }
    }

    @Test
    void anAppThatStopsReadingSlowsNoOtherAppsCalls() throws Exception {
        try (Socket stuck = new Socket(); JavaUasApp uas = JavaUasApp.connect(server.adminAddress(), 200)) {
            // an app that authenticates, takes every MESSAGE and then never reads again
            stuck.setReceiveBufferSize(4096);
            stuck.connect(server.adminAddress(), 5000);
            OutputStream out = stuck.getOutputStream();
            out.write(DrachtioFrame.of("a-1", "authenticate", "cymru", "").toBytes());
            out.write(DrachtioFrame.of("r-1", "route", "message").toBytes());
            out.flush();
            Poll.await(Duration.ofSeconds(10), "the stuck app's route", () -> server.routes("message") == 1);
            // MESSAGEs with 1.5 KB bodies, far more than its socket buffers hold, and the calls to the other app meanwhile
            Sipp.Running messages = Sipp.scenario(messageScenario()).target(TestServers.sipTarget(server))
                    .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-m", "5000", "-r", "500",
                            "-l", "5000", "-nr")
                    .deadline(Duration.ofSeconds(60)).start();
            boolean backlog = Poll.until(Duration.ofSeconds(20), () -> server.registries().parkedRequests() >= 1000);
            assertThat(backlog).as("1,000 MESSAGEs waiting for the stuck app: %s", server.registries()).isTrue();
            Sipp.Result calls = sipp(Sipp.builtIn("uac"), "-m", "50", "-r", "25", "-d", "100");
            assertThat(calls.successfulCalls()).as(calls.describe()).isEqualTo(50);
            assertThat(calls.failedCalls()).isZero();
            messages.kill();
        }
    }

    private static java.nio.file.Path messageScenario() throws java.io.IOException {
        String body = ("x".repeat(99) + "\n").repeat(15); // sipp cuts longer lines
        java.nio.file.Path file = java.nio.file.Files.createTempFile("message", ".xml");
        java.nio.file.Files.writeString(file, """
                <?xml version="1.0" encoding="ISO-8859-1" ?>
                <scenario name="MESSAGE that no one answers">
                  <send>
                    <![CDATA[

                      MESSAGE sip:stuck@[remote_ip]:[remote_port] SIP/2.0
                      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                      From: <sip:sipp@[local_ip]:[local_port]>;tag=[call_number]
                      To: <sip:stuck@[remote_ip]:[remote_port]>
                      Call-ID: [call_id]
                      CSeq: 1 MESSAGE
                      Max-Forwards: 70
                      Content-Type: text/plain
                      Content-Length: [len]

                      %s
                    ]]>
                  </send>
                </scenario>
                """.formatted(body));
        file.toFile().deleteOnExit();
        return file;
    }
}
