package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.message.SipRequest;

/** The server as UAC for an app: requests it writes, their responses, the dialog, CANCEL and forks. */
class AppRequestsTest {

    private static final String INVITE = """
            INVITE sip:callee@127.0.0.1:5080 SIP/2.0
            From: <sip:app@localhost>
            To: <sip:callee@127.0.0.1:5080>
            Content-Length: 0

            """;

    private final CoreFixture fixture = new CoreFixture();
    private final CoreFixture.App app = fixture.app();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** The app's INVITE sent; returns its transaction id. */
    private String sendInvite() {
        String frameId = app.sip("", "", INVITE);
        DrachtioFrame sent = app.next();
        assertThat(sent.inReplyTo()).isEqualTo(frameId);
        assertThat(sent.status()).isEqualTo("OK");
        return sent.token(10);
    }

    @Test
    void aCallTheAppPlacesIsCompletedAndEndsWithItsBye() {
        String txnId = sendInvite();
        FakeNetwork.Sent invite = fixture.network.sent("INVITE").get(0);
        SipRequest request = invite.request();
        assertThat(request.from().tag()).isPresent();
        assertThat(request.callId()).isPresent();
        assertThat(request.headers().first("Contact")).contains("<sip:127.0.0.1:5060>");
        assertThat(request.from().uri().toString()).isEqualTo("sip:app@127.0.0.1:5060"); // localhost rewritten

        invite.answer(100, null);
        invite.answer(180, "callee-1");
        invite.answer(200, "callee-1", "Contact", "<sip:callee@127.0.0.1:5080>");

        DrachtioFrame ringing = app.next();
        assertThat(ringing.token(8)).isEqualTo(txnId);
        assertThat(app.sipOf(ringing).startLine()).isEqualTo("SIP/2.0 180 Ringing");
        DrachtioFrame ok = app.next();
        String dialogId = ok.token(9);
        assertThat(dialogId).isEqualTo(AppDialog.idOf(request.callId().orElseThrow(), request.from().tag().orElseThrow()));
        assertThat(fixture.core.registries()).isEqualTo(new ServerCore.Registries(0, 0, 0, 1, 0));

        app.sip("", dialogId, "ACK sip:callee@127.0.0.1:5080 SIP/2.0\nContent-Length: 0\n\n");
        assertThat(app.next().status()).isEqualTo("OK");
        assertThat(fixture.network.stateless).singleElement()
                .satisfies(ack -> assertThat(ack.cseq().number()).isEqualTo(request.cseq().number()));

        app.sip("", dialogId, "BYE sip:placeholder SIP/2.0\nContent-Length: 0\n\n");
        assertThat(app.next().status()).isEqualTo("OK");
        FakeNetwork.Sent bye = fixture.network.sent("BYE").get(0);
        assertThat(bye.request().requestUriText()).isEqualTo("sip:callee@127.0.0.1:5080");
        bye.answer(200, null);
        assertThat(app.next().token(9)).isEqualTo(dialogId);

        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void addressesTheAppWritesAsAddrSpecGoOutInNameAddrForm() {
        app.sip("", "", """
                INVITE sip:callee@127.0.0.1:5080 SIP/2.0
                From: sip:app@localhost;tag=app-1
                To: sip:callee@127.0.0.1:5080
                Contact: sip:app@10.0.0.1:5070;expires=60
                Content-Length: 0

                """);
        assertThat(app.next().status()).isEqualTo("OK");
        SipRequest invite = fixture.network.sent("INVITE").get(0).request();

        assertThat(invite.headers().first("From")).contains("<sip:app@127.0.0.1:5060>;tag=app-1");
        assertThat(invite.headers().first("To")).contains("<sip:callee@127.0.0.1:5080>");
        // parameters after an addr-spec are the header's, not the URI's
        assertThat(invite.headers().first("Contact")).contains("<sip:app@10.0.0.1:5070>;expires=60");
    }

    @Test
    void theAppsCancelGoesOutAndTheCallEndsWith487() {
        String txnId = sendInvite();
        FakeNetwork.Sent invite = fixture.network.sent("INVITE").get(0);
        invite.answer(180, "callee-2");
        app.next();

        app.sip(txnId, "", "CANCEL sip:callee@127.0.0.1:5080 SIP/2.0\nContent-Length: 0\n\n");
        assertThat(app.next().status()).isEqualTo("OK");
        assertThat(fixture.network.sent("CANCEL")).hasSize(1);
        invite.answer(487, "callee-2");

        assertThat(app.sipOf(app.next()).startLine()).isEqualTo("SIP/2.0 487 Request Terminated");
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void aSecondForkThatAnswersIsAckedAndHungUpUnseen() {
        sendInvite();
        FakeNetwork.Sent invite = fixture.network.sent("INVITE").get(0);
        invite.answer(200, "fork-a", "Contact", "<sip:a@127.0.0.1:5081>");
        app.next();

        invite.answer(200, "fork-b", "Contact", "<sip:b@127.0.0.1:5082>");

        assertThat(app.drain()).isEmpty();
        assertThat(fixture.network.stateless).singleElement()
                .satisfies(ack -> assertThat(ack.to().tag()).contains("fork-b"));
        assertThat(fixture.network.sent("BYE")).singleElement().satisfies(bye -> {
            assertThat(bye.request().to().tag()).contains("fork-b");
            assertThat(bye.request().header("Reason")).hasValueSatisfying(r -> assertThat(r).contains("another fork"));
        });
        assertThat(fixture.core.registries()).isEqualTo(new ServerCore.Registries(0, 0, 0, 1, 0));
    }

    @Test
    void aTimeoutIsReportedAs408AndForgotten() {
        sendInvite();
        FakeNetwork.Sent invite = fixture.network.sent("INVITE").get(0);

        invite.listener().onTimeout(invite.tx());

        assertThat(app.sipOf(app.next()).startLine()).isEqualTo("SIP/2.0 408 Request Timeout");
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void aRequestToThisServerItselfIsRefused() {
        app.sip("", "", INVITE.replace("127.0.0.1:5080", "127.0.0.1:5060"));

        DrachtioFrame reply = app.next();
        assertThat(reply.status()).isEqualTo("NOK");
        assertThat(reply.token(4)).isEqualTo("can not send request to myself");
        assertThat(fixture.network.requests).isEmpty();
    }
}
