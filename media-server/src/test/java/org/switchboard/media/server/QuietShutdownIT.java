package org.switchboard.media.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.EslClientConfig;
import org.switchboard.esl.EslOutboundServer;
import org.switchboard.esl.OutboundSession;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.testing.poll.Poll;

/**
 * Stopping the server with calls up is quiet: the calls' BYEs go unanswered (their phones are gone), so their
 * retransmission timers are running when the stop comes, and none of them may fire on the stopped event loops.
 */
class QuietShutdownIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Enough calls that some of their BYE retransmissions fall due while the stack closes. */
    private static final int CALLS = 20;

    @Test
    void aStopWithCallsUpLogsNoError(@TempDir Path folder) throws Exception {
        MediaServer server = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(LOOPBACK, 0))
                .esl(new InetSocketAddress(LOOPBACK, 0))
                .rtpPorts(43000, 43100)
                .sounds(folder)
                .recordings(folder)
                .sipTimers(TimerConfig.scaled(Duration.ofMillis(10)))
                .build());
        BlockingQueue<OutboundSession> sessions = new LinkedBlockingQueue<>();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        try (EslOutboundServer controller = EslOutboundServer.start(new InetSocketAddress(LOOPBACK, 0),
                EslClientConfig.builder().build(), s -> e -> { }, sessions::add)) {
            List<SipPhone> phones = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                SipPhone phone = new SipPhone(server.sipAddress());
                phones.add(phone);
                assertThat(phone.invite(Map.of("User-Agent", "drachtio-fsmrf:" + i,
                        "X-esl-outbound", "127.0.0.1:" + controller.address().getPort()),
                        SipPhone.sdp(9, "0 101")).status()).isEqualTo(200);
                phone.ack(phone.lastInviteSeq(), null);
                OutboundSession session = sessions.poll(5, TimeUnit.SECONDS);
                assertThat(session).as("call " + i + "'s event socket").isNotNull();
                session.execute("playback", "tone_stream://%(60000,0,440)");
            }
            Poll.await(Duration.ofSeconds(5), "the calls up", () -> server.channelCount() == CALLS);
            phones.forEach(SipPhone::close); // nobody answers the BYEs: they are retransmitted until the stop
            logged.start();
            root.addAppender(logged);
            server.close();
            // the BYEs' retransmissions (every 10 ms, then longer) would have fired within this window
            Poll.holds(Duration.ofSeconds(2), "nothing logged at ERROR after the stop", () -> logged.list.stream()
                    .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)));
        } finally {
            root.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }
}
