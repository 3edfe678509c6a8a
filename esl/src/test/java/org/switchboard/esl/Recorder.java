package org.switchboard.esl;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.testing.poll.Poll;

/** Records a session's events and its end, for tests. */
final class Recorder implements EslListener {
    final List<EslEvent> events = new CopyOnWriteArrayList<>();
    final CountDownLatch disconnected = new CountDownLatch(1);

    @Override
    public void onEvent(EslEvent event) {
        events.add(event);
    }

    @Override
    public void onDisconnect(String reason) {
        disconnected.countDown();
    }

    List<String> names() {
        return events.stream().map(EslEvent::eventName).toList();
    }

    void awaitEvents(int n) throws InterruptedException {
        Poll.await(Duration.ofSeconds(10), n + " events, got " + names(), () -> events.size() >= n);
    }
}
