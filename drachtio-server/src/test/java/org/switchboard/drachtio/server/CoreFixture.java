package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.Transport;

/**
 * A {@link ServerCore} without sockets: a {@link FakeNetwork}, server transactions made by hand from SIP text, and
 * apps as {@link AppConnection}s on {@link EmbeddedChannel}s whose frames the test reads.
 */
final class CoreFixture implements AutoCloseable {

    static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5060);
    static final InetSocketAddress CALLER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5070);
    static final String SECRET = "cymru";

    final FakeNetwork network = new FakeNetwork(LOCAL);
    final ServerCore core;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    CoreFixture() {
        this(DrachtioServerConfig.builder().build());
    }

    CoreFixture(DrachtioServerConfig config) {
        core = new ServerCore(config, network);
    }

    /** An authenticated app that routes {@code verbs}. */
    App app(String... verbs) {
        App app = new App(new AppConnection(core, SECRET));
        channels.add(app.channel);
        app.channel.writeInbound(DrachtioFrame.of("a-1", "authenticate", SECRET, ""));
        assertThat(app.next().status()).isEqualTo("OK");
        for (String verb : verbs) {
            app.channel.writeInbound(DrachtioFrame.of("r-" + verb, "route", verb));
            assertThat(app.next().status()).isEqualTo("OK");
        }
        return app;
    }

    /** A request from the caller, in a server transaction that records the responses. */
    FakeServerTransaction fromCaller(String sip) {
        return new FakeServerTransaction((SipRequest) SipMessage.parse(sip.replace("\n", "\r\n")), this);
    }

    IncomingMessage incoming(SipMessage message) {
        EmbeddedChannel ch = new EmbeddedChannel();
        channels.add(ch);
        return IncomingMessage.received(message, Transport.UDP, CALLER, LOCAL, ch);
    }

    /** A request from the caller delivered to the core, as the transaction layer would. */
    FakeServerTransaction receive(String sip) {
        FakeServerTransaction tx = fromCaller(sip);
        core.onRequest(tx);
        return tx;
    }

    @Override
    public void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        core.close();
    }

    /** An app's connection: frames in through the handler, frames out read from the channel. */
    static final class App {
        final AppConnection connection;
        final EmbeddedChannel channel;

        App(AppConnection connection) {
            this.connection = connection;
            this.channel = new EmbeddedChannel(connection);
        }

        /** Writes a {@code sip} frame; returns its id. */
        String sip(String txnId, String dialogId, String sip) {
            String id = AppConnection.newId();
            channel.writeInbound(DrachtioFrame.of(id, "sip", txnId, dialogId).withSipMessage(sip.replace("\n", "\r\n")));
            return id;
        }

        void write(DrachtioFrame frame) {
            channel.writeInbound(frame);
        }

        /** The next frame the server wrote to this app. */
        DrachtioFrame next() {
            channel.runPendingTasks();
            DrachtioFrame frame = channel.readOutbound();
            assertThat(frame).as("a frame to the app").isNotNull();
            return frame;
        }

        /** The frames written so far, none left. */
        List<DrachtioFrame> drain() {
            channel.runPendingTasks();
            List<DrachtioFrame> frames = new ArrayList<>();
            for (DrachtioFrame f; (f = channel.readOutbound()) != null; ) {
                frames.add(f);
            }
            return frames;
        }

        SipMessage sipOf(DrachtioFrame frame) {
            return SipMessage.parse(frame.sipMessage().orElseThrow());
        }

        void disconnect() {
            channel.close();
            channel.runPendingTasks();
        }
    }

    /** A server transaction that records the responses sent in it. */
    static final class FakeServerTransaction implements ServerTransaction {
        private final SipRequest request;
        private final IncomingMessage incoming;
        final List<SipResponse> responses = new CopyOnWriteArrayList<>();

        FakeServerTransaction(SipRequest request, CoreFixture fixture) {
            this.request = request;
            this.incoming = fixture.incoming(request);
        }

        @Override
        public SipRequest request() {
            return request;
        }

        @Override
        public IncomingMessage incoming() {
            return incoming;
        }

        @Override
        public CompletableFuture<Void> respond(SipResponse response) {
            if (hasFinalResponse()) {
                throw new IllegalStateException("already answered");
            }
            responses.add(response);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean hasFinalResponse() {
            return responses.stream().anyMatch(r -> r.status() >= 200);
        }

        SipResponse last() {
            assertThat(responses).as("responses to " + request.method()).isNotEmpty();
            return responses.get(responses.size() - 1);
        }

        int lastStatus() {
            return last().status();
        }
    }
}
