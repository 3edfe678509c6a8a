package org.switchboard.samples.conference;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.media.Conference;
import org.switchboard.sip.media.DtmfEvent;

/** A member's keypad: {@code *} then {@code 6} mutes the member, the same again unmutes it. Runs on its endpoint's lane. */
final class MuteToggle implements Consumer<DtmfEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(MuteToggle.class);

    private final Conference conference;
    private final int memberId;
    private boolean star;
    private boolean muted;

    MuteToggle(Conference conference, int memberId) {
        this.conference = conference;
        this.memberId = memberId;
    }

    @Override
    public void accept(DtmfEvent dtmf) {
        boolean toggle = star && dtmf.digit().equals("6");
        star = dtmf.digit().equals("*");
        if (!toggle) {
            return;
        }
        muted = !muted;
        boolean mute = muted;
        (mute ? conference.mute(memberId) : conference.unmute(memberId)).whenComplete((x, e) -> {
            if (e != null) {
                LOG.debug("conference {}: member {} not {}: {}", conference.name(), memberId, mute ? "muted" : "unmuted",
                        e.toString());
            }
        });
    }
}
