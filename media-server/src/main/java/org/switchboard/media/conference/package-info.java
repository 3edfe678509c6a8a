/**
 * Conferences as mod_conference: members (channels running the {@code conference} application) hear the sum of
 * the others, mixed once per 20 ms on the media clock; mute, deaf, kick, hup, lock, file play to all or to one
 * member, recording of the mix, talking detection, and the CUSTOM {@code conference::maintenance} events.
 */
package org.switchboard.media.conference;
