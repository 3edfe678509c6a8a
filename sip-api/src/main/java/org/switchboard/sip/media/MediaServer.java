package org.switchboard.sip.media;

import java.util.concurrent.CompletionStage;
import org.switchboard.sip.message.SipRequest;

/**
 * One media server (FreeSWITCH, or the embedded media server) as the application uses it: its event socket
 * connection for commands and load figures, and the endpoints it creates. The connection re-establishes itself
 * when lost; endpoints have connections of their own and outlive such a loss.
 */
public interface MediaServer extends AutoCloseable {

    /** The address of the media server's event socket ({@code host:port}). */
    String address();

    /** Whether the event socket connection is up now. */
    boolean isConnected();

    /**
     * Whether the server takes new calls, as far as this side knows: connected, sending its HEARTBEATs (none
     * missed three times running), and neither its last report ({@code HEARTBEAT}'s {@code Event-Info: System Not
     * Ready}, {@code status}'s "is not ready": FreeSWITCH while paused with {@code fsctl pause} or shutting down) nor
     * its last answer to a call (503) said otherwise since. A pool prefers the servers that are ready.
     */
    default boolean isReady() {
        return isConnected();
    }

    /** The load the server last reported. */
    MediaLoad load();

    /** What the server last reported about itself: host, version, addresses, idle CPU, SIP addresses. */
    MediaServerInfo info();

    /** Whether the server's SIP profile can be reached that way ({@code info().hasCapability(capability)}). */
    default boolean hasCapability(MediaServerInfo.SipCapability capability) {
        return info().hasCapability(capability);
    }

    /**
     * Runs an API command ({@code status}, {@code uuid_dump <uuid>}, {@code conference <name> list}, ...) on the
     * server's connection and completes with its output. Output starting with {@code -ERR} fails the stage with a
     * {@link MediaException} carrying it.
     */
    CompletionStage<String> api(String command);

    /**
     * Creates an endpoint: places a SIP call to the media server (with {@code options}' SDP and headers) that the
     * server answers and connects back to this application over an outbound event socket; completes once both the
     * call is answered and that connection is matched to it and subscribed, or fails with a {@link MediaException}
     * (the SIP failure, or {@link MediaException.Timeout} when the connection does not come).
     */
    CompletionStage<Endpoint> createEndpoint(EndpointOptions options);

    /**
     * Answers a caller with this server's media, as drachtio-fsmrf's {@code connectCaller} does: creates an endpoint
     * with the INVITE's SDP offer (and {@code options}' headers; its SDP must be empty), then answers the INVITE with
     * the endpoint's SDP. Completes with the caller's dialog and the endpoint; fails with a {@link MediaException}
     * when the server cannot take the call (the caller then gets a failure response) or the caller hangs up first
     * (the endpoint is then destroyed). In the container, both are released when the call ends.
     *
     * @param invite an INVITE outside a dialog that the application has not answered
     * @param options extra headers of the INVITE to the media server
     */
    CompletionStage<ConnectedCaller> connectCaller(SipRequest invite, EndpointOptions options);

    /** {@link #connectCaller(SipRequest, EndpointOptions)} with no extra headers. */
    default CompletionStage<ConnectedCaller> connectCaller(SipRequest invite) {
        return connectCaller(invite, EndpointOptions.NONE);
    }

    /**
     * Creates a conference: checks that none of that name runs, creates an endpoint as its control leg and joins
     * it muted with {@code endconf} (plus {@code options}); fails with a {@link MediaException} when the name is
     * taken.
     */
    CompletionStage<Conference> createConference(String name, JoinOptions options);

    /**
     * Closes the server's connection and the listener of its channels' connections; endpoints still up lose their
     * connections with it (their operations fail with {@link MediaException.ConnectionLost}).
     */
    @Override
    void close();
}
