package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/** The server as UAS for an app: its answers completed and sent, the dialog they make, and its end. */
class AppAnswersTest {

    private final CoreFixture fixture = new CoreFixture();
    private final CoreFixture.App app = fixture.app("invite");

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void anAnsweredCallMakesADialogThatTheCallersByeEnds() {
        CoreFixture.FakeServerTransaction invite = fixture.receive(Sip.invite("a1"));
        String txnId = app.next().token(8);

        String ringing = app.sip(txnId, "", Sip.response(180, "Ringing"));
        DrachtioFrame ringingSent = app.next();
        assertThat(ringingSent.inReplyTo()).isEqualTo(ringing);
        assertThat(ringingSent.status()).isEqualTo("OK");
        assertThat(invite.lastStatus()).isEqualTo(180);

        app.sip(txnId, "", Sip.response(200, "OK"));
        DrachtioFrame okSent = app.next();
        SipResponse ok = invite.last();
        assertThat(ok.status()).isEqualTo(200);
        String toTag = ok.to().tag().orElseThrow();
        assertThat(ok.to().tag()).isEqualTo(invite.responses.get(0).to().tag()); // one tag for the early and the confirmed dialog
        assertThat(ok.headers().first("Contact")).contains("<sip:127.0.0.1:5060>");
        String dialogId = AppDialog.idOf("a1", "caller-a1");
        assertThat(okSent.token(11)).isEqualTo(dialogId);
        assertThat(fixture.network.acksAwaited).containsExactly(ok);
        assertThat(fixture.core.registries()).isEqualTo(new ServerCore.Registries(0, 0, 0, 1, 0));

        SipRequest ack = (SipRequest) fixture.fromCaller(Sip.inDialog("ACK", "a1", toTag, 1)).request();
        fixture.core.onAck(fixture.incoming(ack));
        DrachtioFrame ackFrame = app.next();
        assertThat(app.sipOf(ackFrame).startLine()).startsWith("ACK");
        assertThat(ackFrame.token(9)).isEqualTo(dialogId);
        fixture.core.onAck(fixture.incoming(ack)); // a retransmission is not passed on
        assertThat(app.drain()).isEmpty();

        CoreFixture.FakeServerTransaction bye = fixture.receive(Sip.inDialog("BYE", "a1", toTag, 2));
        DrachtioFrame byeFrame = app.next();
        assertThat(byeFrame.token(9)).isEqualTo(dialogId);
        assertThat(fixture.core.registries()).isEqualTo(new ServerCore.Registries(1, 1, 0, 0, 0));
        app.sip(byeFrame.token(8), "", Sip.response(200, "OK"));
        assertThat(app.next().status()).isEqualTo("OK");

        assertThat(bye.lastStatus()).isEqualTo(200);
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void theAppsAckToTheAnswerOfItsOwnReInviteGoesOut() {
        CoreFixture.FakeServerTransaction invite = fixture.receive(Sip.invite("a6"));
        app.sip(app.next().token(8), "", Sip.response(200, "OK"));
        String dialogId = app.next().token(11);
        String toTag = invite.last().to().tag().orElseThrow();
        fixture.core.onAck(fixture.incoming(fixture.fromCaller(Sip.inDialog("ACK", "a6", toTag, 1)).request()));
        app.next();

        app.sip("", dialogId, "INVITE sip:placeholder SIP/2.0\nContent-Length: 0\n\n");
        assertThat(app.next().status()).isEqualTo("OK");
        FakeNetwork.Sent reInvite = fixture.network.sent("INVITE").get(0);
        SipResponse ok = reInvite.answer(200, "caller-a6", "Contact", "<sip:caller@127.0.0.1:5070>");
        assertThat(app.sipOf(app.next()).startLine()).isEqualTo("SIP/2.0 200 OK");

        app.sip("", dialogId, "ACK sip:placeholder SIP/2.0\nContent-Length: 0\n\n");

        assertThat(app.next().status()).isEqualTo("OK");
        assertThat(fixture.network.stateless).singleElement().satisfies(ack -> {
            assertThat(ack.cseq().number()).isEqualTo(reInvite.request().cseq().number());
            assertThat(ack.cseq().method()).isEqualTo("ACK");
            assertThat(ack.from().tag()).contains(toTag);
            assertThat(ack.to().tag()).contains("caller-a6");
            assertThat(ack.requestUriText()).isEqualTo("sip:caller@127.0.0.1:5070");
        });
        fixture.core.onStrayResponse(fixture.incoming(ok)); // a retransmission of the 2xx is ACKed again
        assertThat(fixture.network.forwarded).singleElement().isEqualTo(fixture.network.stateless.get(0));
    }

    @Test
    void aCallerWritingAddrSpecGetsNameAddrFromTheServer() {
        CoreFixture.FakeServerTransaction invite = fixture.receive(Sip.invite("a7")
                .replace("From: <sip:caller@127.0.0.1:5070>;tag=caller-a7", "From: sip:caller@127.0.0.1:5070;tag=caller-a7"));
        app.sip(app.next().token(8), "", Sip.response(200, "OK", "Contact: sip:uas@127.0.0.1:5060"));
        String dialogId = app.next().token(11);
        assertThat(invite.last().headers().first("Contact")).contains("<sip:uas@127.0.0.1:5060>");

        app.sip("", dialogId, "BYE sip:placeholder SIP/2.0\nContent-Length: 0\n\n");
        assertThat(app.next().status()).isEqualTo("OK");

        SipRequest bye = fixture.network.sent("BYE").get(0).request();
        assertThat(bye.headers().first("To")).contains("<sip:caller@127.0.0.1:5070>;tag=caller-a7");
    }

    @Test
    void aRejectionLeavesNothingBehind() {
        CoreFixture.FakeServerTransaction invite = fixture.receive(Sip.invite("a2"));
        String txnId = app.next().token(8);

        app.sip(txnId, "", Sip.response(486, "Busy Here"));

        assertThat(app.next().status()).isEqualTo("OK");
        assertThat(invite.lastStatus()).isEqualTo(486);
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void anAnswerToAnUnknownTransactionIsRefused() {
        app.sip("no-such-transaction", "", Sip.response(200, "OK"));

        DrachtioFrame reply = app.next();
        assertThat(reply.status()).isEqualTo("NOK");
        assertThat(reply.token(4)).isEqualTo("Response not sent due to unknown transaction");
    }

    @Test
    void aReliableProvisionalNeedsTheCallersConsent() {
        fixture.receive(Sip.invite("a3"));
        String txnId = app.next().token(8);

        app.sip(txnId, "", Sip.response(183, "Session Progress", "Require: 100rel"));

        DrachtioFrame reply = app.next();
        assertThat(reply.status()).isEqualTo("NOK");
        assertThat(reply.token(4)).isEqualTo("Remote endpoint does not support 100rel");
        assertThat(fixture.core.registries().parkedRequests()).isEqualTo(1);
    }

    @Test
    void anAppThatGoesAwayLeavesNoCallBehind() {
        CoreFixture.FakeServerTransaction unanswered = fixture.receive(Sip.invite("a4"));
        app.next();
        CoreFixture.FakeServerTransaction answered = fixture.receive(Sip.invite("a5"));
        app.sip(app.next().token(8), "", Sip.response(200, "OK"));
        app.next();

        app.disconnect();

        assertThat(unanswered.lastStatus()).isEqualTo(480);
        assertThat(fixture.network.sent("BYE")).singleElement().satisfies(bye -> {
            assertThat(bye.request().callId()).contains("a5");
            assertThat(bye.request().header("Reason")).hasValueSatisfying(r -> r.contains("application disconnected"));
        });
        assertThat(answered.lastStatus()).isEqualTo(200);
        assertThat(fixture.core.registries().empty()).isTrue();
    }
}
