package org.switchboard.sip.media;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.switchboard.sip.message.SipRequest;

/**
 * The media servers an application is given: one embedded server by default, a pool of FreeSWITCH servers in
 * production. Each operation picks the least loaded server whose event socket is connected and, when that server
 * fails the operation for a reason of its own (unreachable, refused the call, no connection back), tries the next;
 * a failure of the caller's side (the caller hung up) is not retried.
 */
public interface MediaServers {

    /** The servers, connected or not, in configuration order. */
    List<MediaServer> servers();

    /**
     * The least loaded connected server.
     *
     * @throws MediaException when none is connected
     */
    MediaServer select();

    /** {@link MediaServer#connectCaller(SipRequest, EndpointOptions)} on the least loaded server, failing over. */
    CompletionStage<ConnectedCaller> connectCaller(SipRequest invite, EndpointOptions options);

    /** {@link #connectCaller(SipRequest, EndpointOptions)} with no extra headers. */
    default CompletionStage<ConnectedCaller> connectCaller(SipRequest invite) {
        return connectCaller(invite, EndpointOptions.NONE);
    }

    /** {@link MediaServer#createEndpoint(EndpointOptions)} on the least loaded server, failing over. */
    CompletionStage<Endpoint> createEndpoint(EndpointOptions options);

    /**
     * {@link MediaServer#createConference(String, JoinOptions)} on the least loaded server, without failing over (a
     * conference's name is unique on its server only; another server would make a second one of the same name).
     */
    CompletionStage<Conference> createConference(String name, JoinOptions options);
}
