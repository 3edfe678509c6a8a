package org.switchboard.esl;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.esl.codec.EslFrameDecoder;
import org.switchboard.testing.poll.Poll;

/** Command latency by verb and outcome, on a session over an embedded channel: replies are fed in, no socket. */
class EslMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OutboundSession session = new OutboundSession("test", Duration.ofSeconds(10), Duration.ofSeconds(10), 100,
            SlowConsumerPolicy.DROP, event -> { }, new EslMeters(registry));
    private final EmbeddedChannel channel = new EmbeddedChannel(new EslFrameDecoder(), session.new Handler());

    EslMetersTest() {
        session.channel = channel;
    }

    @AfterEach
    void close() {
        session.close();
        channel.finishAndReleaseAll();
    }

    private void reply(String frame) {
        channel.writeInbound(Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8));
    }

    private long count(String command, String outcome) {
        var timer = registry.find("esl.commands").tag("command", command).tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void repliesAreCountedByVerbAndOutcome() {
        session.api("status");
        session.command("filter Unique-ID abc");
        session.command("event plain CHANNEL_ANSWER");
        reply("Content-Type: api/response\nContent-Length: 5\n\nUP 1\n");
        reply("Content-Type: command/reply\nReply-Text: -ERR no such header\n\n");
        reply("Content-Type: command/reply\nReply-Text: +OK event listener enabled plain\n\n");

        assertThat(count("api", "ok")).isEqualTo(1);
        assertThat(count("filter", "error")).isEqualTo(1);
        assertThat(count("event", "ok")).isEqualTo(1);
        assertThat(count("filter", "ok")).isZero();
    }

    @Test
    void aTimedOutCommandIsCountedOnceEvenWhenItsReplyComesLate() throws Exception {
        session.command("sendmsg abc", Map.of("call-command", "hangup"), "", Duration.ofMillis(20));
        Poll.await(Duration.ofSeconds(5), "the deadline fired", () -> count("sendmsg", "timeout") == 1);
        reply("Content-Type: command/reply\nReply-Text: +OK\n\n");
        assertThat(count("sendmsg", "ok")).as("the late reply is not a second outcome").isZero();
        assertThat(registry.get("esl.commands").tag("command", "sendmsg").timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(20);
    }

    @Test
    void commandsPendingWhenTheConnectionCloseAreCountedClosedAndUnknownVerbsShareOneLabel() {
        session.command("frobnicate now");
        channel.close();
        assertThat(count("other", "closed")).isEqualTo(1);
        assertThat(EslMeters.verb("api")).isEqualTo(EslMeters.verb("api status"));
        assertThat(EslMeters.verb("apis")).as("a verb is a whole word").isEqualTo(EslMeters.verb("frobnicate"));
    }
}
