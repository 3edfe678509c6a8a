package org.switchboard.sip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MediaOptionsTest {

    @Test
    void playCollectHasFsmrfsDefaults() {
        PlayCollectOptions o = PlayCollectOptions.builder("prompt.wav").build();
        assertThat(o.minDigits()).isZero();
        assertThat(o.maxDigits()).isEqualTo(128);
        assertThat(o.tries()).isEqualTo(1);
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(o.digitTimeout()).isEqualTo(Duration.ofSeconds(8));
        assertThat(o.terminators()).isEqualTo("#");
        assertThat(o.invalidFile()).isEqualTo("silence_stream://250");
        assertThat(o.variable()).isEqualTo("myDigitBuffer");
        assertThat(o.pattern()).isEqualTo("\\d+");
    }

    @Test
    void badOptionsAreRefusedWithTheFieldAndUnit() {
        assertThatThrownBy(() -> PlayCollectOptions.builder("a b.wav")).hasMessageContaining("file");
        assertThatThrownBy(() -> PlayCollectOptions.builder("p.wav").digits(3, 2)).hasMessageContaining("min 3, max 2");
        assertThatThrownBy(() -> PlayCollectOptions.builder("p.wav").terminators("x")).hasMessageContaining("terminators");
        assertThatThrownBy(() -> PlayCollectOptions.builder("p.wav").timeout(Duration.ZERO)).hasMessageContaining("timeout must be at least 1 ms");
        assertThatThrownBy(() -> PlayOptions.builder().build()).hasMessageContaining("files");
        assertThatThrownBy(() -> PlayOptions.of("a!b")).hasMessageContaining("'!'");
        assertThatThrownBy(() -> PlayOptions.builder().file("a").timeout(Duration.ofMillis(500))).hasMessageContaining("500 ms");
        assertThatThrownBy(() -> RecordOptions.builder().silence(0, 3)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new MediaLoad(-1, 0, 0)).hasMessageContaining("negative");
    }

    @Test
    void valuesAreImmutable() {
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        headers.put("X-A", "1");
        EndpointOptions options = new EndpointOptions(java.util.Optional.empty(), headers);
        headers.put("X-B", "2");
        assertThat(options.headers()).containsOnlyKeys("X-A");
        assertThat(options.withHeader("X-C", "3").headers()).containsOnlyKeys("X-A", "X-C");
        EslEvent event = new EslEvent("CUSTOM", java.util.Optional.of("conference::maintenance"),
                java.util.List.of(new EslEvent.Header("Action", "add-member"), new EslEvent.Header("variable_x", "1")), "");
        assertThat(event.header("action")).contains("add-member");
        assertThat(event.variable("x")).contains("1");
        assertThatThrownBy(() -> event.headers().add(new EslEvent.Header("a", "b"))).isInstanceOf(UnsupportedOperationException.class);
    }
}
