package org.switchboard.container.sip;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per call at its end ({@code SBC-110}), on the logger {@code org.switchboard.container.calls}: the
 * Call-ID, the application, the legs (dialogs the Call-ID had), how long it lasted, the final status of its INVITE
 * and how its first dialog ended. A Call-ID with an INVITE is logged at INFO (unless {@code log.calls} is false);
 * others (REGISTER, OPTIONS, MESSAGE, a SUBSCRIBE dialog) at DEBUG, so the default level stays one line per call.
 * A B2BUA's B leg has its own Call-ID and its own line.
 */
final class CallLog {

    private static final Logger LOG = LoggerFactory.getLogger("org.switchboard.container.calls");

    private final boolean enabled;

    CallLog(boolean enabled) {
        this.enabled = enabled;
    }

    /** What a call's line says, taken when it ends. */
    record Line(String callId, String application, int legs, boolean invite, long millis, int status, String endReason) {

        static Line of(Call call) {
            return new Line(call.id, call.application == null ? "-" : call.application, call.legs, call.invite,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - call.started), call.status, call.endReason);
        }

        @Override
        public String toString() {
            return String.format("SBC-110 call ended call-id=%s app=%s legs=%d duration=%d.%03ds status=%s%s", callId, application,
                    legs, millis / 1000, millis % 1000, status == 0 ? "-" : Integer.toString(status),
                    endReason == null ? "" : " end=\"" + endReason + "\"");
        }
    }

    void ended(Line line) {
        if (line.invite() && enabled) {
            LOG.info("{}", line);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("{}", line);
        }
    }
}
