package org.switchboard.sip.media;

import java.util.Objects;
import org.switchboard.sip.app.Dialog;

/**
 * A caller answered by a media server: the caller's dialog (the application is its UAS) and the endpoint on the
 * media server that holds the caller's media.
 *
 * @param dialog the dialog with the caller
 * @param endpoint the media server's channel for the caller's media
 */
public record ConnectedCaller(Dialog dialog, Endpoint endpoint) {

    /** Checks both are present. */
    public ConnectedCaller {
        Objects.requireNonNull(dialog, "dialog");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
