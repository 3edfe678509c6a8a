package org.switchboard.media.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private void fire(String uuid) {
        EslEvent.Builder b = core.event("DTMF", "f", "g", 1);
        core.fire(uuid == null ? b.build() : b.header("Unique-ID", uuid).build());
    }
}
