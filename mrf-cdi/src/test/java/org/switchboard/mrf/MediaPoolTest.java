package org.switchboard.mrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.app.Dialog;
import org.switchboard.sip.media.Conference;
import org.switchboard.sip.media.ConnectedCaller;
import org.switchboard.sip.media.Endpoint;
import org.switchboard.sip.media.EndpointOptions;
import org.switchboard.sip.media.JoinOptions;
import org.switchboard.sip.media.MediaException;
import org.switchboard.sip.media.MediaLoad;
import org.switchboard.sip.media.MediaServer;
import org.switchboard.sip.message.SipRequest;

class MediaPoolTest {

    /** A server whose creations complete as the test says. */
    static final class FakeServer implements MediaServer {
        final String address;
        volatile boolean connected = true;
        volatile boolean ready = true;
        volatile int sessions;
        final List<CompletableFuture<Endpoint>> creations = new ArrayList<>();

        FakeServer(String address, int sessions) {
            this.address = address;
            this.sessions = sessions;
        }

        @Override
        public String address() {
            return address;
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public boolean isReady() {
            return connected && ready;
        }

        @Override
        public org.switchboard.sip.media.MediaServerInfo info() {
            throw new UnsupportedOperationException();
        }

        @Override
        public MediaLoad load() {
            return new MediaLoad(sessions, 100, 0);
        }

        @Override
        public CompletionStage<String> api(String command) {
            return CompletableFuture.completedFuture("");
        }

        @Override
        public synchronized CompletionStage<Endpoint> createEndpoint(EndpointOptions options) {
            CompletableFuture<Endpoint> f = new CompletableFuture<>();
            creations.add(f);
            return f;
        }

        @Override
        public CompletionStage<ConnectedCaller> connectCaller(SipRequest invite, EndpointOptions options) {
            throw new UnsupportedOperationException("the pool connects callers itself");
        }

        @Override
        public CompletionStage<Conference> createConference(String name, JoinOptions options) {
            return CompletableFuture.failedFuture(new MediaException("conference " + name + " exists"));
        }

        @Override
        public void close() {
        }
    }

    static Endpoint endpoint(String uuid) {
        return endpoint(uuid, new CompletableFuture<>());
    }

    /** An endpoint whose channel ends when {@code destroyed} completes. */
    static Endpoint endpoint(String uuid, CompletableFuture<String> destroyed) {
        return (Endpoint) Proxy.newProxyInstance(Endpoint.class.getClassLoader(), new Class<?>[] {Endpoint.class},
                (p, m, a) -> switch (m.getName()) {
                    case "uuid", "toString" -> uuid;
                    case "destroyed" -> destroyed;
                    case "localSdp" -> "v=0 " + uuid;
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** Answers and rejects as told, recording what it did. */
    static final class FakeSignaling implements MediaSignaling {
        final List<String> done = new ArrayList<>();

        @Override
        public CompletionStage<MediaCall> invite(String requestUri, java.util.Map<String, String> headers,
                                                 java.util.Optional<String> sdp) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Dialog> answer(SipRequest invite, String sdp) {
            done.add("answer " + sdp);
            return CompletableFuture.failedFuture(new IllegalStateException("the caller is gone"));
        }

        @Override
        public void reject(SipRequest invite, int status, String reason) {
            done.add("reject " + status);
        }
    }

    final FakeServer a = new FakeServer("a:8021", 5);
    final FakeServer b = new FakeServer("b:8021", 2);
    final FakeServer c = new FakeServer("c:8021", 2);
    final FakeSignaling signaling = new FakeSignaling();
    final MediaPool pool = new MediaPool(List.of(a, b, c), signaling);

    @Test
    void theLeastLoadedConnectedServerIsSelectedConfigurationOrderBreakingTies() {
        assertThat(pool.select()).isSameAs(b);
        b.connected = false;
        assertThat(pool.select()).isSameAs(c);
        c.sessions = 9;
        assertThat(pool.select()).isSameAs(a);
        a.connected = false;
        c.connected = false;
        assertThatThrownBy(pool::select).isInstanceOf(MediaException.class).hasMessageContaining("no media server is connected");
    }

    @Test
    void aServerThatIsNotReadyIsTriedOnlyAfterTheReadyOnes() throws Exception {
        b.ready = false;
        assertThat(pool.candidates()).containsExactly(c, a, b);
        assertThat(pool.select()).isSameAs(c);
        CompletableFuture<Endpoint> made = pool.createEndpoint(EndpointOptions.NONE).toCompletableFuture();
        c.creations.get(0).completeExceptionally(new MediaException("down"));
        a.creations.get(0).completeExceptionally(new MediaException("down"));
        assertThat(b.creations).as("the draining server is the last resort").hasSize(1);
        Endpoint e = endpoint("on-b");
        b.creations.get(0).complete(e);
        assertThat(made.get(1, TimeUnit.SECONDS)).isSameAs(e);
    }

    @Test
    void endpointsBeingMadeCountAsLoadUntilTheyAreDone() {
        pool.createEndpoint(EndpointOptions.NONE);
        assertThat(b.creations).hasSize(1);
        assertThat(pool.select()).isSameAs(c); // b: 2 sessions + 1 being made
        b.creations.get(0).complete(endpoint("e1"));
        assertThat(pool.select()).isSameAs(b);
    }

    @Test
    void theEndpointsUpCountAsLoadUntilDestroyedWhenTheServersReportIsOlder() {
        FakeServer x = new FakeServer("x:8021", 0);
        FakeServer y = new FakeServer("y:8021", 0);
        MediaPool two = new MediaPool(List.of(x, y), signaling);
        CompletableFuture<String> first = new CompletableFuture<>();
        two.createEndpoint(EndpointOptions.NONE);
        x.creations.get(0).complete(endpoint("x1", first));
        assertThat(two.select()).as("x has one up, its report says none yet").isSameAs(y);
        two.createEndpoint(EndpointOptions.NONE);
        y.creations.get(0).complete(endpoint("y1"));
        two.createEndpoint(EndpointOptions.NONE);
        assertThat(x.creations).hasSize(2);
        x.creations.get(1).complete(endpoint("x2"));
        first.complete("NORMAL_CLEARING");
        assertThat(two.select()).as("x: 1 up after a destroy, y: 1").isSameAs(x);
        y.sessions = 5;
        assertThat(two.select()).as("a report higher than what the pool knows of wins").isSameAs(x);
        x.sessions = 7;
        assertThat(two.select()).isSameAs(y);
    }

    @Test
    void aServerSideFailureFailsOverToTheNextServer() throws Exception {
        CompletableFuture<Endpoint> made = pool.createEndpoint(EndpointOptions.NONE).toCompletableFuture();
        b.creations.get(0).completeExceptionally(new MediaException.Timeout("no connection back"));
        assertThat(c.creations).hasSize(1);
        c.creations.get(0).completeExceptionally(new MediaException("503 from the switch"));
        assertThat(a.creations).hasSize(1);
        Endpoint e = endpoint("on-a");
        a.creations.get(0).complete(e);
        assertThat(made.get(1, TimeUnit.SECONDS)).isSameAs(e);
    }

    @Test
    void whenEveryServerFailsTheLastFailureIsReported() {
        CompletableFuture<Endpoint> made = pool.createEndpoint(EndpointOptions.NONE).toCompletableFuture();
        b.creations.get(0).completeExceptionally(new MediaException("one"));
        c.creations.get(0).completeExceptionally(new MediaException("two"));
        a.creations.get(0).completeExceptionally(new MediaException("three"));
        assertThatThrownBy(() -> made.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(MediaException.class).hasMessageContaining("three");
    }

    @Test
    void aHangupIsNotRetried() {
        CompletableFuture<Endpoint> made = pool.createEndpoint(EndpointOptions.NONE).toCompletableFuture();
        b.creations.get(0).completeExceptionally(new MediaException.HungUp("the far end hung up"));
        assertThat(c.creations).isEmpty();
        assertThat(a.creations).isEmpty();
        assertThatThrownBy(() -> made.get(1, TimeUnit.SECONDS)).cause().isInstanceOf(MediaException.HungUp.class);
    }

    @Test
    void aCallerIsRejectedOnlyOnceEveryServerFailedAndAnEndpointWhoseCallerLeftIsDestroyed() throws Exception {
        SipRequest invite = SipRequest.builder("INVITE", "sip:ivr@127.0.0.1").build();
        CompletableFuture<ConnectedCaller> first = pool.connectCaller(invite).toCompletableFuture();
        b.creations.get(0).completeExceptionally(new MediaException("down"));
        assertThat(signaling.done).isEmpty();
        c.creations.get(0).completeExceptionally(new MediaException("down"));
        a.creations.get(0).completeExceptionally(new MediaException("down"));
        assertThat(signaling.done).containsExactly("reject 480");
        assertThat(first).isCompletedExceptionally();
    }

    @Test
    void aConferenceIsNotFailedOver() {
        assertThatThrownBy(() -> pool.createConference("room", JoinOptions.NONE).toCompletableFuture().get(1, TimeUnit.SECONDS))
                .cause().hasMessageContaining("exists");
    }
}
