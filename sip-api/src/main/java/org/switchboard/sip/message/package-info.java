/**
 * The SIP message model: requests and responses with ordered, case-insensitive, multi-valued headers,
 * typed views of the common headers ({@link org.switchboard.sip.message.Via}, {@link
 * org.switchboard.sip.message.CSeq}, {@link org.switchboard.sip.message.NameAddress}, ...), and the
 * grammar that parses and prints them. Values are immutable and built with builders; a parsed message
 * that is not modified prints back to the same bytes.
 */
package org.switchboard.sip.message;
