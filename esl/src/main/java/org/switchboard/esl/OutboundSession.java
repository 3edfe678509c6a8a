package org.switchboard.esl;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.switchboard.esl.codec.EslFrame;
import org.switchboard.esl.event.EslEvent;

/**
 * One channel's outbound event socket: the switch connected to an {@link EslOutboundServer} when the call
 * ran the {@code socket} application. The session has sent {@code connect}; {@link #channelData()} is the
 * switch's CHANNEL_DATA reply. Commands are those of {@link EslSession}; {@code execute} with an empty uuid
 * addresses this channel.
 */
public final class OutboundSession extends EslSession {

    private volatile EslEvent channelData;

    OutboundSession(String peer, Duration commandTimeout, Duration jobTimeout, int eventQueue, SlowConsumerPolicy policy,
                    EslListener listener, EslMeters meters) {
        // no lingering lanes: one channel's events come in a few bursts per call, so a drained lane waiting for the
        // next batch spins its 50 µs in vain after nearly every burst, on every call's connection at once
        super(peer, commandTimeout, jobTimeout, eventQueue, policy, listener, meters, 0);
    }

    /** Sends {@code connect}; completes with this session once the channel data arrived. */
    CompletableFuture<OutboundSession> start() {
        return command("connect").thenApply(reply -> {
            channelData = channelData(reply.frame());
            return this;
        });
    }

    /** The CHANNEL_DATA the switch sent in reply to {@code connect}, values percent-decoded. */
    public EslEvent channelData() {
        return channelData;
    }

    /** The controlled channel's UUID. */
    public String uuid() {
        return channelData.header("Unique-ID").or(() -> channelData.header("Channel-Unique-ID")).orElse("");
    }

    /** Asks for the controlled channel's events ({@code myevents}) in the connection's current format (plain by default). */
    public CompletableFuture<EslReply> myevents() {
        return command("myevents");
    }

    /** Asks for the controlled channel's events ({@code myevents}) in a format. */
    public CompletableFuture<EslReply> myevents(EventFormat format) {
        return command("myevents " + format.keyword());
    }

    /** Keeps the socket open after hangup until the controller closes it, so the last events arrive. */
    public CompletableFuture<EslReply> linger() {
        return command("linger");
    }

    /** Lets the dialplan continue after this socket ends. */
    public CompletableFuture<EslReply> resume() {
        return command("resume");
    }

    /** Executes an application on the controlled channel; completes with its CHANNEL_EXECUTE_COMPLETE. */
    public CompletableFuture<EslEvent> execute(String application, String argument) {
        return execute("", application, argument, ExecuteOptions.DEFAULT);
    }

    private static EslEvent channelData(EslFrame frame) {
        EslEvent.Builder b = EslEvent.builder("CHANNEL_DATA");
        for (String[] h : frame.headerPairs()) {
            if (!h[0].equalsIgnoreCase("Event-Name")) {
                b.header(h[0], org.switchboard.esl.codec.PercentCoding.decode(h[1]));
            }
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "outbound session " + (channelData == null ? peer : uuid());
    }
}
