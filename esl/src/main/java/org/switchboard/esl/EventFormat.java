package org.switchboard.esl;

import java.util.Locale;

/** The event serialization a connection asks for. */
public enum EventFormat {
    PLAIN, JSON, XML;

    /** The keyword on the wire. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
