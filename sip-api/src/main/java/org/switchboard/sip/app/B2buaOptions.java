package org.switchboard.sip.app;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * How {@link Srf#createB2bua} bridges a call.
 *
 * @param target the B leg's request: URI, headers, credentials, deadline, provisional callback (its SDP, when
 *     set, replaces the A leg's offer)
 * @param passFailure whether a failure of the B leg is sent back to A with the same status (otherwise A stays
 *     unanswered so the application can try elsewhere)
 * @param propagateHeaders names of headers copied from A's INVITE to B's, and from B's responses to A's
 * @param answerToA computes the SDP for A from B's answer; identity unless given
 */
public record B2buaOptions(RequestOptions target, boolean passFailure, List<String> propagateHeaders,
                           Optional<UnaryOperator<String>> answerToA) {

    /** Copies the list. */
    public B2buaOptions {
        Objects.requireNonNull(target, "target");
        propagateHeaders = List.copyOf(propagateHeaders);
        Objects.requireNonNull(answerToA, "answerToA");
    }

    /** Bridges to {@code target}, passing failures back, copying no extra headers. */
    public static B2buaOptions to(RequestOptions target) {
        return new B2buaOptions(target, true, List.of(), Optional.empty());
    }

    /** The same with {@code passFailure}. */
    public B2buaOptions passFailure(boolean pass) {
        return new B2buaOptions(target, pass, propagateHeaders, answerToA);
    }

    /** The same, copying these headers across. */
    public B2buaOptions propagate(String... headerNames) {
        return new B2buaOptions(target, passFailure, List.of(headerNames), answerToA);
    }

    /** The same, answering A with {@code fn} applied to B's SDP. */
    public B2buaOptions answerToA(UnaryOperator<String> fn) {
        return new B2buaOptions(target, passFailure, propagateHeaders, Optional.of(fn));
    }
}
