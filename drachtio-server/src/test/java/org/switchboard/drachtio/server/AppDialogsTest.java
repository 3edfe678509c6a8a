package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.ua.DialogState;
import org.switchboard.testing.time.ManualScheduler;

/** The dialog registry: finding a dialog from either side's tags, and ending it from the server's side. */
class AppDialogsTest {

    private final CoreFixture fixture = new CoreFixture();
    private final CoreFixture.App owner = fixture.app();
    private final AppDialogs dialogs = new AppDialogs(fixture.network, new Cdrs(false, new RouteTable()), new ManualScheduler());

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A dialog of call d1: as UAS the caller's tag is the remote one, as UAC the local one. */
    private AppDialog dialog(boolean uas, String localTag, String remoteTag) {
        String callerTag = uas ? remoteTag : localTag;
        String calleeTag = uas ? localTag : remoteTag;
        SipRequest invite = (SipRequest) SipMessage.parse(("INVITE sip:remote@127.0.0.1:5070 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-i\r\nFrom: <sip:a@127.0.0.1>;tag=" + callerTag
                + "\r\nTo: <sip:b@127.0.0.1>\r\nCall-ID: d1\r\nCSeq: 10 INVITE\r\n"
                + "Contact: <sip:remote@127.0.0.1:5070>\r\nContent-Length: 0\r\n\r\n"));
        Destination origin = new Destination(Transport.UDP, CoreFixture.CALLER);
        DialogState state = uas ? DialogState.asUas(invite, calleeTag, "<sip:127.0.0.1:5060>", true, origin)
                : DialogState.asUac(invite, SipResponse.forRequest(invite, 200)
                        .setHeader(HeaderNames.TO, invite.to().withTag(calleeTag).toString())
                        .addHeader(HeaderNames.CONTACT, "<sip:remote@127.0.0.1:5070>").build(), origin);
        return new AppDialog(state, owner.connection);
    }

    private static SipMessage request(String fromTag, String toTag) {
        return SipMessage.parse(("INFO sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-d\r\n"
                + "From: <sip:a@127.0.0.1>;tag=" + fromTag + "\r\nTo: <sip:b@127.0.0.1>;tag=" + toTag
                + "\r\nCall-ID: d1\r\nCSeq: 5 INFO\r\nContent-Length: 0\r\n\r\n"));
    }

    @Test
    void aRequestFindsTheUasDialogByItsFromTagAndTheUacDialogByItsToTag() {
        AppDialog uas = dialog(true, "ours-1", "theirs-1");
        AppDialog uac = dialog(false, "ours-2", "theirs-2");
        dialogs.add(uas);
        dialogs.add(uac);

        assertThat(dialogs.find(request("theirs-1", "ours-1"))).isSameAs(uas);
        assertThat(dialogs.find(request("theirs-2", "ours-2"))).isSameAs(uac);
        assertThat(dialogs.find(request("theirs-1", "someone-else"))).isNull();
    }

    @Test
    void aTeardownSendsByeWithTheReasonAndTellsTheOwner() {
        AppDialog uas = dialog(true, "ours-3", "theirs-3");
        dialogs.add(uas);

        dialogs.teardown(uas, "Session timer expired");

        assertThat(dialogs.size()).isZero();
        assertThat(uas.ended()).isTrue();
        FakeNetwork.Sent bye = fixture.network.sent("BYE").get(0);
        assertThat(bye.request().header("Reason")).contains("SIP ;cause=200 ;text=\"Session timer expired\"");
        assertThat(bye.request().requestUriText()).isEqualTo("sip:remote@127.0.0.1:5070");
        assertThat(bye.request().to().tag()).contains("theirs-3");
        DrachtioFrame told = owner.next();
        assertThat(told.keyword()).isEqualTo("sip");
        assertThat(told.meta().orElseThrow().source()).isEqualTo("application");
        assertThat(List.of(told.token(8), told.token(9))).containsExactly("unsolicited", uas.id);
    }

    @Test
    void aDialogThePeerEndedAnswersTheAppsCrossingBye481WithTheNextCSeq() {
        AppDialog uas = dialog(true, "ours-5", "theirs-5");
        dialogs.add(uas);
        SipRequest before = uas.sip.request("INFO").build(); // the app's last request in the dialog

        dialogs.endedByPeer(uas);

        assertThat(dialogs.size()).isZero();
        assertThat(uas.ended()).isTrue();
        AppDialogs.Ended ended = dialogs.ended(uas.id).orElseThrow();
        SipRequest bye = ended.bye();
        assertThat(bye.method()).isEqualTo("BYE");
        assertThat(bye.cseq().number()).isEqualTo(before.cseq().number() + 1);
        assertThat(bye.to().tag()).contains("theirs-5");
        assertThat(bye.from().tag()).contains("ours-5");
        assertThat(ended.bye()).isSameAs(bye);
        SipResponse answer = ended.answer().join();
        assertThat(answer.status()).isEqualTo(481);
        assertThat(answer.cseq()).isEqualTo(bye.cseq());
        assertThat(answer.callId()).isEqualTo(bye.callId());
        assertThat(ended.destination()).isEqualTo(new Destination(Transport.UDP, CoreFixture.CALLER));
        assertThat(fixture.network.requests).isEmpty(); // nothing goes out for a dialog the peer ended
    }

    @Test
    void endingADialogTwiceIsHarmless() {
        AppDialog uas = dialog(true, "ours-4", "theirs-4");
        dialogs.add(uas);

        dialogs.end(uas);
        dialogs.end(uas);

        assertThat(dialogs.size()).isZero();
        assertThat(fixture.network.requests).isEmpty();
    }
}
