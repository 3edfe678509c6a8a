package org.switchboard.container.sip;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What one application keeps for a call and for the calls it started while handling it (a B2BUA's B leg, a
 * {@code createUac}): one value, made on first use and ended once the last of those calls has ended. The calls
 * share the same attachment object; {@link Calls} counts them.
 *
 * <p>Threads: the value is made and taken under this object's monitor, so two calls' lanes that share it make it
 * once; {@code calls} and {@code ended} are guarded by the {@link Calls} registry's monitor.
 */
final class CallAttachment {

    // calls that hold this attachment; guarded by the Calls monitor
    int calls;
    // set when the last call left: nothing joins it any more; guarded by the Calls monitor
    boolean ended;
    private Object value;
    private Consumer<Object> end;
    private boolean over; // guarded by this

    /**
     * The value, made by {@code create} on first use; {@code end} receives it when the last call has ended.
     *
     * @throws IllegalStateException once the value was ended
     */
    @SuppressWarnings("unchecked")
    synchronized <T> T value(Supplier<T> create, Consumer<? super T> end) {
        if (over) {
            throw new IllegalStateException("the call has ended: what the application kept for it is gone");
        }
        if (value == null) {
            value = create.get();
            this.end = (Consumer<Object>) end;
        }
        return (T) value;
    }

    /** Ends the value, if one was made. */
    void end() {
        Object v;
        Consumer<Object> e;
        synchronized (this) {
            v = value;
            e = end;
            value = null;
            end = null;
            over = true;
        }
        if (v != null) {
            e.accept(v);
        }
    }
}
