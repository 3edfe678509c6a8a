package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.message.SipMessage;

/** CDRs go to an app that routes their verb, only when they are on. */
class CdrsTest {

    private static final SipMessage INVITE = SipMessage.parse(Sip.invite("cdr").replace("\n", "\r\n"));

    private final CoreFixture fixture = new CoreFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aCdrGoesToTheAppRoutingItsVerb() {
        CoreFixture.App stops = fixture.app("cdr:stop");
        CoreFixture.App attempts = fixture.app("cdr:attempt");

        new Cdrs(true, fixture.core.routes()).record("stop", "application", List.of("call-rejected"), INVITE);

        DrachtioFrame cdr = stops.next();
        assertThat(cdr.keyword()).isEqualTo("cdr:stop");
        assertThat(cdr.token(2)).isEqualTo("application");
        assertThat(cdr.token(4)).isEqualTo("call-rejected");
        assertThat(cdr.sipMessage()).contains(AppFrames.text(INVITE));
        assertThat(attempts.drain()).isEmpty();
    }

    @Test
    void noCdrWhenTheyAreOff() {
        CoreFixture.App stops = fixture.app("cdr:stop");

        new Cdrs(false, fixture.core.routes()).record("stop", "application", List.of(), INVITE);

        assertThat(stops.drain()).isEmpty();
    }
}
