package org.switchboard.media.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.testing.poll.Poll;

/** Variables, expansion, execution events and hangup of a channel without media. */
class ChannelTest {

    final Core core = new Core("127.0.0.1", Map.of("base_dir", "/srv/fs"));

    @Test
    void expandsChannelVariablesAndGlobals() {
        Channel ch = new Channel(core, n -> Optional.empty(), "sofia/p/a@b", Map.of());
        ch.set("greeting", "hello");
        assertThat(ch.expand("${greeting} world")).isEqualTo("hello world");
        assertThat(ch.expand("$${base_dir}/recordings/${uuid}.wav")).isEqualTo("/srv/fs/recordings/" + ch.uuid() + ".wav");
        assertThat(ch.expand("${base_dir}|${nosuch}|")).isEqualTo("/srv/fs||");
        assertThat(ch.expand("50% of ${")).isEqualTo("50% of ${");
        ch.set("greeting", "");
        assertThat(ch.get("greeting")).isEmpty();
    }

    @Test
    void executeFiresBothEventsWithTheExpandedArgumentAndTheResponse() throws Exception {
        List<EslEvent> events = new CopyOnWriteArrayList<>();
        core.listen(events::add);
        Channel ch = new Channel(core, n -> n.equals("echo") ? Optional.of((c, a) -> "SAID " + a) : Optional.empty(),
                "sofia/p/a@b", Map.of());
        ch.set("who", "bob");
        ch.execute("echo", "hi ${who}", "app-7");
        ch.execute("nosuchapp", "", "app-8");
        assertThat(events).extracting(EslEvent::eventName).containsExactly("CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE",
                "CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE");
        EslEvent complete = events.get(1);
        assertThat(complete.header("Application-Data")).contains("hi bob");
        assertThat(complete.header("Application-Response")).contains("SAID hi bob");
        assertThat(complete.header("Application-UUID")).contains("app-7");
        assertThat(complete.variable("who")).contains("bob");
        assertThat(events.get(3).header("Application-Response")).contains("_none_");
        assertThat(events.get(0).header("Application-Response")).isEmpty();
    }

    @Test
    void aWaitingApplicationSleepsUntilWokenAndNeverPolls() throws Exception {
        Channel ch = new Channel(core, n -> Optional.empty(), "sofia/p/a@b", Map.of());
        java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CompletableFuture<Boolean> waited = new java.util.concurrent.CompletableFuture<>();
        Thread app = new Thread(() -> {
            try {
                waited.complete(ch.await(() -> {
                    checks.incrementAndGet();
                    return done.get();
                }, -1));
            } catch (InterruptedException e) {
                waited.completeExceptionally(e);
            }
        });
        app.start();
        Poll.await(java.time.Duration.ofSeconds(5), "the first check", () -> checks.get() >= 1);
        Poll.holds(java.time.Duration.ofMillis(1200), "no further check while nothing changes", () -> checks.get() == 1);
        done.set(true);
        ch.wake();
        assertThat(waited.get(2, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(checks.get()).isEqualTo(2);
    }

    @Test
    void aSecondExecuteRunsNestedUnlessTheFirstHoldsTheEventLock() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Channel ch = new Channel(core, n -> Optional.of((c, a) -> {
            log.add("start " + a);
            if (a.equals("long")) {
                c.await(() -> false, 300);
            }
            log.add("end " + a);
            return "_none_";
        }), "sofia/p/a@b", Map.of());
        ch.enqueue(message("long", false));
        ch.enqueue(message("short", false));
        ch.park(() -> log.size() == 4);
        assertThat(log).containsExactly("start long", "start short", "end short", "end long");
        log.clear();
        ch.enqueue(message("long", true));
        ch.enqueue(message("short", false));
        ch.park(() -> log.size() == 4);
        assertThat(log).containsExactly("start long", "end long", "start short", "end short");
    }

    static Message message(String arg, boolean eventLock) {
        Map<String, String> h = new java.util.LinkedHashMap<>(Map.of("call-command", "execute",
                "execute-app-name", "app", "execute-app-arg", arg));
        if (eventLock) {
            h.put("event-lock", "true");
        }
        return new Message(h, "");
    }

    @Test
    void hangupHappensOnceWithTheCallStateThenTheChannelIsGone() {
        List<EslEvent> events = new CopyOnWriteArrayList<>();
        core.listen(events::add);
        Channel ch = new Channel(core, n -> Optional.empty(), "sofia/p/a@b", Map.of());
        ch.hangup("USER_BUSY");
        ch.hangup("NORMAL_CLEARING");
        assertThat(events).extracting(EslEvent::eventName).containsExactly("CHANNEL_CALLSTATE", "CHANNEL_HANGUP",
                "CHANNEL_HANGUP_COMPLETE", "CHANNEL_DESTROY");
        assertThat(events.get(0).header("Channel-Call-State")).contains("HANGUP");
        assertThat(events.get(0).header("Original-Channel-Call-State")).contains("ACTIVE");
        assertThat(events.get(0).header("Hangup-Cause")).contains("USER_BUSY");
        assertThat(events.get(0).header("variable_hangup_cause")).as("CHANNEL_CALLSTATE carries no variables").isEmpty();
        assertThat(ch.hungUp()).isCompletedWithValue("USER_BUSY");
        assertThat(core.channel(ch.uuid())).isEmpty();
    }
}
