package org.switchboard.testkit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.switchboard.sip.auth.Digest;
import org.switchboard.sip.message.AuthValue;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ResponseListener;
import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.TransportError;

/**
 * Client transactions of a phone: each request and response goes on its ladder, responses are handed to the
 * phone's lane, and one digest challenge (401 or 407) is answered with the phone's credentials.
 */
final class Requests {

    private final Phone phone;

    Requests(Phone phone) {
        this.phone = phone;
    }

    /** Sends {@code request}; completes with its final response, exceptionally when it times out or cannot be sent. */
    CompletableFuture<SipResponse> send(SipRequest request, Destination destination) {
        CompletableFuture<SipResponse> result = new CompletableFuture<>();
        send(request, destination, (tx, response) -> {
            if (!response.isProvisional()) {
                result.complete(response);
            }
        }, result);
        return result;
    }

    /**
     * Sends {@code request} and gives every response to {@code onResponse} on the lane (after a challenge, those of
     * the authenticated retry); fails {@code failed} on a timeout or transport error. Returns the transaction.
     */
    ClientTransaction send(SipRequest request, Destination destination, BiConsumer<ClientTransaction, SipResponse> onResponse,
                           CompletableFuture<?> failed) {
        return send(request, destination, onResponse, failed, true);
    }

    private ClientTransaction send(SipRequest request, Destination destination,
                                   BiConsumer<ClientTransaction, SipResponse> onResponse, CompletableFuture<?> failed,
                                   boolean mayAuthenticate) {
        phone.ladder.sent(request, destination.address(), phone.config.transport());
        return phone.stack.transactions().sendRequest(request, destination, new ResponseListener() {
            @Override
            public void onResponse(ClientTransaction tx, SipResponse response) {
                phone.ladder.received(response, destination.address(), phone.config.transport());
                phone.post(() -> {
                    Optional<SipRequest> retry = mayAuthenticate ? authenticated(request, response) : Optional.empty();
                    if (retry.isPresent()) {
                        send(retry.get(), destination, onResponse, failed, false);
                    } else {
                        onResponse.accept(tx, response);
                    }
                });
            }

            @Override
            public void onTimeout(ClientTransaction tx) {
                failed.completeExceptionally(new IllegalStateException(request.method() + " timed out (no final response)"));
            }

            @Override
            public void onTransportError(ClientTransaction tx, TransportError error) {
                failed.completeExceptionally(new IllegalStateException(request.method() + " could not be sent to "
                        + destination, error.cause()));
            }
        });
    }

    /** The request again with the next CSeq and an answer to the challenge of {@code response}, if it is one. */
    private Optional<SipRequest> authenticated(SipRequest request, SipResponse response) {
        int status = response.status();
        if ((status != 401 && status != 407) || phone.config.password().isEmpty()) {
            return Optional.empty();
        }
        String challengeHeader = status == 401 ? "WWW-Authenticate" : "Proxy-Authenticate";
        String answerHeader = status == 401 ? HeaderNames.AUTHORIZATION : "Proxy-Authorization";
        String user = phone.config.authUser().orElse(phone.config.user());
        for (AuthValue challenge : response.authValues(challengeHeader)) {
            Optional<String> answer = Digest.authorization(challenge, request.method(), request.requestUriText(), user,
                    phone.config.password().get());
            if (answer.isPresent()) {
                return Optional.of(request.toBuilder()
                        .setHeader(HeaderNames.CSEQ, (request.cseq().number() + 1) + " " + request.method())
                        .setHeader(answerHeader, answer.get())
                        .build());
            }
        }
        return Optional.empty();
    }

    /** Adds {@code headers} (replacing the builder's own of the same name) and a body unless the content type is empty. */
    static void withHeadersAndBody(SipRequest.Builder b, Map<String, String> headers, String contentType, String body) {
        headers.forEach(b::setHeader);
        if (!contentType.isEmpty()) {
            b.body(contentType, body);
        }
    }

    /** Whether {@code request} has, for each entry, a header of that name with a value containing the entry's value. */
    static boolean hasHeaders(SipRequest request, Map<String, String> headers) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            List<String> values = request.headers().all(e.getKey());
            if (values.stream().noneMatch(v -> v.contains(e.getValue()))) {
                return false;
            }
        }
        return true;
    }

    /** A response to {@code request}, with a To tag on final responses to requests that had none. */
    static SipResponse response(SipRequest request, int status) {
        return response(request, status, TransactionLayer.randomToken(10));
    }

    /** A response to {@code request} with {@code tag} as the To tag when the request had none (statuses above 100). */
    static SipResponse response(SipRequest request, int status, String tag) {
        SipResponse.Builder b = SipResponse.forRequest(request, status);
        if (status > 100 && request.to().tag().isEmpty()) {
            b.setHeader(HeaderNames.TO, request.to().withTag(tag).toString());
        }
        return b.build();
    }
}
