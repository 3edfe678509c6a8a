package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipRequest;

/** RFC 4028 as the server runs it for apps: the 422 below Min-SE and the Session-Expires it adds to an app's 2xx. */
class SessionTimersTest {

    private final CoreFixture fixture = new CoreFixture();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close() {
        timer.shutdownNow();
        fixture.close();
    }

    private SessionTimers timers(String defaultRefresher) {
        return new SessionTimers(new AppDialogs(fixture.network, new Cdrs(false, new RouteTable()), timer), fixture.network,
                timer, 90, defaultRefresher);
    }

    private static String withHeaders(String sip, String... lines) {
        return sip.replace("Content-Length: 0", String.join("\n", lines) + "\nContent-Length: 0");
    }

    @Test
    void aReInviteBelowTheMinimumIsAnswered422WithMinSe() {
        CoreFixture.FakeServerTransaction reinvite = fixture.fromCaller(withHeaders(
                Sip.inDialog("INVITE", "s1", "ours", 2), "Session-Expires: 30"));

        assertThat(timers("uac").rejectTooSmall(reinvite)).isTrue();

        assertThat(reinvite.lastStatus()).isEqualTo(422);
        assertThat(reinvite.last().header("Min-SE")).contains("90");
    }

    @Test
    void anIntervalAtTheMinimumAndOtherMethodsPass() {
        CoreFixture.FakeServerTransaction enough = fixture.fromCaller(withHeaders(
                Sip.inDialog("INVITE", "s2", "ours", 2), "Session-Expires: 90"));
        CoreFixture.FakeServerTransaction info = fixture.fromCaller(withHeaders(
                Sip.inDialog("INFO", "s2", "ours", 3), "Session-Expires: 30"));

        assertThat(timers("uac").rejectTooSmall(enough)).isFalse();
        assertThat(timers("uac").rejectTooSmall(info)).isFalse();
        assertThat(enough.responses).isEmpty();
        assertThat(info.responses).isEmpty();
    }

    @Test
    void theAppsTwoHundredGetsTheAskedIntervalWithTheRefresherOrTheDefault() {
        SipRequest asked = fixture.fromCaller(withHeaders(Sip.invite("s3"), "Supported: timer",
                "Session-Expires: 60;refresher=uas")).request();
        SipRequest askedWithout = fixture.fromCaller(withHeaders(Sip.invite("s4"), "Session-Expires: 1800")).request();
        SipRequest notAsked = fixture.fromCaller(Sip.invite("s5")).request();
        AppSipMessage plain = AppSipMessage.parse("SIP/2.0 200 OK\r\n\r\n", Set.of());
        AppSipMessage ownHeader = AppSipMessage.parse("SIP/2.0 200 OK\r\nSession-Expires: 600\r\n\r\n", Set.of());

        assertThat(timers("uac").headerFor2xx(asked, plain)).contains("90;refresher=uas");
        assertThat(timers("uac").headerFor2xx(askedWithout, plain)).contains("1800;refresher=uac");
        assertThat(timers("none").headerFor2xx(askedWithout, plain)).isEmpty();
        assertThat(timers("uac").headerFor2xx(notAsked, plain)).isEmpty();
        assertThat(timers("uac").headerFor2xx(asked, ownHeader)).isEmpty();
        assertThat(SessionTimers.supportsTimer(asked)).isTrue();
        assertThat(SessionTimers.supportsTimer(notAsked)).isFalse();
    }
}
