package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.testing.time.ManualScheduler;

/**
 * The server's own deadlines on virtual time, without sockets: the session timers of an answered call and the end of
 * a call whose 2xx got no ACK, with the server's scheduler a {@link ManualScheduler} from its configuration, so each
 * is checked to the millisecond. (How often the 2xx goes out again before its ACK is the SIP stack's, AckWaitTest.)
 */
class ServerDeadlinesTest {

    private static final Duration JUST_BEFORE = Duration.ofMillis(1);

    private final ManualScheduler clock = new ManualScheduler();
    private final CoreFixture fixture = new CoreFixture(DrachtioServerConfig.builder().timerScheduler(clock).build());
    private final CoreFixture.App app = fixture.app("invite");

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A call from the caller asking for {@code sessionExpires}, answered 200 by the app and ACKed; its To tag. */
    private String answeredCall(String callId, String sessionExpires) {
        CoreFixture.FakeServerTransaction invite = fixture.receive(Sip.invite(callId).replace("Content-Length: 0",
                "Supported: timer\nSession-Expires: " + sessionExpires + "\nContent-Length: 0"));
        app.sip(app.next().token(8), "", Sip.response(200, "OK"));
        assertThat(app.next().status()).isEqualTo("OK");
        String toTag = invite.last().to().tag().orElseThrow();
        fixture.core.onAck(fixture.incoming(fixture.fromCaller(Sip.inDialog("ACK", callId, toTag, 1)).request()));
        assertThat(app.sipOf(app.next()).startLine()).startsWith("ACK");
        return toTag;
    }

    private int sent(String method) {
        return fixture.network.sent(method).size();
    }

    @Test
    void aPeerThatShouldRefreshAndDoesNotGetsAByeWhenTheIntervalEnds() {
        answeredCall("t1", "90;refresher=uac");

        clock.advance(Duration.ofSeconds(90).minus(JUST_BEFORE));
        assertThat(sent("BYE")).isZero();
        clock.advance(JUST_BEFORE);

        SipRequest bye = fixture.network.sent("BYE").get(0).request();
        assertThat(bye.header("Reason")).get().asString().contains("Session timer expired");
        DrachtioFrame told = app.next();
        assertThat(app.sipOf(told).startLine()).startsWith("BYE");
    }

    @Test
    void aPeersRefreshStartsTheIntervalAgain() {
        String toTag = answeredCall("t2", "90;refresher=uac");
        clock.advance(Duration.ofSeconds(60));

        CoreFixture.FakeServerTransaction refresh = fixture.receive(Sip.inDialog("INVITE", "t2", toTag, 2)
                .replace("Content-Length: 0", "Contact: <sip:caller@127.0.0.1:5070>\nSupported: timer\n"
                        + "Session-Expires: 90;refresher=uac\nContent-Length: 0"));
        app.sip(app.next().token(8), "", Sip.response(200, "OK"));
        assertThat(app.next().status()).isEqualTo("OK");
        assertThat(refresh.lastStatus()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(90).minus(JUST_BEFORE));
        assertThat(sent("BYE")).as("90 s from the refresh, not from the call's start").isZero();
        clock.advance(JUST_BEFORE);
        assertThat(sent("BYE")).isEqualTo(1);
    }

    @Test
    void asRefresherTheServerReInvitesAtHalfTheIntervalAndRetriesAfterA491() {
        answeredCall("t3", "90;refresher=uas");

        clock.advance(Duration.ofSeconds(45).minus(JUST_BEFORE));
        assertThat(sent("INVITE")).isZero();
        clock.advance(JUST_BEFORE);
        FakeNetwork.Sent first = fixture.network.sent("INVITE").get(0);
        assertThat(first.request().header("Session-Expires")).contains("90;refresher=uac");

        first.answer(491, "caller-t3");
        clock.advance(Duration.ofSeconds(2).minus(JUST_BEFORE));
        assertThat(sent("INVITE")).isEqualTo(1);
        clock.advance(JUST_BEFORE);
        FakeNetwork.Sent retry = fixture.network.sent("INVITE").get(1);

        retry.answer(200, "caller-t3", "Session-Expires", "90;refresher=uac");
        assertThat(fixture.network.stateless).singleElement().extracting(r -> r.method()).isEqualTo("ACK");
        clock.advance(Duration.ofSeconds(45).minus(JUST_BEFORE));
        assertThat(sent("INVITE")).isEqualTo(2);
        clock.advance(JUST_BEFORE);
        assertThat(sent("INVITE")).as("the next refresh, half the interval after the last").isEqualTo(3);
        assertThat(sent("BYE")).isZero();
    }

    @Test
    void aCallWithoutASessionTimerHasNoDeadlineOnceAcked() {
        CoreFixture.FakeServerTransaction invite = fixture.receive(Sip.invite("t4"));
        app.sip(app.next().token(8), "", Sip.response(200, "OK"));
        assertThat(app.next().status()).isEqualTo("OK");
        assertThat(clock.pending()).as("the ACK wait is the network's, the park timer canceled").isZero();
        String toTag = invite.last().to().tag().orElseThrow();
        fixture.core.onAck(fixture.incoming(fixture.fromCaller(Sip.inDialog("ACK", "t4", toTag, 1)).request()));
        clock.advance(Duration.ofHours(1));
        assertThat(sent("BYE")).isZero();
    }

    @Test
    void theAckWaitRunsOnTheConfiguredSchedulerAndItsTimeoutEndsTheCallWithBye() {
        fixture.receive(Sip.invite("t5"));
        app.sip(app.next().token(8), "", Sip.response(200, "OK"));
        assertThat(app.next().status()).isEqualTo("OK");

        Map.Entry<ScheduledExecutorService, Runnable> wait = fixture.network.ackTimeouts.get(0);
        assertThat(wait.getKey()).isSameAs(clock);
        clock.execute(wait.getValue()); // what the wait runs on the scheduler after 64 T1 without an ACK
        clock.runDue();

        SipRequest bye = fixture.network.sent("BYE").get(0).request();
        assertThat(bye.header("Reason")).get().asString().contains("ACK timeout");
        assertThat(app.sipOf(app.next()).startLine()).startsWith("BYE");
    }
}
