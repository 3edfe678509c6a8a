package org.switchboard.container.sip;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.executors.SerialExecutor;
import org.switchboard.sip.media.Conference;
import org.switchboard.sip.media.ConnectedCaller;
import org.switchboard.sip.media.Endpoint;
import org.switchboard.sip.media.EndpointOptions;
import org.switchboard.sip.media.EslEvent;
import org.switchboard.sip.media.EslEventName;
import org.switchboard.sip.media.EslEventSubclass;
import org.switchboard.sip.media.JoinOptions;
import org.switchboard.sip.media.MediaException;
import org.switchboard.sip.media.MediaLoad;
import org.switchboard.sip.media.MediaServer;
import org.switchboard.sip.media.MediaServers;
import org.switchboard.sip.message.SipRequest;

/**
 * The media servers as one application sees them. What it creates belongs to the call it is made for: the call of
 * the INVITE given to {@code connectCaller}, else the call whose lane runs the application's code (or whose media
 * stage completed); that call's end destroys it, whichever side hung up. Events of the channels and conferences the
 * application created are fired to its observers (and to nobody else's) on that call's lane: every {@link EslEvent}
 * qualified by {@link EslEventName} and, for a {@code CUSTOM} one, {@link EslEventSubclass}; every digit as a
 * {@link org.switchboard.sip.media.DtmfEvent}. Something created outside any call belongs to the application,
 * which destroys it itself; its events come in order on a lane of their own.
 */
final class ApplicationMedia implements MediaServers {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationMedia.class);
    // the column of media events in a ladder
    private static final String MEDIA_PEER = "media";

    private final SipCore core;
    private final Application application;
    private final MediaServers pool;

    ApplicationMedia(SipCore core, Application application, MediaServers pool) {
        this.core = core;
        this.application = application;
        this.pool = pool;
    }

    @Override
    public List<MediaServer> servers() {
        return pool.servers().stream().map(s -> (MediaServer) new ServerView(s)).toList();
    }

    @Override
    public MediaServer select() {
        return new ServerView(pool.select());
    }

    /** The first server, as the application's default {@code MediaServer}. */
    MediaServer first() {
        return new ServerView(pool.servers().get(0));
    }

    @Override
    public CompletionStage<ConnectedCaller> connectCaller(SipRequest invite, EndpointOptions options) {
        return connectCaller(invite, () -> pool.connectCaller(invite, options));
    }

    @Override
    public CompletionStage<Endpoint> createEndpoint(EndpointOptions options) {
        return endpoint(current(), () -> pool.createEndpoint(options));
    }

    @Override
    public CompletionStage<Conference> createConference(String name, JoinOptions options) {
        return conference(() -> pool.createConference(name, options));
    }

    private CompletionStage<ConnectedCaller> connectCaller(SipRequest invite, Supplier<CompletionStage<ConnectedCaller>> connect) {
        Call call = core.pending(invite).map(in -> in.call).orElse(null);
        if (call == null) { // no media call for a caller who cannot be answered any more
            return CompletableFuture.failedFuture(new IllegalStateException(invite.method() + " " + invite.requestUriText()
                    + " already answered, canceled or timed out (or not a request the container delivered)"));
        }
        return owned(call, connect.get(), c -> adopt(call, c.endpoint()));
    }

    private CompletionStage<Endpoint> endpoint(Call call, Supplier<CompletionStage<Endpoint>> create) {
        return owned(call, create.get(), e -> adopt(call, e));
    }

    private CompletionStage<Conference> conference(Supplier<CompletionStage<Conference>> create) {
        Call call = current();
        return owned(call, create.get(), c -> {
            Executor lane = lane(call);
            c.onEvent(event -> lane.execute(() -> fire(call, event.event())));
            own(call, c::destroy, c.name());
        });
    }

    /** The call the application handles on this thread, or null. */
    private Call current() {
        return CurrentCall.of(application).map(CurrentCall::call).orElse(null);
    }

    /**
     * {@code stage}, whose result is adopted before anyone sees it, completing as the application's handling of
     * {@code call}, so that what the application chains on it is made for that call too (and sees its call scope).
     */
    private <T> CompletionStage<T> owned(Call call, CompletionStage<T> stage, java.util.function.Consumer<T> adopt) {
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, error) -> asHandling(call, () -> {
            if (error != null) {
                result.completeExceptionally(SipCore.unwrap(error));
                return;
            }
            try {
                adopt.accept(value);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            result.complete(value);
        }));
        return result;
    }

    private void adopt(Call call, Endpoint endpoint) {
        Executor lane = lane(call);
        endpoint.onEvent(event -> lane.execute(() -> fire(call, event)));
        endpoint.onDtmf(digit -> lane.execute(() -> {
            captured(call, "DTMF " + digit, "digit " + digit + " on endpoint " + endpoint.uuid());
            observe(call, () -> application.fireEvent(digit));
        }));
        captured(call, "endpoint created", "endpoint " + endpoint.uuid());
        core.media().owned(endpoint, new MediaOwner(application.name(), Optional.ofNullable(call).map(c -> c.id)));
        own(call, endpoint::destroy, endpoint.uuid());
        if (call != null) {
            endpoint.destroyed().whenComplete((cause, e) -> {
                if (e != null && SipCore.unwrap(e) instanceof MediaException.ConnectionLost) {
                    lost(call, endpoint);
                }
            });
        }
    }

    /**
     * The media server of a call's endpoint is gone (killed, or its connection cut): the caller would hear nothing
     * more and the application may never hang up (its pending operations failed), so the call ends here.
     */
    private void lost(Call call, Endpoint endpoint) {
        captured(call, "endpoint lost", "endpoint " + endpoint.uuid() + ": its media server connection was lost");
        if (core.hangUp(call.id, "media server lost")) {
            LOG.info("SBC-311 {}: call-id={} hung up, its endpoint {} lost its media server", application.name(),
                    call.id, endpoint.uuid());
        }
    }

    private void own(Call call, Supplier<CompletionStage<Void>> destroy, String what) {
        if (call == null) {
            LOG.debug("{}: {} made outside a call; the application destroys it", application.name(), what);
            return;
        }
        Runnable end = () -> destroy.get().exceptionally(e -> {
            LOG.debug("{}: {} not destroyed at the end of call {}: {}", application.name(), what, call.id, e.toString());
            return null;
        });
        if (!core.registry().addEndAction(call, end)) {
            end.run(); // the call ended while it was being made
        }
    }

    /** A media event on the call's ladder, beside its SIP messages. */
    private void captured(Call call, String label, String text) {
        if (call != null) {
            core.captures().media(call.capture, MEDIA_PEER, label, text);
        }
    }

    private Executor lane(Call call) {
        return call != null ? call::execute : new SerialExecutor(core.executor());
    }

    private void asHandling(Call call, Runnable task) {
        if (call == null) {
            task.run();
        } else {
            CurrentCall.run(core.registry(), call, application, task);
        }
    }

    private void fire(Call call, EslEvent event) {
        if (call != null) {
            StringBuilder text = new StringBuilder();
            event.headers().forEach(h -> text.append(h.name()).append(": ").append(h.value()).append('\n'));
            captured(call, event.name() + event.subclass().map(s -> " " + s).orElse(""), text.append(event.body()).toString());
        }
        Annotation name = EslEventName.Literal.of(event.name());
        Annotation[] qualifiers = event.subclass().map(s -> new Annotation[] {name, EslEventSubclass.Literal.of(s)})
                .orElseGet(() -> new Annotation[] {name});
        observe(call, () -> application.fireEvent(event, qualifiers));
    }

    /** Runs the application's observers of a media event as its handling of {@code call} (none: its own lane). */
    private void observe(Call call, Runnable observers) {
        Runnable guarded = () -> {
            try {
                observers.run();
            } catch (RuntimeException e) {
                LOG.warn("SBC-310 {}: a media event observer failed", application.name(), e);
            }
        };
        if (call == null) {
            SipCore.inApplication(application, guarded);
        } else {
            CurrentCall.run(core.registry(), call, application, guarded);
        }
    }

    /** One server as the application sees it: what it creates there is owned like what the pool creates. */
    private final class ServerView implements MediaServer {
        private final MediaServer server;

        ServerView(MediaServer server) {
            this.server = server;
        }

        @Override
        public String address() {
            return server.address();
        }

        @Override
        public boolean isConnected() {
            return server.isConnected();
        }

        @Override
        public boolean isReady() {
            return server.isReady();
        }

        @Override
        public MediaLoad load() {
            return server.load();
        }

        @Override
        public org.switchboard.sip.media.MediaServerInfo info() {
            return server.info();
        }

        @Override
        public CompletionStage<String> api(String command) {
            return server.api(command);
        }

        @Override
        public CompletionStage<Endpoint> createEndpoint(EndpointOptions options) {
            return endpoint(current(), () -> server.createEndpoint(options));
        }

        @Override
        public CompletionStage<ConnectedCaller> connectCaller(SipRequest invite, EndpointOptions options) {
            return ApplicationMedia.this.connectCaller(invite, () -> server.connectCaller(invite, options));
        }

        @Override
        public CompletionStage<Conference> createConference(String name, JoinOptions options) {
            return conference(() -> server.createConference(name, options));
        }

        /** The container owns the connection: an application cannot close it. */
        @Override
        public void close() {
            throw new UnsupportedOperationException("the container holds the media servers' connections");
        }

        @Override
        public String toString() {
            return "MediaServer[" + server.address() + "]";
        }
    }
}
