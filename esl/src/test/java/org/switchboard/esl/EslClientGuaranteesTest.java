package org.switchboard.esl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.testing.poll.Poll;

/** The client's guarantees, each against a scripted switch that misbehaves on purpose. */
class EslClientGuaranteesTest {

    private static EslClientConfig.Builder config(ScriptedSwitch sw) {
        return EslClientConfig.builder().port(sw.port()).commandTimeout(Duration.ofMillis(300)).reconnect(false);
    }

    private static final EslListener IGNORE = event -> { };

    @Test
    void everyCommandHasADeadline() throws Exception {
        try (ScriptedSwitch sw = new ScriptedSwitch()) {
            EslClient client = EslClient.connect(config(sw).build(), IGNORE).get(5, TimeUnit.SECONDS);
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.api("status").get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(EslException.Timeout.class).hasMessageContaining("'api status': no reply within 300 ms");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 2000L);
            CompletableFuture<String> slow = client.command("api uptime", Map.of(), "", Duration.ofSeconds(5))
                    .thenApply(r -> r.frame().bodyAsString());
            Socket s = sw.next();
            sw.read(s);
            sw.read(s);
            // the late reply to the timed-out command is matched to it, not to the next one
            ScriptedSwitch.write(s, "Content-Type: api/response\nContent-Length: 5\n\nlate!");
            ScriptedSwitch.write(s, "Content-Type: api/response\nContent-Length: 2\n\n42");
            assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("42");
            client.close();
        }
    }

    @Test
    void aDroppedConnectionFailsAllPendingWorkAtOnce() throws Exception {
        try (ScriptedSwitch sw = new ScriptedSwitch()) {
            EslClient client = EslClient.connect(config(sw).commandTimeout(Duration.ofSeconds(30)).build(), IGNORE)
                    .get(5, TimeUnit.SECONDS);
            Socket s = sw.next();
            List<CompletableFuture<?>> pending = new ArrayList<>();
            pending.add(client.api("status"));
            pending.add(client.bgapi("status"));
            pending.add(client.execute("uuid-1", "playback", "a.wav", ExecuteOptions.DEFAULT));
            sw.read(s);
            // a reset in the middle of a frame
            ScriptedSwitch.write(s, "Content-Type: api/resp");
            s.setSoLinger(true, 0);
            s.close();
            long start = System.nanoTime();
            for (CompletableFuture<?> f : pending) {
                assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(EslException.ConnectionClosed.class);
            }
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
            assertThatThrownBy(() -> client.api("status").get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(EslException.ConnectionClosed.class);
            client.close();
        }
    }

    @Test
    void listenersRunOffTheEventLoopSoBlockingInsideCannotDeadlock() throws Exception {
        try (ScriptedSwitch sw = new ScriptedSwitch()) {
            CompletableFuture<EslClient> self = new CompletableFuture<>();
            CompletableFuture<String> fromListener = new CompletableFuture<>();
            List<String> threads = new CopyOnWriteArrayList<>();
            EslClient client = EslClient.connect(config(sw).commandTimeout(Duration.ofSeconds(5)).build(), event -> {
                threads.add(Thread.currentThread().getName());
                try {
                    // a blocking api call from inside a listener: needs the I/O thread free to read the reply
                    fromListener.complete(self.get().api("status").get(5, TimeUnit.SECONDS));
                } catch (Exception e) {
                    fromListener.completeExceptionally(e);
                }
            }).get(5, TimeUnit.SECONDS);
            self.complete(client);
            Socket s = sw.next();
            ScriptedSwitch.write(s, ScriptedSwitch.event("CHANNEL_ANSWER", "u1", 1));
            assertThat(ScriptedSwitch.read(s)).isEqualTo("api status\n\n");
            ScriptedSwitch.write(s, "Content-Type: api/response\nContent-Length: 5\n\nUP 1\n");
            assertThat(fromListener.get(5, TimeUnit.SECONDS)).isEqualTo("UP 1\n");
            assertThat(threads).noneMatch(t -> t.contains("IoEventLoop") || t.contains("nioEventLoop"));
            client.close();
        }
    }

    @Test
    void eventsOfOneChannelArriveInOrder() throws Exception {
        try (ScriptedSwitch sw = new ScriptedSwitch()) {
            Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
            CountDownLatch all = new CountDownLatch(3000);
            EslClient client = EslClient.connect(config(sw).build(), event -> {
                seen.computeIfAbsent(event.uniqueId().orElseThrow(), k -> new CopyOnWriteArrayList<>())
                        .add(Integer.parseInt(event.header("Seq").orElseThrow()));
                all.countDown();
            }).get(5, TimeUnit.SECONDS);
            Socket s = sw.next();
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 3000; i++) {
                burst.append(ScriptedSwitch.event("DTMF", "chan-" + (i % 3), i));
            }
            ScriptedSwitch.write(s, burst.toString());
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            for (List<Integer> seqs : seen.values()) {
                assertThat(seqs).isSorted().hasSize(1000);
            }
            client.close();
        }
    }

    @Test
    void aSlowConsumerMeetsABoundedQueue() throws Exception {
        try (ScriptedSwitch sw = new ScriptedSwitch()) {
            CountDownLatch release = new CountDownLatch(1);
            EslClient client = EslClient.connect(config(sw).eventQueue(50, SlowConsumerPolicy.DROP).build(), event -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).get(5, TimeUnit.SECONDS);
            Socket s = sw.next();
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                burst.append(ScriptedSwitch.event("DTMF", "c", i));
            }
            ScriptedSwitch.write(s, burst.toString());
            Poll.await(Duration.ofSeconds(10), "450 events dropped, " + client.droppedEvents() + " so far",
                    () -> client.droppedEvents() >= 450);
            assertThat(client.droppedEvents()).isEqualTo(450);
            release.countDown();
            client.close();
        }
    }

    @Test
    void pausedReadingDeliversEverythingOnceTheConsumerCatchesUp() throws Exception {
        try (ScriptedSwitch sw = new ScriptedSwitch()) {
            List<EslEvent> got = new CopyOnWriteArrayList<>();
            CountDownLatch release = new CountDownLatch(1);
            EslClient client = EslClient.connect(config(sw).eventQueue(20, SlowConsumerPolicy.PAUSE_READING).build(), event -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                got.add(event);
            }).get(5, TimeUnit.SECONDS);
            Socket s = sw.next();
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                burst.append(ScriptedSwitch.event("DTMF", "c", i));
            }
            ScriptedSwitch.write(s, burst.toString());
            Poll.await(Duration.ofSeconds(10), "reading paused with the queue full", () -> !client.channel.config().isAutoRead());
            release.countDown();
            Poll.await(Duration.ofSeconds(10), "all 300 events delivered", () -> got.size() >= 300);
            assertThat(got).hasSize(300);
            assertThat(client.droppedEvents()).isZero();
            client.close();
        }
    }

    @Test
    void executeWritesSendmsgAsFreeSwitchReadsIt() throws Exception {
        try (ScriptedSwitch sw = new ScriptedSwitch()) {
            EslClient client = EslClient.connect(config(sw).build(), IGNORE).get(5, TimeUnit.SECONDS);
            Socket s = sw.next();
            client.execute("u-1", "playback", "ivr/8000/ivr-welcome.wav", ExecuteOptions.DEFAULT.withLoops(3).withEventLock().withAsync());
            String sent = ScriptedSwitch.read(s);
            assertThat(sent).matches("sendmsg u-1\ncall-command: execute\nexecute-app-name: playback\n"
                    + "execute-app-arg: ivr/8000/ivr-welcome.wav\nloops: 3\nevent-lock: true\nasync: true\n"
                    + "Event-UUID: [0-9a-f-]{36}\n\n");
            // an argument with a line break travels as a text/plain body
            client.execute("u-1", "set", "a=1\nb=2", ExecuteOptions.DEFAULT);
            assertThat(ScriptedSwitch.read(s)).contains("content-type: text/plain\n").contains("Content-Length: 7\n")
                    .endsWith("\n\na=1\nb=2");
            client.close();
        }
    }

    @Test
    void reconnectsReauthenticatesAndReplaysSubscriptionsAndFilters() throws Exception {
        try (ScriptedSwitch sw = new ScriptedSwitch()) {
            io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            EslClient client = EslClient.connect(config(sw).reconnect(true).meterRegistry(meters)
                    .reconnectDelays(Duration.ofMillis(50), Duration.ofMillis(200)).build(), IGNORE).get(5, TimeUnit.SECONDS);
            String peer = "127.0.0.1:" + sw.port();
            assertThat(meters.get("esl.client.connected").tag("peer", peer).gauge().value()).isEqualTo(1);
            Socket first = sw.next();
            CompletableFuture<EslReply> sub = client.subscribe(EventFormat.JSON, "CHANNEL_ANSWER", "CUSTOM", "conference::maintenance");
            assertThat(ScriptedSwitch.read(first)).isEqualTo("event json CHANNEL_ANSWER CUSTOM conference::maintenance\n\n");
            ScriptedSwitch.write(first, "Content-Type: command/reply\nReply-Text: +OK event listener enabled json\n\n");
            sub.get(5, TimeUnit.SECONDS);
            CompletableFuture<EslReply> filter = client.filter("Unique-ID", "abc");
            ScriptedSwitch.read(first);
            ScriptedSwitch.write(first, "Content-Type: command/reply\nReply-Text: +OK filter added. [Unique-ID]=[abc]\n\n");
            filter.get(5, TimeUnit.SECONDS);
            first.close();
            Socket second = sw.next();
            assertThat(sw.commands).hasSize(2).allMatch(c -> c.equals("auth ClueCon\n\n"));
            assertThat(ScriptedSwitch.read(second)).isEqualTo("event json CHANNEL_ANSWER CUSTOM conference::maintenance\n\n");
            assertThat(ScriptedSwitch.read(second)).isEqualTo("filter Unique-ID abc\n\n");
            assertThat(meters.get("esl.client.reconnects").tag("peer", peer).counter().count()).isEqualTo(1);
            assertThat(meters.get("esl.commands").tag("command", "event").tag("outcome", "ok").timer().count())
                    .as("the first subscription's reply; the replayed one is not answered here").isEqualTo(1);
            client.close();
            assertThat(meters.find("esl.client.connected").gauge()).as("a closed client reports no connection").isNull();
        }
    }
}
