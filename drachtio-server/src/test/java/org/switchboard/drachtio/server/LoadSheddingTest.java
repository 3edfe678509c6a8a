package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.executors.LoadShedder;

/**
 * The core with a load shedder that refuses every new call (a backlog kept a second old on the shedder's own clock):
 * new INVITEs get 503 with Retry-After before any app sees them; the calls under way (their BYE), a CANCEL and
 * other methods go on; once the shedder takes calls again, so does the core.
 */
class LoadSheddingTest {

    private final AtomicLong now = new AtomicLong(10_000_000_000L);
    private final AtomicLong oldest = new AtomicLong(LoadShedder.Backlog.NOTHING);
    private final LoadShedder shedder = new LoadShedder(new LoadShedder.Settings(Duration.ofMillis(200), Duration.ofMillis(50),
            Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofSeconds(7)), now::get);
    private final CoreFixture fixture = new CoreFixture(DrachtioServerConfig.builder().loadShedder(shedder).build());
    private final CoreFixture.App app = fixture.app("invite", "options");

    LoadSheddingTest() {
        shedder.watch(oldest::get);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private void overloaded() {
        for (int i = 0; i < 40 && shedder.admittedShare() > 0; i++) {
            now.addAndGet(Duration.ofMillis(50).toNanos());
            oldest.set(now.get() - Duration.ofSeconds(1).toNanos());
            if (!shedder.overloaded()) {
                shedder.admit(); // calls keep coming until shedding starts
            }
            shedder.evaluate();
        }
        assertThat(shedder.admittedShare()).isZero();
    }

    private String answeredCall(String callId) {
        fixture.receive(Sip.invite(callId));
        app.sip(app.next().token(8), "", Sip.response(200, "OK"));
        app.next();
        return fixture.network.acksAwaited.get(fixture.network.acksAwaited.size() - 1).to().tag().orElseThrow();
    }

    @Test
    void newInvitesAreRefusedBeforeAnyAppSeesThemWhileTheCallsUnderWayGoOn() {
        String toTag = answeredCall("s1");
        CoreFixture.FakeServerTransaction parked = fixture.receive(Sip.invite("s2"));
        String parkedTxn = app.next().token(8);
        overloaded();

        CoreFixture.FakeServerTransaction refused = fixture.receive(Sip.invite("s3"));
        assertThat(refused.lastStatus()).isEqualTo(503);
        assertThat(refused.last().header("Retry-After")).contains("7");
        assertThat(app.drain()).as("the app never saw it").isEmpty();
        assertThat(shedder.counters().shed()).isEqualTo(1);

        // the caller of the parked INVITE gives up: its CANCEL is handled, not shed
        CoreFixture.FakeServerTransaction cancel = fixture.fromCaller(Sip.cancel("s2"));
        fixture.core.onCancel(cancel, Optional.of(parked));
        assertThat(cancel.lastStatus()).isEqualTo(200);
        assertThat(parked.lastStatus()).isEqualTo(487);
        assertThat(app.next().token(8)).isEqualTo(parkedTxn);

        // the answered call ends normally: its BYE reaches the app
        CoreFixture.FakeServerTransaction bye = fixture.receive(Sip.inDialog("BYE", "s1", toTag, 2));
        app.sip(app.next().token(8), "", Sip.response(200, "OK"));
        app.next();
        assertThat(bye.lastStatus()).isEqualTo(200);
        assertThat(shedder.counters().shed()).isEqualTo(1);
    }

    @Test
    void onceTheShedderTakesCallsAgainSoDoesTheCore() {
        overloaded();
        assertThat(fixture.receive(Sip.invite("s4")).lastStatus()).isEqualTo(503);

        oldest.set(LoadShedder.Backlog.NOTHING);
        while (shedder.overloaded()) {
            now.addAndGet(Duration.ofMillis(50).toNanos());
            shedder.evaluate();
        }
        fixture.receive(Sip.invite("s5"));
        assertThat(app.sipOf(app.next()).startLine()).startsWith("INVITE");
    }
}
