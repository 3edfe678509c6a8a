package org.switchboard.sip.stack.ua;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.SipStack;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ResponseListener;
import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.TransportError;
import org.switchboard.sip.uri.SipUri;

/**
 * The user agent's client side: places calls, ACKs their 2xx (again for each retransmitted one) and ends dialogs with
 * BYE. Holds no state of its own: the dialogs are the user agent's concurrent map; callers are application threads,
 * responses come on event loops and the transaction timer thread.
 */
final class Uac {

    private final UserAgent ua;
    private final SipStack stack;
    private final Map<String, DialogImpl> dialogs;
    private final LocalIdentity local;
    private final String product;

    Uac(UserAgent ua, SipStack stack, Map<String, DialogImpl> dialogs, LocalIdentity local, String product) {
        this.ua = ua;
        this.stack = stack;
        this.dialogs = dialogs;
        this.local = local;
        this.product = product;
    }

    /** See {@link UserAgent#invite}. */
    CompletableFuture<Dialog> invite(SipUri target, Destination destination, String sdp) {
        ListenPoint point = stack.transport().listenPoint(destination.transport(), destination.address())
                .orElseThrow(() -> new IllegalStateException("no " + destination.transport() + " listen point"));
        String tag = TransactionLayer.randomToken(10);
        String from = "<sip:" + local.userPart() + "@" + point.hostForUri() + ":" + point.address().getPort() + ">;tag=" + tag;
        SipRequest invite = SipRequest.builder("INVITE", target)
                .addHeader(HeaderNames.MAX_FORWARDS, "70")
                .addHeader(HeaderNames.FROM, from)
                .addHeader(HeaderNames.TO, "<" + target + ">")
                .addHeader(HeaderNames.CALL_ID, TransactionLayer.randomToken(20) + "@" + point.hostForUri())
                .addHeader(HeaderNames.CSEQ, "1 INVITE")
                .addHeader(HeaderNames.CONTACT, local.contactFor(point))
                .addHeader(HeaderNames.ALLOW, RequestChecks.ALLOW)
                .addHeader(HeaderNames.USER_AGENT, product)
                .body(RequestChecks.SDP, sdp)
                .build();
        CompletableFuture<Dialog> result = new CompletableFuture<>();
        stack.transactions().sendRequest(invite, destination, new Outcome(result, "INVITE to " + target) {
            @Override
            public void onResponse(ClientTransaction tx, SipResponse response) {
                if (response.isProvisional()) {
                    return;
                }
                if (!response.isSuccess()) {
                    result.completeExceptionally(new CallFailedException(response.status(),
                            "INVITE to " + target + " failed: " + response.status() + " " + response.reason(), null));
                    return;
                }
                if (resendAck(response)) {
                    return; // a retransmitted 2xx for a dialog we already have
                }
                DialogImpl dialog = new DialogImpl(ua, DialogState.asUac(tx.request(), response, destination),
                        response.bodyAsString());
                SipRequest ack = dialog.state().ack().build();
                dialog.state().ackSent(ack);
                dialogs.put(dialog.key(), dialog);
                stack.transactions().sendStateless(ack, dialog.state().destination());
                result.complete(dialog);
            }
        });
        return result;
    }

    /** Sends the ACK again for a retransmitted 2xx of a dialog we already have; returns whether it was one. */
    boolean resendAck(SipResponse response) {
        if (!response.isSuccess() || !response.cseq().method().equals("INVITE")) {
            return false;
        }
        DialogImpl dialog = dialogs.get(DialogImpl.key(response.callId().orElse(""), response.from().tag().orElse(""),
                response.to().tag().orElse("")));
        if (dialog == null) {
            return false;
        }
        dialog.state().ackFor(response).ifPresent(ack -> stack.transactions().sendStateless(ack, dialog.state().destination()));
        return true;
    }

    /** Ends {@code dialog} and sends its BYE; completes with the final response. */
    CompletableFuture<SipResponse> bye(DialogImpl dialog, Dialog.EndReason reason) {
        CompletableFuture<SipResponse> result = new CompletableFuture<>();
        SipRequest bye = dialog.state().request("BYE").build();
        dialog.end(reason);
        stack.transactions().sendRequest(bye, dialog.state().destination(), new Outcome(result, "BYE for " + dialog) {
            @Override
            public void onResponse(ClientTransaction tx, SipResponse response) {
                if (!response.isProvisional()) {
                    result.complete(response);
                }
            }
        });
        return result;
    }

    /** Fails {@code result} when the request times out (408) or cannot be sent (503), as RFC 3261 8.1.3.1 maps them. */
    private abstract static class Outcome implements ResponseListener {
        private final CompletableFuture<?> result;
        private final String what;

        Outcome(CompletableFuture<?> result, String what) {
            this.result = result;
            this.what = what;
        }

        @Override
        public void onTimeout(ClientTransaction tx) {
            result.completeExceptionally(new CallFailedException(408, what + " timed out", null));
        }

        @Override
        public void onTransportError(ClientTransaction tx, TransportError error) {
            result.completeExceptionally(new CallFailedException(503, what + " could not be sent", error.cause()));
        }
    }
}
