package org.switchboard.drachtio.server;

import java.util.List;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.message.SipMessage;

/**
 * Call detail records (docs/drachtio.md): when CDRs are on, each {@code cdr:attempt|start|stop} goes to one app that routes
 * that verb, round-robin. Holds no state of its own (the route table is thread-safe); called from any thread.
 */
final class Cdrs {

    private final boolean enabled;
    private final RouteTable routes;

    Cdrs(boolean enabled, RouteTable routes) {
        this.enabled = enabled;
        this.routes = routes;
    }

    /** A CDR of {@code type} about {@code message}, from {@code source} (network or application), with extra tokens. */
    void record(String type, String source, List<String> extra, SipMessage message) {
        if (!enabled) {
            return;
        }
        routes.next("cdr:" + type, a -> true).ifPresent(app -> app.push(DrachtioFrame.of(AppConnection.newId(),
                "cdr:" + type, AppFrames.concat(List.of(source, AppFrames.now()), extra.toArray(String[]::new)))
                .withSipMessage(AppFrames.text(message))));
    }
}
