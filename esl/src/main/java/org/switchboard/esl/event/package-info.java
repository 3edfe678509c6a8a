/**
 * The FreeSWITCH event model: {@link org.switchboard.esl.event.EslEvent} with ordered headers, a body and
 * typed accessors, read from and written to the plain, JSON and XML formats of the event socket.
 */
package org.switchboard.esl.event;
