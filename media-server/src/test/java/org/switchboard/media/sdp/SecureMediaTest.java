package org.switchboard.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecureMediaTest {

    @Test
    void freeSwitchsPermissionsAndTheirSynonyms() {
        assertThat(SecureMedia.parse("default")).isEqualTo(SecureMedia.DEFAULT);
        assertThat(SecureMedia.parse("optional")).isEqualTo(SecureMedia.DEFAULT);
        assertThat(SecureMedia.parse("Mandatory")).isEqualTo(SecureMedia.MANDATORY);
        assertThat(SecureMedia.parse("true")).isEqualTo(SecureMedia.MANDATORY);
        assertThat(SecureMedia.parse(" forbidden ")).isEqualTo(SecureMedia.FORBIDDEN);
        assertThat(SecureMedia.parse("false")).isEqualTo(SecureMedia.FORBIDDEN);
        assertThatThrownBy(() -> SecureMedia.parse("mandatory:AES_CM_128_HMAC_SHA1_80"))
                .hasMessageContaining("suites");
        assertThatThrownBy(() -> SecureMedia.parse("yes")).hasMessageContaining("'yes'");
    }

    @Test
    void eachPermissionRefusesOnlyWhatItMust() {
        assertThat(SecureMedia.DEFAULT.refusal("RTP/SAVP")).isEmpty();
        assertThat(SecureMedia.DEFAULT.refusal("RTP/AVP")).isEmpty();
        assertThat(SecureMedia.MANDATORY.refusal("RTP/SAVP")).isEmpty();
        assertThat(SecureMedia.MANDATORY.refusal("RTP/AVP")).hasValueSatisfying(w -> assertThat(w).contains("mandatory"));
        assertThat(SecureMedia.FORBIDDEN.refusal("RTP/AVP")).isEmpty();
        assertThat(SecureMedia.FORBIDDEN.refusal("RTP/SAVP")).hasValueSatisfying(w -> assertThat(w).contains("forbidden"));
    }
}
