package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.testing.time.ManualScheduler;

/** The per-source rate limit and the spammer rules, each checked once per request in the mode it refuses with. */
class AdmissionTest {

    private final ManualScheduler timer = new ManualScheduler();
    private final CoreFixture fixture = new CoreFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private Admission admission(SpammerRules spammers, RateLimit limit) {
        return new Admission(spammers, Optional.ofNullable(limit), timer, () -> timer.elapsed().toNanos());
    }

    private IncomingMessage request(String sip) {
        return fixture.incoming(SipMessage.parse(sip.replace("\n", "\r\n")));
    }

    private static SipRequest sip(IncomingMessage m) {
        return (SipRequest) m.message();
    }

    @Test
    void aSourceOverItsRateIsRefusedUntilItsBucketRefills() {
        Admission admission = admission(SpammerRules.NONE, new RateLimit(2, 3, RefusalMode.REJECT));
        IncomingMessage invite = request(Sip.invite("r1"));

        for (int i = 0; i < 3; i++) {
            assertThat(admission.drops(invite)).as("reject mode drops nothing").isFalse();
            assertThat(admission.rejection(invite, sip(invite))).as("request %d of the burst", i + 1).isEmpty();
        }
        assertThat(admission.rejection(invite, sip(invite))).contains(new Admission.Refusal("rate-limit", 503));
        timer.advance(java.time.Duration.ofMillis(500)); // one token back at 2/s
        assertThat(admission.rejection(invite, sip(invite))).isEmpty();
        assertThat(admission.rejection(invite, sip(invite))).isPresent();
        assertThat(admission.refused("rate-limit", RefusalMode.REJECT)).isEqualTo(2);
        assertThat(admission.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void inDialogRequestsAckAndCancelAreNeverLimitedAndIdleSourcesAreForgotten() {
        Admission admission = admission(SpammerRules.NONE, new RateLimit(1, 1, RefusalMode.DISCARD));
        IncomingMessage invite = request(Sip.invite("r2"));

        assertThat(admission.drops(invite)).isFalse();
        assertThat(admission.drops(invite)).isTrue();
        for (String sip : List.of(Sip.inDialog("BYE", "r2", "t", 2), Sip.inDialog("INFO", "r2", "t", 3), Sip.cancel("r2"))) {
            assertThat(admission.drops(request(sip))).as(sip).isFalse();
        }
        assertThat(admission.refused("rate-limit", RefusalMode.DISCARD)).isEqualTo(1);
        assertThat(admission.sources()).isEqualTo(1);
        timer.advance(java.time.Duration.ofSeconds(60));
        assertThat(admission.sources()).isZero();
    }

    @Test
    void spammersAreRejected603OrDroppedByTheirTransportsMode() {
        SpammerRules rules = new SpammerRules(Map.of("user-agent", List.of("friendly-scanner"), "To", List.of("servi")),
                RefusalMode.DISCARD, RefusalMode.REJECT);
        Admission admission = admission(rules, null);
        IncomingMessage spam = request(Sip.invite("s1")); // To: sip:service@...

        assertThat(admission.drops(spam)).as("over UDP: discard").isTrue();
        assertThat(rules.mode(org.switchboard.sip.stack.transport.Transport.TCP)).isEqualTo(RefusalMode.REJECT);
        assertThat(admission.rejection(spam, sip(spam))).as("in reject mode over UDP nothing is checked").isEmpty();
        IncomingMessage scanner = request(Sip.invite("s2").replace("To: <sip:service@", "To: <sip:bob@")
                .replace("Max-Forwards: 70", "Max-Forwards: 70\nUser-Agent: friendly-scanner 1.0"));
        assertThat(admission.drops(scanner)).isTrue();
        IncomingMessage caller = request(Sip.invite("s3").replace("To: <sip:service@", "To: <sip:bob@"));
        assertThat(admission.drops(caller)).isFalse();
        assertThat(admission.refused("spammer", RefusalMode.DISCARD)).isEqualTo(2);

        Admission rejecting = admission(new SpammerRules(rules.values(), RefusalMode.REJECT, RefusalMode.REJECT), null);
        assertThat(rejecting.drops(spam)).isFalse();
        assertThat(rejecting.rejection(spam, sip(spam))).contains(new Admission.Refusal("spammer", 603));
    }
}
