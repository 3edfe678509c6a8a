package org.switchboard.media.fork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AudioForksTest {

    @Test
    void argumentsAreSplitAsFreeSwitchSplitsThem() {
        assertThat(AudioForks.split("u1 start  ws://h/p mono 16k")).containsExactly("u1", "start", "ws://h/p", "mono",
                "16k");
        assertThat(AudioForks.split("^^|u1|start|ws://h|mono|16k||'{\"a\":\"b c|d\"}'|true|false|"))
                .containsExactly("u1", "start", "ws://h", "mono", "16k", "", "{\"a\":\"b c|d\"}", "true", "false", "");
        assertThat(AudioForks.split("u1 send_text 'hello world'")).containsExactly("u1", "send_text", "hello world");
    }

    @Test
    void channelVariablesAreTrueAsFreeSwitchReadsThem() {
        for (String yes : new String[] {"true", "YES", "on", "t", "enabled", "active", "allow", "1", "-2"}) {
            assertThat(AudioFork.isTrue(yes)).as(yes).isTrue();
        }
        for (String no : new String[] {"false", "no", "off", "0", "00", "", "maybe"}) {
            assertThat(AudioFork.isTrue(no)).as(no).isFalse();
        }
    }

    @Test
    void settingsAreCheckedAsModAudioForkChecksThem() {
        assertThat(ForkSettings.parseRate("8k")).isEqualTo(8000);
        assertThat(ForkSettings.parseRate("16k")).isEqualTo(16000);
        assertThat(ForkSettings.parseRate("24000")).isEqualTo(24000);
        assertThatThrownBy(() -> ForkSettings.parseRate("11025")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ForkSettings.parseUrl("https://h:8443/x").toString()).isEqualTo("wss://h:8443/x");
        assertThat(ForkSettings.parseUrl("http://h/x").toString()).isEqualTo("ws://h/x");
        assertThatThrownBy(() -> ForkSettings.parseUrl("ftp://h/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ForkSettings.Mix.parse("quad")).isInstanceOf(IllegalArgumentException.class);
    }
}
