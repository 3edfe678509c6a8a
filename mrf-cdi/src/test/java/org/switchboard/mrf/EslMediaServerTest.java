package org.switchboard.mrf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.sip.media.MediaLoad;
import org.switchboard.sip.media.MediaServerInfo;
import org.switchboard.sip.media.MediaServerInfo.SipCapability;

class EslMediaServerTest {

    static final String SOFIA_STATUS = """
                                 Name	   Type	                                      Data	State
            =================================================================================================
                          internal	profile	          sip:mod_sofia@10.0.0.5:5060	RUNNING (0)
                      drachtio_mrf	profile	          sip:mod_sofia@10.0.0.5:5080	RUNNING (0)
                      drachtio_mrf	profile	          sip:mod_sofia@10.0.0.5:5081	RUNNING (0) (TLS)
                      drachtio_mrf	profile	          sip:mod_sofia@[2001:db8::5]:5080	RUNNING (0)
            =================================================================================================
            2 profiles 0 aliases
            """;

    @Test
    void findsTheProfilesAddressesInSofiaStatus() {
        assertThat(EslMediaServer.sipAddresses(SOFIA_STATUS, "drachtio_mrf")).isEqualTo(Map.of(
                SipCapability.IPV4_UDP, "10.0.0.5:5080", SipCapability.IPV4_DTLS, "10.0.0.5:5081",
                SipCapability.IPV6_UDP, "[2001:db8::5]:5080"));
        assertThat(EslMediaServer.sipAddresses(SOFIA_STATUS, "internal"))
                .isEqualTo(Map.of(SipCapability.IPV4_UDP, "10.0.0.5:5060"));
    }

    @Test
    void aProfileThatIsNotListedHasNoAddress() {
        assertThat(EslMediaServer.sipAddresses(SOFIA_STATUS, "drachtio")).isEmpty();
        assertThat(EslMediaServer.sipAddresses(SOFIA_STATUS, "drachtio.mrf")).isEmpty();
    }

    @Test
    void readsTheVersionFromStatusAndTheRestFromHeartbeats() {
        MediaServerInfo empty = new MediaServerInfo("", "", "", "", OptionalDouble.empty(),
                Map.of(SipCapability.IPV4_UDP, "10.0.0.5:5080"));
        MediaServerInfo versioned = EslMediaServer.withVersion(empty, "FreeSWITCH (Version 1.10.11 64bit) is ready\n");
        assertThat(versioned.version()).isEqualTo("1.10.11 64bit");

        MediaServerInfo beat = EslMediaServer.fromHeartbeat(versioned, EslEvent.builder("HEARTBEAT")
                .header("FreeSWITCH-Hostname", "ms1").header("FreeSWITCH-IPv4", "10.0.0.5")
                .header("FreeSWITCH-IPv6", "::1").header("FreeSWITCH-Version", "1.10.11-release~64bit")
                .header("Idle-CPU", "97.533333").build());

        assertThat(beat).isEqualTo(new MediaServerInfo("ms1", "1.10.11-release~64bit", "10.0.0.5", "::1",
                OptionalDouble.of(97.533333), Map.of(SipCapability.IPV4_UDP, "10.0.0.5:5080")));
        assertThat(beat.hasCapability(SipCapability.IPV4_UDP)).isTrue();
        assertThat(beat.hasCapability(SipCapability.IPV4_DTLS)).isFalse();
        assertThat(EslMediaServer.fromHeartbeat(beat, EslEvent.builder("HEARTBEAT").header("Idle-CPU", "n/a").build())
                .idleCpu()).isEmpty();
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

    @Test
    void readsWhetherTheSwitchTakesNewCallsFromStatusAndHeartbeats() {
        assertThat(EslMediaServer.isReady("FreeSWITCH (Version 1.10.11 64bit) is ready\n")).isTrue();
        assertThat(EslMediaServer.isReady("FreeSWITCH (Version 1.10.11 64bit) is not ready\n")).isFalse();
        assertThat(EslMediaServer.isReady(EslEvent.builder("HEARTBEAT").header("Event-Info", "System Ready").build())).isTrue();
        assertThat(EslMediaServer.isReady(EslEvent.builder("HEARTBEAT").header("Event-Info", "System Not Ready").build()))
                .isFalse();
        assertThat(EslMediaServer.isReady(EslEvent.builder("HEARTBEAT").build())).as("no word on it").isTrue();
    }

    @Test
    void aServerThatMissedThreeHeartbeatsIsStalled() {
        long second = 1_000_000_000L;
        assertThat(EslMediaServer.stalled(100 * second, 10 * second, 0)).as("interval not known yet").isFalse();
        assertThat(EslMediaServer.stalled(13 * second, 10 * second, second)).isFalse();
        assertThat(EslMediaServer.stalled(14 * second, 10 * second, second)).isTrue();
        assertThat(EslMediaServer.stalled(69 * second, 10 * second, 20 * second)).as("FreeSWITCH's 20 s").isFalse();
        long interval = EslMediaServer.nextInterval(second, 10_000_000L);
        assertThat(interval).as("a beat 10 ms after a late one").isEqualTo(875_000_000L);
        assertThat(EslMediaServer.stalled(12 * second, 10 * second, interval)).as("the next ordinary gap").isFalse();
        assertThat(EslMediaServer.nextInterval(interval, 2 * second)).isEqualTo(2 * second);
    }
}
