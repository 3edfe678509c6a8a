package org.switchboard.esl;

/**
 * How {@code sendmsg} runs an application (docs/esl.md).
 *
 * @param loops how many times it runs; -1 forever
 * @param eventLock whether the channel's later messages wait until this one finished
 * @param async whether the message is queued even on a socket that is not async
 */
public record ExecuteOptions(int loops, boolean eventLock, boolean async) {

    /** Once, no lock, not forced async: what FreeSWITCH does by default. */
    public static final ExecuteOptions DEFAULT = new ExecuteOptions(1, false, false);

    public ExecuteOptions {
        if (loops == 0 || loops < -1) {
            throw new IllegalArgumentException("loops must be -1 (forever) or at least 1, was " + loops);
        }
    }

    /** These options with a loop count. */
    public ExecuteOptions withLoops(int loops) {
        return new ExecuteOptions(loops, eventLock, async);
    }

    /** These options with {@code event-lock: true}. */
    public ExecuteOptions withEventLock() {
        return new ExecuteOptions(loops, true, async);
    }

    /** These options with {@code async: true}. */
    public ExecuteOptions withAsync() {
        return new ExecuteOptions(loops, eventLock, true);
    }
}
