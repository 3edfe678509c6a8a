/**
 * The media server's SIP side on sip-stack's user agent: every INVITE becomes a channel with an RTP session,
 * SDP offer/answer (PCMU, PCMA, telephone-event; 3pcc offers when the INVITE has none), re-INVITEs, and BYE
 * both ways.
 */
package org.switchboard.media.sip;
