package org.switchboard.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.switchboard.sip.SipParseException;
import org.switchboard.testing.interop.Interop;

/**
 * The RFC 4475 and RFC 5118 torture messages through the parser alone: what the INDEX says a
 * conforming element does, reduced to what the grammar decides (the application answers such as
 * 416 or 420 come from the user agent core and are checked over the network in sip-stack).
 */
class TortureCorpusTest {

    static Stream<Arguments> corpus() {
        return Interop.tortureCorpus().stream().map(c -> Arguments.of(c.file(), c.kind(), c.accept()));
    }

    @ParameterizedTest(name = "{0} ({1}): {2}")
    @MethodSource("corpus")
    void parserDecidesAsTheIndexSays(String file, String kind, String accept) {
        byte[] bytes = file.startsWith("rfc5118/") ? Interop.rfc5118WireForm(Interop.bytes(file)) : Interop.bytes(file);
        List<String> udp = Arrays.stream(accept.split("\\|"))
                .filter(a -> !a.startsWith("tcp:"))
                .map(a -> a.replace("udp:", ""))
                .toList();
        Outcome outcome = outcome(bytes);

        if (udp.equals(List.of("none"))) {
            // responses nobody asked for: parsed as a response and dropped, or not parseable at all
            assertThat(outcome.message == null || outcome.message instanceof SipResponse)
                    .as("%s must be a response or unreadable, was %s", file, outcome).isTrue();
            return;
        }
        assertThat(outcome.message).as("%s must be readable far enough to answer: %s", file, outcome.error).isNotNull();
        assertThat(outcome.message).isInstanceOf(SipRequest.class);
        boolean may400 = udp.contains("400");
        boolean mayOther = udp.stream().anyMatch(a -> !a.equals("400"));
        if (!mayOther) {
            assertThat(outcome.error).as("%s must be rejected as malformed", file).isNotNull();
        } else if (!may400) {
            assertThat(outcome.error).as("%s must be accepted by the grammar", file).isNull();
        }
        // whatever the verdict, a message that was read prints back byte for byte
        byte[] printed = outcome.message.toBytes();
        assertThat(new String(bytes, 0, printed.length, StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(printed, StandardCharsets.ISO_8859_1));
    }


    record Outcome(SipMessage message, SipParseException error) {
    }

    static Outcome outcome(byte[] bytes) {
        SipMessage message;
        try {
            message = SipMessage.parse(bytes);
        } catch (SipParseException e) {
            return new Outcome(null, e);
        }
        try {
            message.validate();
            return new Outcome(message, null);
        } catch (SipParseException e) {
            return new Outcome(message, e);
        }
    }
}
