package org.switchboard.mrf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.media.MediaLoad;

class EslMediaServerTest {

    static final String SOFIA_STATUS = """
                                 Name	   Type	                                      Data	State
            =================================================================================================
                          internal	profile	          sip:mod_sofia@10.0.0.5:5060	RUNNING (0)
                      drachtio_mrf	profile	          sip:mod_sofia@10.0.0.5:5080	RUNNING (0)
                      drachtio_mrf	profile	          sip:mod_sofia@10.0.0.5:5081	RUNNING (0) (TLS)
            =================================================================================================
            2 profiles 0 aliases
            """;

    @Test
    void findsTheProfilesAddressInSofiaStatus() {
        assertThat(EslMediaServer.profileAddress(SOFIA_STATUS, "drachtio_mrf")).contains("10.0.0.5:5080");
        assertThat(EslMediaServer.profileAddress(SOFIA_STATUS, "internal")).contains("10.0.0.5:5060");
    }

    @Test
    void aProfileThatIsNotListedHasNoAddress() {
        assertThat(EslMediaServer.profileAddress(SOFIA_STATUS, "drachtio")).isEmpty();
        assertThat(EslMediaServer.profileAddress(SOFIA_STATUS, "drachtio.mrf")).isEmpty();
    }

    @Test
    void readsTheLoadFromStatus() {
        String status = """
                UP 0 years, 0 days, 1 hour, 2 minutes, 3 seconds, 4 milliseconds, 0 microseconds
                FreeSWITCH (Version 1.10.11 64bit) is ready
                120 session(s) since startup
                7 session(s) - peak 12, last 5min 9\s
                3 session(s) per Sec out of max 30, peak 5, last 5min 4\s
                1000 session(s) max
                min idle cpu 0.00/98.33
                """;
        assertThat(EslMediaServer.parseStatus(status)).isEqualTo(new MediaLoad(7, 1000, 3));
    }
}
