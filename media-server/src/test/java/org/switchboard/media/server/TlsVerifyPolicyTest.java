package org.switchboard.media.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** sofia's {@code tls-verify-policy} values, alone and joined by {@code |}. */
class TlsVerifyPolicyTest {

    @Test
    void readsSofiasWords() {
        assertThat(TlsVerifyPolicy.parse("none")).isEqualTo(TlsVerifyPolicy.NONE);
        assertThat(TlsVerifyPolicy.parse("in")).isEqualTo(new TlsVerifyPolicy(true, false, false, false));
        assertThat(TlsVerifyPolicy.parse("out")).isEqualTo(new TlsVerifyPolicy(false, true, false, false));
        assertThat(TlsVerifyPolicy.parse("ALL")).isEqualTo(new TlsVerifyPolicy(true, true, false, false));
        assertThat(TlsVerifyPolicy.parse("subjects_in")).isEqualTo(new TlsVerifyPolicy(true, false, true, false));
        assertThat(TlsVerifyPolicy.parse("subjects_in|out")).isEqualTo(new TlsVerifyPolicy(true, true, true, false));
        assertThat(TlsVerifyPolicy.parse("subjects_all")).isEqualTo(new TlsVerifyPolicy(true, true, true, true));
        assertThat(TlsVerifyPolicy.parse("in | none")).isEqualTo(TlsVerifyPolicy.parse("in"));
    }

    @Test
    void printsAsSofiaWouldReadIt() {
        for (String value : new String[] {"none", "in", "out", "in|out", "subjects_in", "subjects_in|out",
                "subjects_in|subjects_out"}) {
            assertThat(TlsVerifyPolicy.parse(TlsVerifyPolicy.parse(value).toString()))
                    .isEqualTo(TlsVerifyPolicy.parse(value));
        }
        assertThat(TlsVerifyPolicy.parse("all")).hasToString("in|out");
        assertThat(TlsVerifyPolicy.NONE.verifies()).isFalse();
        assertThat(TlsVerifyPolicy.parse("out").verifies()).isTrue();
    }

    @Test
    void refusesOtherWordsAndSubjectChecksAlone() {
        assertThatThrownBy(() -> TlsVerifyPolicy.parse("in,out")).hasMessageContaining("'in,out' is not one of none");
        assertThatThrownBy(() -> new TlsVerifyPolicy(false, false, true, false))
                .hasMessageContaining("a subject check needs the certificate check of the same direction");
    }
}
