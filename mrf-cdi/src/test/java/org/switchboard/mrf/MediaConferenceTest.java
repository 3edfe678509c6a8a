package org.switchboard.mrf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.media.ConferenceMember;

class MediaConferenceTest {

    @Test
    void theMemberListLeavesOutTheControlLegAndWhatIsNoMember() {
        String body = "7;sofia/drachtio_mrf/drachtio@127.0.0.1;ch-b;drachtio;drachtio;hear|speak;0;0;100;0\n"
                + "2;sofia/drachtio_mrf/drachtio@127.0.0.1;leg;drachtio;drachtio;hear;0;0;100;0\n"
                + "5;sofia/drachtio_mrf/drachtio@127.0.0.1;ch-a;;;hear|speak;0;0;100;0\n"
                + "\n";

        assertThat(MediaConference.parseList(body, "conf", "leg")).containsExactly(
                new ConferenceMember(5, "conf", "ch-a"), new ConferenceMember(7, "conf", "ch-b"));
        assertThat(MediaConference.parseList("-ERR Conference x not found\n", "conf", "leg")).isEmpty();
    }
}
