package org.switchboard.sip.app;

import java.util.Objects;
import org.switchboard.sip.message.SipMessage;

/**
 * A call detail record from the SIP server: {@code @Observes CdrEvent cdr}. The container asks the
 * server for CDRs only when an application observes them.
 *
 * @param type attempt, start or stop
 * @param source {@code network} or {@code application}
 * @param time the server's UTC time of day, {@code HH:MM:SS.uuuuuu}
 * @param detail for start the role ({@code uac}, {@code uas}, {@code proxy-uac}, {@code proxy-uas}); for stop the
 *     reason ({@code normal-release}, {@code call-canceled}, ...); empty for attempt
 * @param message the INVITE, the 200 OK, or the final response or BYE
 */
public record CdrEvent(Type type, String source, String time, String detail, SipMessage message) {

    /** The kind of record. */
    public enum Type { ATTEMPT, START, STOP }

    /** Checks that nothing is null. */
    public CdrEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(message, "message");
    }
}
