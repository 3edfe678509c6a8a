package org.switchboard.container.sip;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The call whose handling by an application runs on the current thread: set while the container runs the
 * application's middleware and observers of a new request, its observers and listeners of a dialog event, and
 * the completions of a dialog's end, all on the call's lane. It is what a per-call scope is kept in: an
 * application attaches one value to the call (see {@link #attachment}), which the calls it starts from this one
 * share and which is ended when the last of them has ended.
 *
 * <p>Threads: an instance belongs to the lane task it was made for; it is only reachable from that thread.
 */
public final class CurrentCall {

    private static final ThreadLocal<CurrentCall> CURRENT = new ThreadLocal<>();

    private final Calls calls;
    private final Call call;
    private final Application application;
    private CallAttachment attachment;

    private CurrentCall(Calls calls, Call call, Application application) {
        this.calls = calls;
        this.call = call;
        this.application = application;
    }

    /** Runs {@code task} as {@code application}'s handling of {@code call}, with the application's class loader. */
    static void run(Calls calls, Call call, Application application, Runnable task) {
        CurrentCall previous = CURRENT.get();
        CURRENT.set(new CurrentCall(calls, call, application));
        try {
            SipCore.inApplication(application, task);
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** The call {@code application} is handling on this thread; empty outside a call or in another application's code. */
    public static Optional<CurrentCall> of(Application application) {
        CurrentCall current = CURRENT.get();
        return current != null && current.application == application ? Optional.of(current) : Optional.empty();
    }

    /**
     * The Call-ID of the call whatever application handles on this thread, null outside a call: a request sent now,
     * the application's or the container's own for it (a media server's leg), is a leg of that call on the ladder.
     */
    static String callIdOnThread() {
        CurrentCall current = CURRENT.get();
        return current == null ? null : current.call.id;
    }

    /** The attachment of the application handling a call on this thread, for the requests it sends to join; may be null. */
    static CallAttachment shared(Application application) {
        CurrentCall current = CURRENT.get();
        return current != null && current.application == application ? current.attachment() : null;
    }

    Call call() {
        return call;
    }

    /** The call's Call-ID. */
    public String callId() {
        return call.id;
    }

    /**
     * The value the application keeps for this call, made by {@code create} on first use; {@code end} receives it
     * on the lane of the last call that held it, after that call ended (a call the application started while
     * handling this one holds the same value).
     */
    public <T> T attachment(Supplier<T> create, Consumer<? super T> end) {
        return attachment().value(create, end);
    }

    private CallAttachment attachment() {
        if (attachment == null) {
            attachment = calls.attachment(call, application);
        }
        return attachment;
    }
}
