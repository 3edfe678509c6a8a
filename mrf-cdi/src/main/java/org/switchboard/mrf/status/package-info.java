/**
 * What a media server runs now, read over its event socket and parsed into values: its conferences with their
 * members ({@code conference json_list}), its channels ({@code show channels as json}), and, from a Switchboard media
 * server, its media clock's send-interval histogram ({@code switchboard_media_clock}), of which two reports give the
 * lateness over the time between them. It works with any FreeSWITCH-compatible switch (FreeSWITCH has no media clock
 * report) through the media API's {@link org.switchboard.sip.media.MediaServer#api}. See docs/media.md.
 */
package org.switchboard.mrf.status;
