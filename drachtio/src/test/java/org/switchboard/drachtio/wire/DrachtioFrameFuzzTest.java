package org.switchboard.drachtio.wire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.switchboard.testing.fuzz.Framing;

/**
 * Coverage-guided fuzzing (Jazzer) of the drachtio frame decoder: the frames read from a stream do not depend on how
 * the network cut it, every frame prints back to the payload it was read from, and the only failure is a
 * {@link DrachtioProtocolException}. The default build replays the inputs under {@code DrachtioFrameFuzzTestInputs};
 * {@code scripts/fuzz} fuzzes.
 */
class DrachtioFrameFuzzTest {

    @FuzzTest
    void stream(FuzzedDataProvider data) {
        int[] cuts = data.consumeInts(data.consumeInt(0, 8));
        byte[] bytes = data.consumeRemainingAsBytes();
        Framing.assertCutsChangeNothing(() -> new DrachtioFrameDecoder(4096), bytes, cuts, frame -> {
            DrachtioFrame f = (DrachtioFrame) frame;
            if (!DrachtioFrame.parse(f.payload()).equals(f)) {
                throw new AssertionError("frame does not print back: " + f);
            }
            return f.payload();
        }, DrachtioProtocolException.class);
    }
}
