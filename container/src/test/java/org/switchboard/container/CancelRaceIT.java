package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ResponseListener;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.stack.transport.TransportError;
import org.switchboard.sip.stack.ua.DialogState;
import org.switchboard.sip.stack.ua.UserAgent;
import org.switchboard.sip.stack.ua.UserAgentConfig;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * The caller's CANCEL racing the callee's answer, through the container's B2BUA and registrar-proxy samples: for
 * each delay from 0 to 50 ms in 1 ms steps a call is placed and canceled that long after its INVITE went out, to a
 * callee that answers at once (a sip-stack user agent). Whichever side wins (487, or a 200 the caller then ACKs and hangs up),
 * no leg is left up: the callee holds no dialog and nothing is left in the container.
 */
class CancelRaceIT {

    private static final int MAX_DELAY_MS = 50;

    @TempDir
    Path dir;

    private static UserAgent agent() {
        return UserAgent.start(UserAgentConfig.builder()
                .stack(new SipStackConfig(TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", 0).build(),
                        TimerConfig.DEFAULTS))
                .build());
    }

    private static int port(UserAgent ua) {
        return ua.stack().transport().listenPoints().get(0).address().getPort();
    }

    @Test
    void noLegIsLeftUpWhateverTheCancelsTiming() throws Exception {
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        for (String sample : List.of("b2bua", "registrar-proxy")) {
            Files.copy(Path.of("target/samples/sample-" + sample + ".war"), deployments.resolve(sample + ".war"));
        }
        int sipPort = FreePorts.udp();
        try (UserAgent callee = agent(); UserAgent caller = agent()) {
            System.setProperty("switchboard.samples.b2bua.targets", "127.0.0.1:" + port(callee));
            try (Container container = Container.start(ContainerConfig.of(Map.of(
                    "admin.listen", "off",
                    "sip.contacts", "sip:127.0.0.1:" + sipPort + ";transport=udp",
                    "deployments.dir", deployments.toString(),
                    "deployments.work", dir.resolve("work").toString())))) {
                Poll.await(Duration.ofSeconds(30), "both samples deployed", () -> container.deployer().deployments().size() == 2);
                Sipp.Result reg = Sipp.scenario(SamplesIT.resource("register-auth.xml")).target("127.0.0.1:" + sipPort)
                        .args("-i", "127.0.0.1", "-p", "0", "-s", "alice", "-m", "1", "-key", "uas_port",
                                Integer.toString(port(callee)), "-au", "alice", "-ap", "wonderland")
                        .deadline(Duration.ofSeconds(20)).run();
                assertThat(reg.successfulCalls()).as(reg.describe()).isEqualTo(1);

                Destination node = new Destination(Transport.UDP, new InetSocketAddress("127.0.0.1", sipPort));
                for (String user : List.of("b2b", "alice")) {
                    List<String> outcomes = new ArrayList<>();
                    for (int delay = 0; delay <= MAX_DELAY_MS; delay++) {
                        outcomes.add(delay + " ms: " + race(caller, node, user, delay));
                    }
                    assertThat(outcomes).as("every call to %s ended one way or the other", user)
                            .allMatch(o -> o.matches("\\d+ ms: (487|200, hung up \\d{3})"));
                    // well under the 32 s after which a callee whose 2xx is never ACKed gives up by itself, which one
                    // run in three needed through the proxy until a CANCEL could no longer slip between the app's
                    // proxy frame and the proxy operation (docs/container.md)
                    boolean clear = Poll.until(Duration.ofSeconds(10),
                            () -> callee.dialogs().isEmpty() && container.sip().isIdle());
                    assertThat(clear).as("after the race through %s: callee dialogs %s; container %s; outcomes %s", user,
                            callee.dialogs(), container.sip().stats(), outcomes).isTrue();
                }
                NoCallLeft.assertNoCallLeft(container);
            }
        } finally {
            System.clearProperty("switchboard.samples.b2bua.targets");
        }
    }

    /**
     * One call canceled {@code delayMs} after its INVITE: returns {@code 487}, or {@code 200, hung up} and the BYE's
     * final status when the answer won (the call is then ACKed and ended; the BYE may find it ended already, 481).
     */
    private static String race(UserAgent caller, Destination node, String user, int delayMs) throws Exception {
        TransactionLayer transactions = caller.stack().transactions();
        int port = port(caller);
        SipUri target = SipUri.parse("sip:" + user + "@127.0.0.1:" + node.address().getPort());
        SipRequest invite = SipRequest.builder("INVITE", target)
                .addHeader(HeaderNames.MAX_FORWARDS, "70")
                .addHeader(HeaderNames.FROM, "<sip:racer@127.0.0.1:" + port + ">;tag=" + TransactionLayer.randomToken(10))
                .addHeader(HeaderNames.TO, "<" + target + ">")
                .addHeader(HeaderNames.CALL_ID, "race-" + user + "-" + delayMs + "-" + TransactionLayer.randomToken(8))
                .addHeader(HeaderNames.CSEQ, "1 INVITE")
                .addHeader(HeaderNames.CONTACT, "<sip:racer@127.0.0.1:" + port + ">")
                .body("application/sdp", "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                        + "m=audio 40000 RTP/AVP 0\r\n")
                .build();
        CompletableFuture<SipResponse> answer = new CompletableFuture<>();
        ClientTransaction tx = transactions.sendRequest(invite, node, new Final(answer));
        try {
            answer.get(delayMs, TimeUnit.MILLISECONDS); // answered before its CANCEL was due: nothing to race
        } catch (TimeoutException due) {
            // the CANCEL goes now
        } catch (ExecutionException ended) {
            // ended before its CANCEL was due: what it came to is read below
        }
        if (!answer.isDone()) {
            transactions.sendCancel(tx, new Final(new CompletableFuture<>()));
        }
        SipResponse response = answer.get(40, TimeUnit.SECONDS);
        if (!response.isSuccess()) {
            return Integer.toString(response.status());
        }
        DialogState dialog = DialogState.asUac(invite, response, node);
        SipRequest ack = dialog.ack(1).build();
        transactions.sendStateless(ack, dialog.destination());
        CompletableFuture<SipResponse> byeAnswer = new CompletableFuture<>();
        transactions.sendRequest(dialog.request("BYE").build(), dialog.destination(), new Final(byeAnswer));
        return "200, hung up " + byeAnswer.get(40, TimeUnit.SECONDS).status();
    }

    /** Completes with the final response; a timeout or transport error is a 408 or 503 as RFC 3261 maps them. */
    private record Final(CompletableFuture<SipResponse> result) implements ResponseListener {
        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
            if (!response.isProvisional()) {
                result.complete(response);
            }
        }

        @Override
        public void onTimeout(ClientTransaction transaction) {
            result.completeExceptionally(new IllegalStateException("no final response to " + transaction));
        }

        @Override
        public void onTransportError(ClientTransaction transaction, TransportError error) {
            result.completeExceptionally(new IllegalStateException("cannot send: " + error));
        }
    }
}
