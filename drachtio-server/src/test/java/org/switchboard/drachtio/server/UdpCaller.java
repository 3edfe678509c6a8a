package org.switchboard.drachtio.server;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A caller on a bare UDP socket that sends one INVITE to a server and reads its final response. */
final class UdpCaller implements AutoCloseable {

    private final DatagramSocket socket;

    UdpCaller(Duration wait) throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout((int) wait.toMillis());
    }

    /** Sends an INVITE with Call-ID {@code callId} to the server's first SIP listen point. */
    void invite(DrachtioServer server, String callId) throws IOException {
        invite(server.sipListenPoints().get(0).address(), "sip:service@" + TestServers.sipTarget(server), callId);
    }

    /** Sends an INVITE for {@code requestUri} with Call-ID {@code callId} to {@code target}. */
    void invite(InetSocketAddress target, String requestUri, String callId) throws IOException {
        int port = socket.getLocalPort();
        String invite = "INVITE " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK-" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:caller@127.0.0.1>;tag=" + callId + "\r\nTo: <" + requestUri + ">\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\nContact: <sip:caller@127.0.0.1:" + port
                + ">\r\nContent-Length: 0\r\n\r\n";
        byte[] bytes = invite.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, target));
    }

    /** The first final response that comes back (provisional ones skipped), as text. */
    String finalResponse() throws IOException {
        byte[] buffer = new byte[65_535];
        while (true) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no final response within " + socket.getSoTimeout() + " ms", e);
            }
            String response = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            if (!response.startsWith("SIP/2.0 1")) {
                return response;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
