/**
 * The application API, the counterpart of drachtio-srf: {@link org.switchboard.sip.app.Srf} answers,
 * originates, bridges and proxies calls; {@link org.switchboard.sip.app.Dialog} is an established call;
 * {@link org.switchboard.sip.app.DialogEvent} and {@link org.switchboard.sip.app.CdrEvent} are what
 * observers receive besides incoming {@link org.switchboard.sip.message.SipRequest}s, which the
 * qualifiers in this package ({@link org.switchboard.sip.app.Invite}, {@link org.switchboard.sip.app.SipMethod}, ...)
 * select by method. Every operation returns a {@link java.util.concurrent.CompletionStage}; blocking on it is
 * fine inside an observer, which never runs on an I/O thread.
 */
package org.switchboard.sip.app;
