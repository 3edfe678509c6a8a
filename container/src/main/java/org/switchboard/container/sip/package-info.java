/**
 * SIP for applications over the drachtio protocol: {@link org.switchboard.container.sip.SipCore} receives the
 * server's frames, tracks transactions and dialogs, and hands requests and dialog events to the owning
 * {@link org.switchboard.container.sip.Application} through the middleware chain, one call at a time; the
 * package's {@code Srf} and {@code Dialog} implementations send what applications ask for.
 */
package org.switchboard.container.sip;
