package org.switchboard.media.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.switchboard.esl.event.EslEvent;

/** The core's event index: listeners narrowed to channels get only those channels' events, each once. */
class EventRoutesTest {

    final Core core = new Core("127.0.0.1", Map.of());
    final List<String> wide = new CopyOnWriteArrayList<>();
    final List<String> narrow = new CopyOnWriteArrayList<>();

    @Test
    void aNarrowedListenerGetsItsChannelsEventsAndAWideOneGetsAll() throws Exception {
        core.listen(e -> wide.add(e.uniqueId().orElse("-")));
        AutoCloseable n = core.listen(e -> narrow.add(e.uniqueId().orElse("-")), Set.of("AbC"));
        fire("abc");
        fire("other");
        fire(null);
        assertThat(wide).containsExactly("abc", "other", "-");
        assertThat(narrow).as("case-insensitive, as the Unique-ID filter").containsExactly("abc");
        n.close();
        fire("abc");
        assertThat(narrow).hasSize(1);
        assertThat(core.listening()).isTrue();
    }

    @Test
    void listeningAgainMovesAListenerWithoutDeliveringTwice() {
        EventListener l = e -> narrow.add(e.uniqueId().orElse("-"));
        core.listen(l, Set.of("a"));
        core.listen(l, Set.of("a", "b"));
        fire("a");
        fire("b");
        core.listen(l, Set.of());
        fire("a");
        fire("c");
        assertThat(narrow).containsExactly("a", "b", "a", "c");
    }

    @Test
    void aBackgroundJobGoesToItsOwnersListenersOnce() {
        core.listen(e -> narrow.add(e.eventName()), Set.of("owner", "chan"));
        core.fire(core.event("BACKGROUND_JOB", "f", "g", 1).header("Job-Owner-UUID", "owner").build());
        core.fire(core.event("BACKGROUND_JOB", "f", "g", 1).header("Unique-ID", "chan")
                .header("Job-Owner-UUID", "owner").build());
        core.fire(core.event("BACKGROUND_JOB", "f", "g", 1).header("Job-Owner-UUID", "someone").build());
        core.fire(core.event("DTMF", "f", "g", 1).header("Unique-ID", "x").header("Job-Owner-UUID", "owner").build());
        assertThat(narrow).containsExactly("BACKGROUND_JOB", "BACKGROUND_JOB");
    }

    @Test
    void listenersOfManyChannelsComeAndGoAtOnceEachGettingItsOwnEventsOnly() throws Exception {
        int channels = 2_000;
        AtomicInteger[] got = new AtomicInteger[channels];
        AtomicInteger strays = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < channels; i++) {
                String uuid = "chan-" + i;
                AtomicInteger mine = got[i] = new AtomicInteger();
                EventListener l = e -> (uuid.equals(e.uniqueId().orElse("")) ? mine : strays).incrementAndGet();
                done.add(threads.submit(() -> {
                    core.listen(l, Set.of(uuid));
                    fire(uuid);
                    AutoCloseable moved = core.listen(l, Set.of(uuid, uuid + "-b"));
                    fire(uuid);
                    moved.close();
                    fire(uuid);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(strays).hasValue(0);
        assertThat(List.of(got)).allSatisfy(n -> assertThat(n).hasValue(2));
        assertThat(core.listening()).as("every listener gone").isFalse();
    }

    private void fire(String uuid) {
        EslEvent.Builder b = core.event("DTMF", "f", "g", 1);
        core.fire(uuid == null ? b.build() : b.header("Unique-ID", uuid).build());
    }
}
