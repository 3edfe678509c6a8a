/**
 * Where user code and timers run, never on an I/O thread: {@link org.switchboard.executors.CallbackExecutors}
 * creates the executors callbacks run on (virtual threads on JDK 21+, views of one shared
 * pool of platform threads before), {@link
 * org.switchboard.executors.SerialExecutor} runs one call's work in order on it, and {@link
 * org.switchboard.executors.DeadlineScheduler} runs protocol timers and command deadlines.
 */
package org.switchboard.executors;
