/**
 * The switch core: the process identity that stamps every event, the event bus that ESL connections listen to,
 * and channels (one per call: variables, state, media, the queue of messages the controller sent and the thread
 * that runs its applications).
 */
package org.switchboard.media.core;
