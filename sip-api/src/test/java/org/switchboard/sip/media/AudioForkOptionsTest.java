package org.switchboard.sip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AudioForkOptionsTest {

    @Test
    void defaultsAreModAudioForks() {
        AudioForkOptions o = AudioForkOptions.builder("ws://bot.example:3001/calls").build();
        assertThat(o.url().toString()).isEqualTo("ws://bot.example:3001/calls");
        assertThat(o.mix()).isEqualTo(AudioForkOptions.Mix.MONO);
        assertThat(o.sampleRate()).isEqualTo(8000);
        assertThat(o.name()).isEqualTo("audio_fork");
        assertThat(o.metadata()).isEmpty();
        assertThat(o.playReturnedAudio()).isTrue();
    }

    @Test
    void everySettingIsKeptAndCheckedWhereTheCommandCouldNotCarryIt() {
        AudioForkOptions o = AudioForkOptions.builder("wss://bot.example/x").mix(AudioForkOptions.Mix.STEREO)
                .sampleRate(16000).name("bot-1").metadata("{\"a\":1}").playReturnedAudio(false).build();
        assertThat(o.mix()).isEqualTo(AudioForkOptions.Mix.STEREO);
        assertThat(o.sampleRate()).isEqualTo(16000);
        assertThat(o.name()).isEqualTo("bot-1");
        assertThat(o.metadata()).contains("{\"a\":1}");
        assertThat(o.playReturnedAudio()).isFalse();
        assertThatThrownBy(() -> AudioForkOptions.builder("http://bot/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioForkOptions.builder("ws://bot/a|b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioForkOptions.builder("ws://bot/").sampleRate(22050))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioForkOptions.builder("ws://bot/").sampleRate(72000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioForkOptions.builder("ws://bot/").name("a b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioForkOptions.builder("ws://bot/").metadata("a|b"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
