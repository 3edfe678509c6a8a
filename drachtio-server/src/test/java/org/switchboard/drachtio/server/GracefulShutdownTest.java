package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The graceful phase of the core: no new INVITE, the calls under way finish, then the shutdown completes. */
class GracefulShutdownTest {

    private final CoreFixture fixture = new CoreFixture();
    private final CoreFixture.App app = fixture.app("invite", "options");

    @AfterEach
    void close() {
        fixture.close();
    }

    /** An answered call; returns the To tag of its dialog. */
    private String answeredCall(String callId) {
        fixture.receive(Sip.invite(callId));
        app.sip(app.next().token(8), "", Sip.response(200, "OK"));
        app.next();
        return fixture.network.acksAwaited.get(fixture.network.acksAwaited.size() - 1).to().tag().orElseThrow();
    }

    @Test
    void newInvitesAreRefusedWhileTheCallsUnderWayFinish() throws Exception {
        String toTag = answeredCall("g1");
        assertThat(fixture.core.callsInFlight()).isEqualTo(1);

        CompletableFuture<Void> drained = fixture.core.shutdown();

        assertThat(fixture.core.isShutdown()).isTrue();
        CoreFixture.FakeServerTransaction refused = fixture.receive(Sip.invite("g2"));
        assertThat(refused.lastStatus()).isEqualTo(503);
        assertThat(refused.last().header("Retry-After")).contains(Integer.toString(ServerCore.RETRY_AFTER_SECONDS));
        assertThat(app.drain()).isEmpty();
        assertThat(drained).isNotDone();

        CoreFixture.FakeServerTransaction bye = fixture.receive(Sip.inDialog("BYE", "g1", toTag, 2));
        app.sip(app.next().token(8), "", Sip.response(200, "OK"));
        app.next();
        assertThat(bye.lastStatus()).isEqualTo(200);

        drained.get(5, TimeUnit.SECONDS);
        assertThat(fixture.core.callsInFlight()).isZero();
    }

    @Test
    void withNoCallUnderWayTheShutdownCompletesAtOnceAndIsIdempotent() throws Exception {
        fixture.core.shutdown().get(5, TimeUnit.SECONDS);
        fixture.core.shutdown().get(5, TimeUnit.SECONDS);
    }

    @Test
    void closingEndsTheWait() {
        answeredCall("g3");
        CompletableFuture<Void> drained = fixture.core.shutdown();

        fixture.core.close();

        assertThat(drained).isCompletedExceptionally();
    }
}
