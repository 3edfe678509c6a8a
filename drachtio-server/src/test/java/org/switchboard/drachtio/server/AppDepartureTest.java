package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;

/**
 * The clean-up when an app goes away never undoes what the app itself did: no second CANCEL, no BYE crossing the
 * app's own BYE, no BYE for a subscription.
 */
class AppDepartureTest {

    private static final String INVITE = """
            INVITE sip:callee@127.0.0.1:5080 SIP/2.0
            From: <sip:app@localhost>
            To: <sip:callee@127.0.0.1:5080>
            Content-Length: 0

            """;

    private final CoreFixture fixture = new CoreFixture();
    private final CoreFixture.App app = fixture.app("invite", "subscribe");

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void anInviteTheAppCanceledIsNotCanceledAgain() {
        app.sip("", "", INVITE);
        String txnId = app.next().token(10);
        FakeNetwork.Sent invite = fixture.network.sent("INVITE").get(0);
        invite.answer(180, "callee-1");
        app.next();
        app.sip(txnId, "", "CANCEL sip:callee@127.0.0.1:5080 SIP/2.0\nContent-Length: 0\n\n");
        assertThat(app.next().status()).isEqualTo("OK");

        app.disconnect();

        assertThat(fixture.network.sent("CANCEL")).hasSize(1);
        invite.answer(487, "callee-1");
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void aCallTheAppIsHangingUpGetsNoSecondBye() {
        String dialogId = answeredCall("callee-2");
        app.sip("", dialogId, "BYE sip:placeholder SIP/2.0\nContent-Length: 0\n\n");
        assertThat(app.next().status()).isEqualTo("OK");

        app.disconnect();

        assertThat(fixture.network.sent("CANCEL")).isEmpty();
        assertThat(fixture.network.sent("BYE")).singleElement()
                .satisfies(bye -> assertThat(bye.request().header("Reason")).isEmpty());
        fixture.network.sent("BYE").get(0).answer(200, null);
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void anAppsByeRacingTheCleanUpsByeGetsThatByesAnswer() {
        CoreFixture.App sameApp = fixture.app("invite"); // a second connection of the same app
        String dialogId = answeredCall("callee-3");

        app.disconnect(); // the clean-up sends its BYE
        sameApp.sip("", dialogId, "BYE sip:placeholder SIP/2.0\nContent-Length: 0\n\n");

        DrachtioFrame sent = sameApp.next();
        assertThat(sent.status()).isEqualTo("OK");
        assertThat(fixture.network.sent("BYE")).hasSize(1);
        fixture.network.sent("BYE").get(0).answer(200, null);
        DrachtioFrame answer = sameApp.next();
        assertThat(sameApp.sipOf(answer).startLine()).isEqualTo("SIP/2.0 200 OK");
        assertThat(answer.token(8)).isEqualTo(sent.token(10));
        assertThat(answer.token(9)).isEqualTo(dialogId);
    }

    @Test
    void anAppsByeWhileTheCleanUpsByeIsGoingOutIsNotRefused() {
        // the moment DepartureRaceIT found: the clean-up's BYE on its way out, the dialog not yet one the app can join
        CoreFixture.App sameApp = fixture.app("invite");
        String dialogId = answeredCall("callee-4");
        fixture.network.whileSending("BYE", () -> sameApp.sip("", dialogId, "BYE sip:placeholder SIP/2.0\nContent-Length: 0\n\n"));

        app.disconnect();

        DrachtioFrame sent = sameApp.next();
        assertThat(sent.status()).as("%s", sent).isEqualTo("OK");
        fixture.network.sent("BYE").forEach(bye -> bye.answer(bye.request().header("Reason").isPresent() ? 200 : 481, null));
        DrachtioFrame answer = sameApp.next();
        assertThat(sameApp.sipOf(answer).startLine()).startsWith("SIP/2.0 ");
        assertThat(answer.token(8)).isEqualTo(sent.token(10));
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void anAppsByeCrossingThePeersByeIsAnsweredAsThePeerWouldAnswerIt() {
        // fsmrf's suite: the far side's clean-up BYE arrived just before the app's own; refused, it killed the app
        CoreFixture.FakeServerTransaction invite = fixture.receive(Sip.invite("x1"));
        app.sip(app.next().token(8), "", Sip.response(200, "OK"));
        app.next();
        String toTag = invite.last().to().tag().orElseThrow();
        fixture.core.onAck(fixture.incoming(fixture.fromCaller(Sip.inDialog("ACK", "x1", toTag, 1)).request()));
        app.next();
        String dialogId = AppDialog.idOf("x1", "caller-x1");
        CoreFixture.FakeServerTransaction peersBye = fixture.receive(Sip.inDialog("BYE", "x1", toTag, 2));
        DrachtioFrame offered = app.next();

        app.sip("", dialogId, "BYE sip:placeholder SIP/2.0\nContent-Length: 0\n\n"); // sent before it saw the peer's
        DrachtioFrame sent = app.next();
        assertThat(sent.status()).isEqualTo("OK");
        DrachtioFrame answer = app.next();
        assertThat(app.sipOf(answer).startLine()).isEqualTo("SIP/2.0 481 Call/Transaction Does Not Exist");
        assertThat(answer.token(8)).isEqualTo(sent.token(10));
        assertThat(answer.token(9)).isEqualTo(dialogId);
        assertThat(fixture.network.sent("BYE")).as("nothing on the wire for a dialog already over").isEmpty();

        app.sip(offered.token(8), "", Sip.response(200, "OK"));
        assertThat(app.next().status()).isEqualTo("OK");
        assertThat(peersBye.lastStatus()).isEqualTo(200);
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void aSubscriptionTheAppEndedWithItsNotifyGetsNoBye() {
        String dialogId = acceptedSubscription("s1");
        app.sip("", dialogId, """
                NOTIFY sip:placeholder SIP/2.0
                Event: presence
                Subscription-State: terminated;reason=noresource
                Content-Length: 0

                """);
        assertThat(app.next().status()).isEqualTo("OK");

        app.disconnect();

        assertThat(fixture.network.sent("BYE")).isEmpty();
        fixture.network.sent("NOTIFY").get(0).answer(200, null);
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    @Test
    void aSubscriptionStillActiveIsForgottenWithoutBye() {
        acceptedSubscription("s2");

        app.disconnect();

        assertThat(fixture.network.sent("BYE")).isEmpty();
        assertThat(fixture.core.registries().empty()).isTrue();
    }

    /** An INVITE the app sent, answered 200 by the callee (To tag {@code toTag}) and ACKed; returns the dialog id. */
    private String answeredCall(String toTag) {
        app.sip("", "", INVITE);
        app.next();
        fixture.network.sent("INVITE").get(0).answer(200, toTag, "Contact", "<sip:callee@127.0.0.1:5080>");
        String dialogId = app.next().token(9);
        app.sip("", dialogId, "ACK sip:callee@127.0.0.1:5080 SIP/2.0\nContent-Length: 0\n\n");
        app.next();
        return dialogId;
    }

    /** A SUBSCRIBE from the caller the app accepted with 202; returns the dialog id. */
    private String acceptedSubscription(String callId) {
        fixture.receive(Sip.invite(callId).replace("INVITE", "SUBSCRIBE").replace("Content-Length: 0",
                "Event: presence\nExpires: 3600\nContent-Length: 0"));
        DrachtioFrame offered = app.next();
        app.sip(offered.token(8), "", Sip.response(202, "Accepted", "Expires: 3600"));
        String dialogId = app.next().token(11);
        assertThat(dialogId).isEqualTo(AppDialog.idOf(callId, "caller-" + callId));
        return dialogId;
    }
}
