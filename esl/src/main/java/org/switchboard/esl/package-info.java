/**
 * The event socket client: {@link org.switchboard.esl.EslClient} connects to a switch (inbound mode),
 * authenticates, sends commands with deadlines and delivers events off the I/O threads, one channel's
 * events in order, with a bounded queue. The codec is in {@link org.switchboard.esl.codec}, the event model
 * in {@link org.switchboard.esl.event}.
 */
package org.switchboard.esl;
