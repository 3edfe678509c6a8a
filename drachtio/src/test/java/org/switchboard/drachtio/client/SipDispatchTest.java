package org.switchboard.drachtio.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.app.CdrEvent;

/** Frames as the server sends them, read into typed messages without a socket. */
class SipDispatchTest {

    private static final String INVITE = "INVITE sip:alice@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK1\r\nFrom: <sip:bob@example.com>;tag=f1\r\n"
            + "To: <sip:alice@127.0.0.1>\r\nCall-ID: call-1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";

    private final List<Object> seen = new ArrayList<>();
    private final DrachtioClient connection = DrachtioClient.accepted(DrachtioClientConfig.builder().build(),
            frame -> { }, new CompletableFuture<>());
    private final DrachtioListener listener = new SipHandler() {
        @Override
        public void onRequest(ReceivedRequest request) {
            seen.add(request);
        }

        @Override
        public void onResponse(ReceivedResponse response) {
            seen.add(response);
        }

        @Override
        public void onCdr(CdrEvent cdr) {
            seen.add(cdr);
        }
    }.listener();

    private static DrachtioFrame fromServer(String transactionId, String dialogId, String sip) {
        return DrachtioFrame.of("s-1", "sip", "network", Integer.toString(sip.length()), "udp", "198.51.100.7", "5060",
                "14:03:27.120433", transactionId, dialogId, "127.0.0.1", "5060").withSipMessage(sip);
    }

    @Test
    void aNewRequestCarriesItsTransactionSourceAndConnection() {
        listener.onFrame(connection, fromServer("txn-1", "", INVITE));
        ReceivedRequest r = (ReceivedRequest) seen.get(0);
        assertThat(r.kind()).isEqualTo(ReceivedRequest.Kind.NEW);
        assertThat(r.transactionId()).isEqualTo("txn-1");
        assertThat(r.dialogId()).isEmpty();
        assertThat(r.callId()).isEqualTo("call-1");
        assertThat(r.source()).isEqualTo("udp/198.51.100.7:5060");
        assertThat(r.connection()).isSameAs(connection);
        assertThat(r.request().method()).isEqualTo("INVITE");
    }

    @Test
    void inDialogCancelAndServerEndedRequestsAreTold() {
        listener.onFrame(connection, fromServer("txn-2", "call-1;from-tag=f1", INVITE.replace("INVITE", "BYE")));
        listener.onFrame(connection, fromServer("txn-1", "", INVITE.replace("INVITE sip", "CANCEL sip").replace("1 INVITE", "1 CANCEL")));
        listener.onFrame(connection, fromServer("unsolicited", "call-1;from-tag=f1", INVITE.replace("INVITE", "BYE")));
        assertThat(seen).map(r -> ((ReceivedRequest) r).kind()).containsExactly(ReceivedRequest.Kind.IN_DIALOG,
                ReceivedRequest.Kind.CANCEL, ReceivedRequest.Kind.ENDED_BY_SERVER);
    }

    @Test
    void aResponseIsMatchedByTransactionAndDialog() {
        String ok = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK2\r\nFrom: <sip:a@b>;tag=L\r\nTo: <sip:c@d>;tag=R\r\n"
                + "Call-ID: call-2\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        listener.onFrame(connection, fromServer("txn-5", "call-2;from-tag=L", ok));
        ReceivedResponse r = (ReceivedResponse) seen.get(0);
        assertThat(r.transactionId()).isEqualTo("txn-5");
        assertThat(r.dialogId()).isEqualTo("call-2;from-tag=L");
        assertThat(r.response().status()).isEqualTo(200);
        assertThat(r.callId()).isEqualTo("call-2");
    }

    @Test
    void unreadableSipAndFramesWithoutSipAreDroppedWithoutFailing() {
        listener.onFrame(connection, fromServer("txn-1", "", "SIP/2.0 abc Bad\r\nCall-ID: x\r\n\r\n"));
        listener.onFrame(connection, DrachtioFrame.of("s-2", "sip", "network"));
        assertThat(seen).isEmpty();
    }

    @Test
    void cdrFramesBecomeCdrEvents() {
        listener.onFrame(connection, DrachtioFrame.of("s-3", "cdr:stop", "network", "14:03:27.120433", "normal-release")
                .withSipMessage(INVITE.replace("INVITE sip", "BYE sip").replace("1 INVITE", "2 BYE")));
        CdrEvent cdr = (CdrEvent) seen.get(0);
        assertThat(cdr.type()).isEqualTo(CdrEvent.Type.STOP);
        assertThat(cdr.detail()).isEqualTo("normal-release");
        assertThat(cdr.source()).isEqualTo("network");
    }
}
