package org.switchboard.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.uri.SipUri;

/**
 * Coverage-guided fuzzing of the SIP grammar (Jazzer). In the default build each target replays its inputs under
 * {@code src/test/resources/.../SipMessageFuzzTestInputs/<target>/} (seeds and every finding kept as a regression
 * case); {@code scripts/fuzz} runs the targets in fuzzing mode. Whatever the bytes, the only failure is a
 * {@link SipParseException}.
 */
class SipMessageFuzzTest {

    /** A message, then every typed accessor; one that parses prints back bytes that parse to the same message. */
    @FuzzTest
    void message(byte[] data) {
        SipMessage m;
        try {
            m = SipMessage.parse(data);
        } catch (SipParseException refused) {
            return;
        }
        Accessors.exercise(m);
        SipMessage again = SipMessage.parse(m.toBytes());
        assertThat(again.headers().size()).isEqualTo(m.headers().size());
        assertThat(again.body()).isEqualTo(m.body());
    }

    /** Header values and URIs on their own, each through its typed parser. */
    @FuzzTest
    void headerValue(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 3);
        String value = data.consumeRemainingAsString();
        try {
            switch (which) {
                case 0 -> NameAddress.parse(value).toString();
                case 1 -> AuthValue.parse(value).toString();
                case 2 -> CSeq.parse(value).toString();
                default -> SipUri.parse(value).toString();
            }
        } catch (SipParseException refused) {
            // a clear error is the point
        }
    }
}
