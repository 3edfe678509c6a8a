package org.switchboard.media.core;

import org.switchboard.esl.event.EslEvent;

/** Receives every event the switch fires; implementations filter and must not block (called on the firing thread). */
public interface EventListener {

    /** One event. */
    void onEvent(EslEvent event);
}
