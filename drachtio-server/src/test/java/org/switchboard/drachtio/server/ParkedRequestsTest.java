package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.time.ManualScheduler;

/**
 * A request an app never answers is answered for it when the park time ends, and forgotten; on virtual time, so a
 * slow test thread cannot let the park time end before the app's answer.
 */
class ParkedRequestsTest {

    private static final Duration PARK = Duration.ofMillis(100);

    private final ManualScheduler clock = new ManualScheduler();
    private final CoreFixture fixture = new CoreFixture(DrachtioServerConfig.builder()
            .parkTimeout(PARK).timerScheduler(clock).build());
    private final CoreFixture.App app = fixture.app("invite");

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void anUnansweredInviteGets408AtTheEndOfItsParkTime() throws InterruptedException {
        CoreFixture.FakeServerTransaction invite = fixture.receive(Sip.invite("p1"));
        String txnId = app.next().token(8);

        clock.advance(PARK.minusMillis(1));
        assertThat(invite.hasFinalResponse()).as("still parked").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(Poll.until(Duration.ofSeconds(5), invite::hasFinalResponse)).as("answered for the app").isTrue();
        assertThat(invite.lastStatus()).isEqualTo(408);
        assertThat(fixture.core.registries().empty()).isTrue();

        app.sip(txnId, "", Sip.response(200, "OK")); // too late
        assertThat(app.next().status()).isEqualTo("NOK");
        assertThat(invite.responses).hasSize(1);
    }

    @Test
    void anUnansweredByeIsConfirmedWith200() throws InterruptedException {
        fixture.receive(Sip.invite("p2"));
        app.sip(app.next().token(8), "", Sip.response(200, "OK"));
        app.next();
        String toTag = fixture.network.acksAwaited.get(0).to().tag().orElseThrow();

        CoreFixture.FakeServerTransaction bye = fixture.receive(Sip.inDialog("BYE", "p2", toTag, 2));
        clock.advance(PARK);

        assertThat(Poll.until(Duration.ofSeconds(5), bye::hasFinalResponse)).as("answered for the app").isTrue();
        assertThat(bye.lastStatus()).isEqualTo(200);
        assertThat(fixture.core.registries().empty()).isTrue();
    }
}
