package org.switchboard.mrf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CodecOrderTest {

    static final String OFFER = "v=0\r\no=- 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0 101 8 96 9\r\na=rtpmap:101 telephone-event/8000\r\na=rtpmap:96 opus/48000/2\r\n";

    @Test
    void namedCodecsComeFirstInTheirOrderTheOthersKeepTheirs() {
        assertThat(CodecOrder.preferring(OFFER, List.of("opus", "PCMA")))
                .contains("m=audio 4000 RTP/AVP 96 8 0 101 9\r\n")
                .startsWith("v=0\r\n").endsWith("a=rtpmap:96 opus/48000/2\r\n");
        assertThat(CodecOrder.preferring(OFFER, List.of("g722"))).contains("m=audio 4000 RTP/AVP 9 0 101 8 96\r\n");
    }

    @Test
    void noPreferenceOrNoKnownCodecLeavesTheOfferAsItIs() {
        assertThat(CodecOrder.preferring(OFFER, List.of())).isEqualTo(OFFER);
        assertThat(CodecOrder.preferring(OFFER, List.of("AMR"))).isEqualTo(OFFER);
        String lf = OFFER.replace("\r\n", "\n");
        assertThat(CodecOrder.preferring(lf, List.of("PCMA"))).contains("m=audio 4000 RTP/AVP 8 0 101 96 9\n");
    }
}
