/**
 * The switch side of the event socket: the inbound listener (auth, api, bgapi, event subscriptions and filters,
 * HEARTBEAT), the outbound {@code socket} application that connects each channel to its controller, the command
 * handling both share, and the api commands.
 */
package org.switchboard.media.esl;
