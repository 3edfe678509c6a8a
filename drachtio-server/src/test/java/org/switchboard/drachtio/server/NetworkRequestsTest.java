package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;

/** Requests from the network on their way to apps, through the core with no socket. */
class NetworkRequestsTest {

    private CoreFixture fixture = new CoreFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aNewInviteGoesToTheAppThatRoutesItAndIsParked() {
        CoreFixture.App app = fixture.app("invite");
        CoreFixture.FakeServerTransaction tx = fixture.receive(Sip.invite("c1"));

        DrachtioFrame frame = app.next();
        assertThat(frame.keyword()).isEqualTo("sip");
        assertThat(frame.meta().orElseThrow().source()).isEqualTo("network");
        assertThat(frame.token(8)).isNotEmpty(); // the transaction id the app answers on
        assertThat(frame.token(9)).isEmpty(); // no dialog yet
        assertThat(List.of(frame.token(10), frame.token(11))).containsExactly("127.0.0.1", "5060");
        assertThat(app.sipOf(frame).callId()).contains("c1");
        assertThat(tx.responses).isEmpty();
        assertThat(fixture.core.registries().parkedRequests()).isEqualTo(1);
    }

    @Test
    void withNoAppTheRequestIsAnswered503AndNothingIsKept() {
        CoreFixture.FakeServerTransaction tx = fixture.receive(Sip.invite("c2"));

        assertThat(tx.lastStatus()).isEqualTo(503);
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void aSpammerIsRefused603BeforeAnyApp() {
        fixture.close();
        fixture = new CoreFixture(DrachtioServerConfig.builder().spammers("To", List.of("service")).build());
        CoreFixture.App app = fixture.app("invite");

        CoreFixture.FakeServerTransaction tx = fixture.receive(Sip.invite("c3"));

        assertThat(tx.lastStatus()).isEqualTo(603);
        assertThat(app.drain()).isEmpty();
    }

    @Test
    void theCallersCancelEndsTheParkedInviteAndTellsTheApp() {
        CoreFixture.App app = fixture.app("invite");
        CoreFixture.FakeServerTransaction invite = fixture.receive(Sip.invite("c4"));
        String txnId = app.next().token(8);
        CoreFixture.FakeServerTransaction cancel = fixture.fromCaller(Sip.cancel("c4"));

        fixture.core.onCancel(cancel, Optional.of(invite));

        assertThat(cancel.lastStatus()).isEqualTo(200);
        assertThat(invite.lastStatus()).isEqualTo(487);
        DrachtioFrame told = app.next();
        assertThat(told.token(8)).isEqualTo(txnId);
        assertThat(app.sipOf(told).startLine()).startsWith("CANCEL");
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void anInDialogRequestForNoDialogIsAnswered481() {
        fixture.app("invite");

        CoreFixture.FakeServerTransaction bye = fixture.receive(Sip.inDialog("BYE", "c5", "nobody", 2));

        assertThat(bye.lastStatus()).isEqualTo(481);
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void aWildcardRegisterThatDoesNotUnregisterIsAnswered400() {
        fixture.app("register");

        CoreFixture.FakeServerTransaction register = fixture.receive("""
                REGISTER sip:127.0.0.1:5060 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-r1
                Max-Forwards: 70
                From: <sip:alice@127.0.0.1>;tag=r1
                To: <sip:alice@127.0.0.1>
                Call-ID: r1
                CSeq: 1 REGISTER
                Contact: *
                Expires: 60
                Content-Length: 0

                """);

        assertThat(register.lastStatus()).isEqualTo(400);
    }

    /** An answered and acknowledged call from the caller; returns the server's To tag. */
    private String answeredCall(CoreFixture.App app, String callId) {
        CoreFixture.FakeServerTransaction invite = fixture.receive(Sip.invite(callId));
        app.sip(app.next().token(8), "", Sip.response(200, "OK"));
        assertThat(app.next().status()).isEqualTo("OK");
        String toTag = invite.last().to().tag().orElseThrow();
        fixture.core.onAck(fixture.incoming(fixture.fromCaller(Sip.inDialog("ACK", callId, toTag, 1)).request()));
        assertThat(app.sipOf(app.next()).startLine()).startsWith("ACK");
        return toTag;
    }

    @Test
    void anInDialogRequestBelowTheCallersLastCSeqIsAnswered500AndNeverReachesTheApp() {
        CoreFixture.App app = fixture.app("invite");
        String toTag = answeredCall(app, "c8");
        fixture.receive(Sip.inDialog("INFO", "c8", toTag, 5));
        assertThat(app.sipOf(app.next()).startLine()).startsWith("INFO");

        CoreFixture.FakeServerTransaction late = fixture.receive(Sip.inDialog("INFO", "c8", toTag, 3));

        assertThat(late.lastStatus()).isEqualTo(500);
        assertThat(late.last().reason()).isEqualTo("CSeq out of order");
        assertThat(app.drain()).isEmpty();
    }

    @Test
    void theCallersReInviteMovesWhereTheAppsRequestsGo() {
        CoreFixture.App app = fixture.app("invite");
        String toTag = answeredCall(app, "c9");
        String dialogId = AppDialog.idOf("c9", "caller-c9");
        fixture.receive(Sip.inDialog("INVITE", "c9", toTag, 2)
                .replace("Content-Length: 0", "Contact: <sip:caller@127.0.0.1:5090>\nContent-Length: 0"));
        assertThat(app.sipOf(app.next()).startLine()).startsWith("INVITE");

        app.sip("", dialogId, "BYE sip:placeholder SIP/2.0\nContent-Length: 0\n\n");
        assertThat(app.next().status()).isEqualTo("OK");

        assertThat(fixture.network.sent("BYE").get(0).request().requestUriText()).isEqualTo("sip:caller@127.0.0.1:5090");
    }
}
