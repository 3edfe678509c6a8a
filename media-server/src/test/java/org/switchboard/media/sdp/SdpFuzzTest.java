package org.switchboard.media.sdp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Coverage-guided fuzzing (Jazzer) of SDP offer/answer: any body is refused with an {@link IllegalArgumentException}
 * or answered (or declined) by the default negotiation, and an answer is itself SDP that parses. The default build
 * replays the inputs under {@code SdpFuzzTestInputs}; {@code scripts/fuzz} fuzzes.
 */
class SdpFuzzTest {

    @FuzzTest
    void offer(byte[] body) {
        Sdp offer;
        try {
            offer = Sdp.parse(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException refused) {
            return;
        }
        Optional<Negotiation.Result> answer;
        try {
            answer = Negotiation.defaults().answer(offer, "127.0.0.1", 20000);
        } catch (IllegalArgumentException refused) {
            return; // an offer the parser takes may still break a rule the answer needs (a crypto key, a payload type)
        }
        answer.ifPresent(a -> Sdp.parse(a.sdp()));
    }
}
