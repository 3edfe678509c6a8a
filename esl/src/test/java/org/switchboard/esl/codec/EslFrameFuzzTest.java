package org.switchboard.esl.codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.switchboard.testing.fuzz.Framing;

/**
 * Coverage-guided fuzzing (Jazzer) of the event socket's frame decoder: the frames read from a stream do not depend
 * on how the network cut it, their headers can all be read, and the only failure is an {@link EslProtocolException}.
 * The default build replays the inputs under {@code EslFrameFuzzTestInputs}; {@code scripts/fuzz} fuzzes.
 */
class EslFrameFuzzTest {

    @FuzzTest
    void stream(FuzzedDataProvider data) {
        int[] cuts = data.consumeInts(data.consumeInt(0, 8));
        byte[] bytes = data.consumeRemainingAsBytes();
        Framing.assertCutsChangeNothing(() -> new EslFrameDecoder(1024, 4096), bytes, cuts, frame -> {
            EslFrame f = (EslFrame) frame;
            StringBuilder read = new StringBuilder(f.firstLine());
            for (String[] pair : f.headerPairs()) {
                read.append('\n').append(pair[0]).append('=').append(f.decodedHeader(pair[0]).orElse("?"));
            }
            f.contentType();
            return read.append("\n\n").append(new String(f.body(), StandardCharsets.ISO_8859_1)).toString();
        }, EslProtocolException.class);
    }
}
