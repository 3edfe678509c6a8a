/**
 * The dialplan applications the MRF executes over the event socket: answer, set/multiset/export/unset, playback,
 * play_and_get_digits, record, record_session, hangup, park, sleep, send_dtmf. Each runs on its channel's thread.
 */
package org.switchboard.media.app;
