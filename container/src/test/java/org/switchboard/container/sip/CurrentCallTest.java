package org.switchboard.container.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.app.Dialog;

/**
 * What an application attaches to a call (its call scope), without sockets: the calls' lanes run on an executor
 * the test drains, and a call is held open by a dialog the test adds and removes.
 */
class CurrentCallTest {

    private final Queue<Runnable> queued = new ArrayDeque<>();
    private final Calls calls = new Calls(queued::add, new CallCaptures(0, 0), new CallLog(false));
    private final Application app = Application.observingNothing("app");
    private final Application other = Application.observingNothing("other");

    /** A value with a count of its ends. */
    static final class Value {
        int ends;
    }

    private void runLanes() {
        for (Runnable r = queued.poll(); r != null; r = queued.poll()) {
            r.run();
        }
    }

    private CallDialog dialogOf(Call call) {
        CallDialog d = new CallDialog(null, null, call, app, call.id + ";d", Dialog.Role.UAS, "INVITE", "", "");
        calls.addDialog(d, null);
        return d;
    }

    private Value inCall(Call call) {
        AtomicReference<Value> v = new AtomicReference<>();
        CurrentCall.run(calls, call, app, () -> v.set(CurrentCall.of(app).orElseThrow().attachment(Value::new, x -> x.ends++)));
        return v.get();
    }

    @Test
    void theValueIsMadeOnFirstUseKeptForTheCallAndEndedOnItsLaneAfterTheCallEnded() {
        Call call = calls.open("a");
        CallDialog d = dialogOf(call);
        Value first = inCall(call);
        assertThat(inCall(call)).isSameAs(first);
        calls.removeDialog(d);
        assertThat(first.ends).as("ended on the lane, after the tasks queued before the end").isZero();
        runLanes();
        assertThat(first.ends).isEqualTo(1);
        assertThat(call.attachments).isEmpty();
        assertThat(calls.counts()[0]).isZero();
    }

    @Test
    void thereIsACurrentCallOnlyInsideTheApplicationsHandlingOfIt() {
        Call call = calls.open("a");
        dialogOf(call);
        assertThat(CurrentCall.of(app)).isEmpty();
        AtomicReference<Boolean> seenByOther = new AtomicReference<>();
        AtomicReference<String> callId = new AtomicReference<>();
        CurrentCall.run(calls, call, app, () -> {
            seenByOther.set(CurrentCall.of(other).isPresent());
            callId.set(CurrentCall.of(app).orElseThrow().callId());
        });
        assertThat(seenByOther.get()).isFalse();
        assertThat(callId.get()).isEqualTo("a");
        assertThat(CurrentCall.of(app)).isEmpty();
    }

    @Test
    void twoCallsHaveTwoValues() {
        Call a = calls.open("a");
        Call b = calls.open("b");
        dialogOf(a);
        dialogOf(b);
        assertThat(inCall(a)).isNotSameAs(inCall(b));
    }

    @Test
    void aCallStartedWhileHandlingAnotherSharesItsValueUntilBothEnded() {
        Call a = calls.open("a");
        CallDialog da = dialogOf(a);
        AtomicReference<CallAttachment> shared = new AtomicReference<>();
        CurrentCall.run(calls, a, app, () -> shared.set(CurrentCall.shared(app)));
        Call b = calls.open("b");
        CallDialog db = dialogOf(b);
        calls.share(b, app, shared.get());
        Value v = inCall(b);
        assertThat(inCall(a)).isSameAs(v);
        calls.removeDialog(da);
        runLanes();
        assertThat(v.ends).as("b still holds it").isZero();
        assertThat(inCall(b)).isSameAs(v);
        calls.removeDialog(db);
        runLanes();
        assertThat(v.ends).isEqualTo(1);
        assertThatThrownBy(() -> shared.get().value(Value::new, x -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCallStartedAfterTheOtherEndedGetsItsOwnValue() {
        Call a = calls.open("a");
        CallDialog da = dialogOf(a);
        AtomicReference<CallAttachment> shared = new AtomicReference<>();
        CurrentCall.run(calls, a, app, () -> shared.set(CurrentCall.shared(app)));
        Value va = inCall(a);
        calls.removeDialog(da);
        runLanes();
        Call b = calls.open("b");
        dialogOf(b);
        calls.share(b, app, shared.get());
        Value vb = inCall(b);
        assertThat(vb).isNotSameAs(va);
        assertThat(va.ends).isEqualTo(1);
        assertThat(vb.ends).isZero();
    }

    @Test
    void aCallThatEndedBeforeTheApplicationUsedItEndsTheValueAfterTheTaskThatMadeIt() {
        Call call = calls.open("a");
        calls.removeDialog(dialogOf(call)); // a CANCEL ahead of the INVITE's observer
        runLanes();
        AtomicReference<Value> v = new AtomicReference<>();
        call.execute(() -> v.set(inCall(call)));
        runLanes();
        assertThat(v.get().ends).isEqualTo(1);
        assertThat(call.attachments).isEmpty();
    }
}
