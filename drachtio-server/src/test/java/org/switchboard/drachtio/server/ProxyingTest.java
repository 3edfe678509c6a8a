package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/** The stateful proxy an app asks for with a {@code proxy} frame, and forwarding along a Record-Route. */
class ProxyingTest {

    private final CoreFixture fixture = new CoreFixture();
    private final CoreFixture.App app = fixture.app("invite");

    @AfterEach
    void close() {
        fixture.close();
    }

    /** The parked INVITE handed to the proxy toward {@code target}, with Record-Route. */
    private CoreFixture.FakeServerTransaction proxied(String callId, String target) {
        CoreFixture.FakeServerTransaction invite = fixture.receive(Sip.invite(callId));
        String txnId = app.next().token(8);
        app.write(DrachtioFrame.of("p-1", "proxy", txnId, "remainInDialog", "", "", "serial", "", "", target));
        return invite;
    }

    @Test
    void theFirst2xxIsRelayedUpstreamAndTheOperationForgotten() {
        CoreFixture.FakeServerTransaction invite = proxied("x1", "sip:callee@127.0.0.1:5080");
        FakeNetwork.Sent branch = fixture.network.sent("INVITE").get(0);
        SipRequest forwarded = branch.request();
        assertThat(forwarded.maxForwards()).hasValue(69);
        assertThat(forwarded.headers().first("Record-Route")).contains("<sip:127.0.0.1:5060;lr>");
        assertThat(fixture.core.registries()).isEqualTo(new ServerCore.Registries(0, 0, 0, 0, 1));

        branch.answer(180, "callee-x1");
        SipResponse ok = branch.answer(200, "callee-x1", "Contact", "<sip:callee@127.0.0.1:5080>");

        assertThat(invite.responses).extracting(SipResponse::status).containsExactly(180, 200);
        assertThat(invite.last().to().tag()).isEqualTo(ok.to().tag());
        assertThat(fixture.core.registries().empty()).isTrue();
        assertThat(app.drain()).singleElement().satisfies(done -> {
            assertThat(done.inReplyTo()).isEqualTo("p-1");
            assertThat(done.token(4)).isEqualTo("done");
        });
    }

    @Test
    void theCallersCancelReachesTheBranches() {
        CoreFixture.FakeServerTransaction invite = proxied("x2", "sip:callee@127.0.0.1:5080");
        FakeNetwork.Sent branch = fixture.network.sent("INVITE").get(0);
        branch.answer(180, "callee-x2");
        CoreFixture.FakeServerTransaction cancel = fixture.fromCaller(Sip.cancel("x2"));

        fixture.core.onCancel(cancel, Optional.of(invite));

        assertThat(cancel.lastStatus()).isEqualTo(200);
        assertThat(fixture.network.sent("CANCEL")).hasSize(1);
        branch.answer(487, "callee-x2");
        assertThat(invite.lastStatus()).isEqualTo(487);
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void a2xxThatCrossedTheCallersCancelIsAckedAndHungUp() {
        CoreFixture.FakeServerTransaction invite = proxied("x3", "sip:callee@127.0.0.1:5080");
        FakeNetwork.Sent branch = fixture.network.sent("INVITE").get(0);
        branch.answer(180, "callee-x3");
        fixture.core.onCancel(fixture.fromCaller(Sip.cancel("x3")), Optional.of(invite));

        // found by CancelRaceIT: the 200 was relayed into a transaction already answered 487, and lost
        branch.answer(200, "callee-x3", "Contact", "<sip:callee@127.0.0.1:5080>",
                "Record-Route", "<sip:127.0.0.1:5060;lr>");

        assertThat(invite.responses).extracting(SipResponse::status).containsExactly(180, 487);
        assertThat(fixture.network.stateless).singleElement().satisfies(ack -> {
            assertThat(ack.method()).isEqualTo("ACK");
            assertThat(ack.requestUriText()).isEqualTo("sip:callee@127.0.0.1:5080");
            assertThat(ack.headers().first("Route")).isEmpty();
        });
        SipRequest bye = fixture.network.sent("BYE").get(0).request();
        assertThat(bye.to().tag()).contains("callee-x3");
        assertThat(bye.cseq().number()).isEqualTo(2);
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void aCancelRacingTheAppsProxyFrameLeavesNoCallUp() throws Exception {
        // CancelRaceIT's 31 s clean-up: a CANCEL handled after the proxy frame took the INVITE from the parked ones and
        // before its operation was registered found neither, was answered 487, and the INVITE still went out: the
        // callee's 2xx then waited 32 s for an ACK
        ExecutorService canceler = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 300; i++) {
                String callId = "race-" + i;
                CoreFixture.FakeServerTransaction invite = fixture.receive(Sip.invite(callId));
                String txnId = app.next().token(8);
                CoreFixture.FakeServerTransaction cancel = fixture.fromCaller(Sip.cancel(callId));
                CountDownLatch go = new CountDownLatch(1);
                Future<?> canceled = canceler.submit(() -> {
                    go.await();
                    fixture.core.onCancel(cancel, Optional.of(invite));
                    return null;
                });
                go.countDown();
                app.write(DrachtioFrame.of("p-" + i, "proxy", txnId, "remainInDialog", "", "", "serial", "", "",
                        "sip:callee@127.0.0.1:5080"));
                canceled.get(10, TimeUnit.SECONDS);
                app.drain();

                // whoever won, a callee that answers now is either heard by the caller or ACKed and hung up
                List<FakeNetwork.Sent> branches = fixture.network.sent("INVITE").stream()
                        .filter(b -> b.request().callId().orElse("").equals(callId)).toList();
                for (FakeNetwork.Sent branch : branches) {
                    branch.answer(200, "callee-" + callId, "Contact", "<sip:callee@127.0.0.1:5080>");
                }
                assertThat(cancel.lastStatus()).isEqualTo(200);
                assertThat(invite.lastStatus()).as("call %d", i).isEqualTo(487);
                long hungUp = fixture.network.sent("BYE").stream()
                        .filter(b -> b.request().callId().orElse("").equals(callId)).count();
                assertThat(hungUp).as("call %d: the callee's 2xx is ended by the proxy", i).isEqualTo(branches.size());
                assertThat(fixture.core.registries().empty()).as("call %d", i).isTrue();
            }
        } finally {
            canceler.shutdownNow();
        }
    }

    @Test
    void aRequestRoutedThroughThisServerIsForwardedWithoutAnApp() {
        CoreFixture.FakeServerTransaction bye = fixture.receive("""
                BYE sip:callee@127.0.0.1:5080 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-rr1
                Max-Forwards: 70
                Route: <sip:127.0.0.1:5060;lr>
                From: <sip:caller@127.0.0.1:5070>;tag=caller-rr
                To: <sip:callee@127.0.0.1:5080>;tag=callee-rr
                Call-ID: rr
                CSeq: 2 BYE
                Content-Length: 0

                """);

        FakeNetwork.Sent forwarded = fixture.network.sent("BYE").get(0);
        assertThat(forwarded.request().routes()).isEmpty();
        assertThat(app.drain()).isEmpty();
        forwarded.answer(200, null);
        assertThat(bye.lastStatus()).isEqualTo(200);
        assertThat(fixture.core.registries().empty()).isTrue();
    }
}
