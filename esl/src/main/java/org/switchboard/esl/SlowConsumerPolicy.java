package org.switchboard.esl;

/** What a connection does when events arrive faster than listeners take them and its queue is full. */
public enum SlowConsumerPolicy {
    /** Stop reading the socket until the queue drains (TCP pushes back on the switch). */
    PAUSE_READING,
    /** Drop the event and count it. */
    DROP
}
