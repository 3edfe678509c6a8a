/**
 * Where user code runs, never on an I/O thread: {@link org.switchboard.executors.CallbackExecutors} creates the
 * shared executor (virtual threads on JDK 21+, a bounded pool before), and {@link
 * org.switchboard.executors.SerialExecutor} runs one call's work in order on it.
 */
package org.switchboard.executors;
