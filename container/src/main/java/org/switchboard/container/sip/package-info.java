/**
 * SIP for applications over the drachtio protocol: {@link org.switchboard.container.sip.SipCore} receives the
 * server's frames, tracks transactions and dialogs, and hands requests and dialog events to the owning
 * {@link org.switchboard.container.sip.Application} through the middleware chain, one call at a time; the
 * package's {@code Srf} and {@code Dialog} implementations send what applications ask for;
 * {@link org.switchboard.container.sip.CurrentCall} says which call an application handles on the current thread
 * and keeps what the application attaches to it (its call scope).
 */
package org.switchboard.container.sip;
