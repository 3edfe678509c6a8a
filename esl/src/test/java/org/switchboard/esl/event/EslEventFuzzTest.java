package org.switchboard.esl.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing (Jazzer) of the event parsers. JSON: the lazy reader must agree with Jackson reading the
 * whole event (the same headers and body, or both refuse), whichever header is read first. Plain: the headers can be
 * read or the event is refused with an {@link IllegalArgumentException}; one that reads prints back to itself.
 * The default build replays the inputs under {@code EslEventFuzzTestInputs}; {@code scripts/fuzz} fuzzes.
 */
class EslEventFuzzTest {

    @FuzzTest
    void json(byte[] text) {
        EslEvent.Parsed reference;
        try {
            reference = EslEvent.parseJson(text);
        } catch (IllegalArgumentException refused) {
            reference = null;
        }
        // -2: the body read first, -1: all headers first, then each of the first three headers by name first
        for (int first = -2; first < (reference == null ? 0 : Math.min(3, reference.headers().size())); first++) {
            EslEvent lazy = EslEvent.fromJson(text.clone());
            try {
                if (first >= 0) {
                    String name = reference.headers().get(first).name();
                    assertThat(lazy.header(name)).as("%s read first", name).isPresent();
                }
                String bodyFirst = first == -2 ? lazy.body() : null;
                var headers = lazy.headers();
                String body = bodyFirst != null ? bodyFirst : lazy.body();
                assertThat(reference).as("the lazy reader accepted what Jackson refuses").isNotNull();
                assertThat(headers).isEqualTo(reference.headers());
                assertThat(body).isEqualTo(reference.body());
            } catch (IllegalArgumentException refused) {
                assertThat(reference).as("the lazy reader refused what Jackson reads: %s", refused).isNull();
            }
        }
    }

    @FuzzTest
    void plain(byte[] text) {
        EslEvent event = EslEvent.fromPlain(text);
        try {
            event.headers();
            event.body();
        } catch (IllegalArgumentException refused) {
            return;
        }
        EslEvent again = EslEvent.fromPlain(event.toPlain().getBytes(StandardCharsets.UTF_8));
        assertThat(again.headers()).isEqualTo(event.headers());
        assertThat(again.body()).isEqualTo(event.body());
    }
}
